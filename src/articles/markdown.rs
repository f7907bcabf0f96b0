//! Markdown articles: front matter into metadata, the body into blocks via pulldown-cmark.
//! Images are dropped, link text is kept, raw HTML never reaches the output.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::dates::normalize_date;
use super::document::{BlockKind, Document, Flow, Format};
use super::front_matter::{self, Value};

pub(crate) fn read(text: &str) -> Document {
    let mut doc = Document::new(Format::Markdown);
    let body = match front_matter::split(text) {
        Some((entries, body)) => {
            apply_front_matter(&mut doc, entries);
            body
        }
        None => text,
    };
    doc.blocks = body_blocks(body);
    if doc.title.is_none() {
        doc.title = doc
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading(1))
            .map(|b| b.text.clone());
    }
    doc
}

fn first(value: &Value) -> Option<String> {
    match value {
        Value::Scalar(s) => Some(s.clone()),
        Value::List(items) => items.first().cloned(),
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone()),
    }
    .filter(|s| !s.trim().is_empty())
}

fn apply_front_matter(doc: &mut Document, entries: Vec<(String, Value)>) {
    for (key, value) in entries {
        let slot = match key.to_ascii_lowercase().as_str() {
            "title" => &mut doc.title,
            "description" | "summary" | "excerpt" | "subtitle" => &mut doc.description,
            "author" | "authors" | "by" => {
                if doc.author.is_none() {
                    doc.author = match &value {
                        Value::List(items) => Some(items.join(", ")).filter(|s| !s.is_empty()),
                        other => first(other),
                    };
                }
                continue;
            }
            "date" | "published" | "publishedat" | "published_at" | "pubdate" | "createdat"
            | "created_at" | "created" => {
                if doc.published.is_none() {
                    doc.published = first(&value).and_then(|v| normalize_date(&v));
                }
                continue;
            }
            "updated" | "updatedat" | "updated_at" | "lastmod" | "modified" | "datemodified" => {
                if doc.updated.is_none() {
                    doc.updated = first(&value).and_then(|v| normalize_date(&v));
                }
                continue;
            }
            "keywords" | "tags" => {
                let items = match &value {
                    Value::List(items) => items.clone(),
                    Value::Scalar(s) => s.split(',').map(|k| k.trim().to_owned()).collect(),
                    Value::Map(_) => Vec::new(),
                };
                for item in items {
                    if !item.is_empty() && !doc.keywords.contains(&item) {
                        doc.keywords.push(item);
                    }
                }
                continue;
            }
            "locale" | "lang" | "language" => &mut doc.locale,
            "category" | "categories" if !matches!(value, Value::Map(_)) => &mut doc.category,
            "url" | "canonical" | "canonical_url" | "source" | "permalink" | "link" => {
                &mut doc.source_url
            }
            _ => {
                match value {
                    Value::Scalar(s) => {
                        doc.extra.insert(key, s);
                    }
                    Value::List(items) => {
                        doc.extra.insert(key, items.join(", "));
                    }
                    Value::Map(children) => {
                        for (child, v) in children {
                            doc.extra.insert(format!("{key}.{child}"), v);
                        }
                    }
                }
                continue;
            }
        };
        if slot.is_none() {
            *slot = first(&value);
        }
    }
}

fn level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn body_blocks(body: &str) -> Vec<super::document::Block> {
    let mut flow = Flow::default();
    let mut image_depth = 0usize;
    for event in Parser::new(body) {
        if image_depth > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Image { .. }) => image_depth = 1,
            Event::Start(Tag::Heading { level: l, .. }) => flow.start_heading(level(l)),
            Event::Start(Tag::Paragraph) => flow.start_paragraph(),
            Event::Start(Tag::List(start)) => {
                flow.start_list(start.map(|n| u32::try_from(n).unwrap_or(u32::MAX)))
            }
            Event::End(TagEnd::List(_)) => flow.end_list(),
            Event::Start(Tag::Item) => flow.start_item(None),
            Event::Start(Tag::BlockQuote(_)) => flow.start_quote(),
            Event::End(TagEnd::BlockQuote(_)) => flow.end_quote(),
            Event::Start(Tag::Emphasis) => flow.open_emphasis(),
            Event::End(TagEnd::Emphasis) => flow.close_emphasis(),
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => flow.flush(),
            Event::Start(Tag::CodeBlock(_) | Tag::TableRow | Tag::TableHead) => flow.flush(),
            Event::End(TagEnd::TableCell) => flow.text(" "),
            Event::Text(t) | Event::Code(t) => flow.text(&t),
            Event::SoftBreak | Event::HardBreak => flow.text(" "),
            _ => {}
        }
    }
    flow.finish(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_metadata_and_keeps_unknown_keys() {
        let doc = read("---\ntitle: Scores\ndescription:\n  A long\n  text.\nauthor: Ana\ncreatedAt: 2025-07-29\nupdatedAt: July 30, 2025\nkeywords:\n  - film music\nlocale: en\ncategory:\n  slug: x\nimage: /a.jpg\n---\n\nBody.\n");
        assert_eq!(
            doc.title.as_deref(),
            Some("Scores"),
            "title from front matter"
        );
        assert_eq!(
            doc.description.as_deref(),
            Some("A long text."),
            "folded description"
        );
        assert_eq!(doc.author.as_deref(), Some("Ana"), "author");
        assert_eq!(
            doc.published.as_deref(),
            Some("2025-07-29"),
            "createdAt is the publication date"
        );
        assert_eq!(
            doc.updated.as_deref(),
            Some("2025-07-30"),
            "updatedAt normalized"
        );
        assert_eq!(doc.keywords, vec!["film music"], "keywords list");
        assert_eq!(doc.locale.as_deref(), Some("en"), "locale");
        assert_eq!(doc.category, None, "a category map is no category name");
        assert_eq!(
            doc.extra.get("category.slug").map(String::as_str),
            Some("x"),
            "nested keys are kept"
        );
        assert_eq!(
            doc.extra.get("image").map(String::as_str),
            Some("/a.jpg"),
            "unknown scalars are kept"
        );
        assert_eq!(doc.text(), "Body.", "the body is the text");
    }

    #[test]
    fn body_becomes_blocks_with_emphasis_and_no_images_or_html() {
        let doc = read("# The Title\n\nSee *Moon* and _Up_ by [Clint Mansell](http://x).\n![cover art](c.jpg)\n\n3. Tron\n4. Drive\n\n> A quote\n\n<div>raw</div>\n\n- loose\n\n  item\n");
        assert_eq!(
            doc.title.as_deref(),
            Some("The Title"),
            "title from the first H1"
        );
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::ListItem { ordinal: Some(3) },
                BlockKind::ListItem { ordinal: Some(4) },
                BlockKind::Quote,
                BlockKind::ListItem { ordinal: None },
                BlockKind::Paragraph,
            ],
            "headings, paragraphs, numbered items, quotes and bullets"
        );
        let p = &doc.blocks[1];
        assert_eq!(
            p.text, "See Moon and Up by Clint Mansell.",
            "link text kept, image alt dropped"
        );
        let em: Vec<&str> = p.emphasis.iter().map(|r| &p.text[r.clone()]).collect();
        assert_eq!(em, vec!["Moon", "Up"], "italics are emphasis");
        assert!(
            !doc.text().contains("raw") && !doc.text().contains('<'),
            "raw HTML is dropped"
        );
    }
}
