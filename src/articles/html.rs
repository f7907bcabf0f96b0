//! HTML articles: readable text and metadata from a streaming html5ever tokenizer.
//!
//! The tokenizer never recurses, so deeply nested markup costs memory linear in its depth and no
//! stack. Text inside script, style, navigation, header, footer, aside, form and similar elements
//! is dropped; when the page has an `<article>` or `<main>`, only blocks inside them are kept.
//! Metadata comes from `<title>`, `<meta>`, OpenGraph and JSON-LD (JSON-LD wins, then OpenGraph).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde_json::Value;

use super::dates::normalize_date;
use super::document::{Document, Flow, Format};

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg",
    "iframe", "button", "select", "textarea", "object", "canvas", "math",
];

/// Elements that end the current block.
const BREAKING: &[&str] = &[
    "div",
    "section",
    "table",
    "tr",
    "td",
    "th",
    "hr",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "body",
    "center",
];

#[derive(Default)]
struct State {
    flow: Flow,
    /// Open skipped elements, innermost last.
    skipped: Vec<String>,
    in_title: bool,
    title: String,
    json_ld: Option<String>,
    json_ld_blocks: Vec<String>,
    meta: Vec<(String, String)>,
    first_h1: Option<String>,
    h1_text: Option<String>,
}

struct Sink(RefCell<State>);

fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let raw = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "noscript" | "iframe" | "xmp" | "noembed" | "noframes" => {
                Some(RawKind::Rawtext)
            }
            "title" | "textarea" => Some(RawKind::Rcdata),
            _ => None,
        };
        if name == "meta" {
            let key = attr(tag, "property")
                .or_else(|| attr(tag, "name"))
                .or_else(|| attr(tag, "itemprop"));
            if let (Some(key), Some(content)) = (key, attr(tag, "content")) {
                self.meta
                    .push((key.to_ascii_lowercase(), content.trim().to_owned()));
            }
        } else if name == "title" && self.json_ld.is_none() {
            self.in_title = true;
        } else if name == "script"
            && !tag.self_closing
            && attr(tag, "type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            self.json_ld = Some(String::new());
        }
        if SKIPPED.contains(&name) {
            if !tag.self_closing {
                self.skipped.push(name.to_owned());
            }
        } else if self.skipped.is_empty() {
            self.start_content(name, tag);
        }
        match raw {
            Some(kind) if !tag.self_closing => TokenSinkResult::RawData(kind),
            _ => TokenSinkResult::Continue,
        }
    }

    fn start_content(&mut self, name: &str, tag: &Tag) {
        let flow = &mut self.flow;
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flow.start_heading(name.as_bytes()[1] - b'0');
                if name == "h1" && self.first_h1.is_none() {
                    self.h1_text = Some(String::new());
                }
            }
            "p" => flow.start_paragraph(),
            "ol" => flow.start_list(Some(
                attr(tag, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1),
            )),
            "ul" | "menu" => flow.start_list(None),
            "li" => flow.start_item(attr(tag, "value").and_then(|s| s.trim().parse().ok())),
            "blockquote" => flow.start_quote(),
            "em" | "i" | "cite" | "q" => flow.open_emphasis(),
            "br" => flow.text(" "),
            "article" | "main" => {
                flow.flush();
                flow.main_depth += 1;
            }
            _ if BREAKING.contains(&name) => flow.flush(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if name == "title" {
            self.in_title = false;
        }
        if name == "script" {
            if let Some(json) = self.json_ld.take() {
                self.json_ld_blocks.push(json);
            }
        }
        if let Some(pos) = self.skipped.iter().rposition(|s| s == name) {
            self.skipped.truncate(pos);
            return;
        }
        if !self.skipped.is_empty() {
            return;
        }
        let flow = &mut self.flow;
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flow.flush();
                if let Some(text) = self.h1_text.take() {
                    self.first_h1 = Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
                        .filter(|t| !t.is_empty());
                }
            }
            "p" | "li" => flow.flush(),
            "ol" | "ul" | "menu" => flow.end_list(),
            "blockquote" => flow.end_quote(),
            "em" | "i" | "cite" | "q" => flow.close_emphasis(),
            "article" | "main" => {
                flow.flush();
                flow.main_depth = flow.main_depth.saturating_sub(1);
            }
            _ if BREAKING.contains(&name) => flow.flush(),
            _ => {}
        }
    }

    fn characters(&mut self, text: &str) {
        if let Some(json) = &mut self.json_ld {
            json.push_str(text);
        } else if self.in_title {
            self.title.push_str(text);
        } else if self.skipped.is_empty() {
            if let Some(h1) = &mut self.h1_text {
                h1.push_str(text);
            }
            self.flow.text(text);
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start(&tag),
                TagKind::EndTag => state.end(&tag.name),
            },
            Token::CharacterTokens(text) => state.characters(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// JSON-LD fields of the first article-like object.
#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    description: Option<String>,
    author: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    keywords: Vec<String>,
    locale: Option<String>,
    section: Option<String>,
    url: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "ReviewNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "Review",
    "WebPage",
];

fn is_article(value: &Value) -> bool {
    match value.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

/// Depth-limited search for an article object in objects, arrays and `@graph`.
fn find_article(value: &Value, depth: usize) -> Option<&Value> {
    if depth > 8 {
        return None;
    }
    match value {
        Value::Object(map) => {
            if is_article(value)
                && !matches!(value.get("@type"), Some(Value::String(t)) if t == "WebPage")
            {
                return Some(value);
            }
            map.get("@graph").and_then(|g| find_article(g, depth + 1))
        }
        Value::Array(items) => items.iter().find_map(|v| find_article(v, depth + 1)),
        _ => None,
    }
}

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(|v| string(Some(v))),
        Value::Object(map) => string(
            map.get("name")
                .or_else(|| map.get("@id"))
                .or_else(|| map.get("url")),
        ),
        _ => None,
    }
}

fn names(value: Option<&Value>) -> Option<String> {
    let list: Vec<String> = match value? {
        Value::Array(items) => items.iter().filter_map(|v| string(Some(v))).collect(),
        other => string(Some(other)).into_iter().collect(),
    };
    Some(list.join(", ")).filter(|s| !s.is_empty())
}

fn linked_data(blocks: &[String]) -> LinkedData {
    for raw in blocks {
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        let Some(article) = find_article(&value, 0) else {
            continue;
        };
        let keywords = match article.get("keywords") {
            Some(Value::String(s)) => s
                .split(',')
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect(),
            Some(Value::Array(items)) => items.iter().filter_map(|v| string(Some(v))).collect(),
            _ => Vec::new(),
        };
        return LinkedData {
            headline: string(article.get("headline").or_else(|| article.get("name"))),
            description: string(article.get("description")),
            author: names(article.get("author")),
            published: string(article.get("datePublished")).and_then(|d| normalize_date(&d)),
            modified: string(article.get("dateModified")).and_then(|d| normalize_date(&d)),
            keywords,
            locale: string(article.get("inLanguage")),
            section: string(article.get("articleSection")),
            url: string(article.get("url")).or_else(|| string(article.get("mainEntityOfPage"))),
        };
    }
    LinkedData::default()
}

pub(crate) fn read(text: &str) -> Document {
    let sink = Sink(RefCell::new(State::default()));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    // The sink never returns `Script`, so the tokenizer never pauses before the input ends.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.0.into_inner();

    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            state
                .meta
                .iter()
                .find(|(key, v)| key == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    };
    let ld = linked_data(&state.json_ld_blocks);
    let title = Some(state.title.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());

    let mut doc = Document::new(Format::Html);
    doc.title = ld
        .headline
        .or_else(|| meta(&["og:title", "twitter:title"]))
        .or(title)
        .or(state.first_h1);
    doc.description = ld
        .description
        .or_else(|| meta(&["og:description", "description", "twitter:description"]));
    doc.author = ld
        .author
        .or_else(|| meta(&["author", "article:author", "byl"]));
    doc.published = ld.published.or_else(|| {
        meta(&["article:published_time", "datepublished", "date", "pubdate"])
            .and_then(|d| normalize_date(&d))
    });
    doc.updated = ld.modified.or_else(|| {
        meta(&["article:modified_time", "datemodified", "og:updated_time"])
            .and_then(|d| normalize_date(&d))
    });
    doc.keywords = if ld.keywords.is_empty() {
        let tags: Vec<String> = state
            .meta
            .iter()
            .filter(|(k, _)| k == "article:tag")
            .map(|(_, v)| v.clone())
            .collect();
        let listed: Vec<String> = meta(&["keywords", "news_keywords"])
            .map(|k| {
                k.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut all = listed;
        all.extend(tags.into_iter().filter(|t| !t.is_empty()));
        all.dedup();
        all
    } else {
        ld.keywords
    };
    doc.locale = ld
        .locale
        .or_else(|| meta(&["og:locale", "language", "content-language"]));
    doc.category = ld.section.or_else(|| meta(&["article:section"]));
    doc.source_url = ld.url.or_else(|| meta(&["og:url"]));
    doc.blocks = state.flow.finish(true);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::document::BlockKind;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<title>Fallback | Site</title>
<meta name="description" content="Meta description">
<meta name="author" content="Meta Author">
<meta name="keywords" content="scores, film music">
<meta property="og:title" content="OG Title">
<meta property="og:description" content="OG description">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta property="og:url" content="https://example.com/a">
<meta property="og:locale" content="en_US">
<style>p { color: red }</style>
<script>var secret = "<p>not text</p>";</script>
</head><body>
<header><h1>Site header</h1></header>
<nav><ul><li>Home</li></ul></nav>
<main><article>
<h1>Best <em>Scores</em></h1>
<p>We loved <i>Moon</i> and <cite>Up</cite> &amp; <q>Her</q>.</p>
<ol start="12"><li>Spirited Away</li><li><p>Amelie</p></li></ol>
<ul><li>bullet</li></ul>
<blockquote><p>Music is <b>life</b>.</p></blockquote>
<h3>Next</h3>
</article></main>
<aside><p>Related junk</p></aside>
<footer><p>Copyright</p></footer>
<form><label>Subscribe</label></form>
</body></html>"#;

    #[test]
    fn opengraph_and_meta_fill_metadata() {
        let doc = read(PAGE);
        assert_eq!(
            doc.title.as_deref(),
            Some("OG Title"),
            "og:title beats <title>"
        );
        assert_eq!(
            doc.description.as_deref(),
            Some("OG description"),
            "og:description beats meta description"
        );
        assert_eq!(doc.author.as_deref(), Some("Meta Author"), "meta author");
        assert_eq!(
            doc.published.as_deref(),
            Some("2024-03-05"),
            "article:published_time normalized"
        );
        assert_eq!(
            doc.keywords,
            vec!["scores", "film music"],
            "meta keywords split on commas"
        );
        assert_eq!(doc.locale.as_deref(), Some("en_US"), "og:locale");
        assert_eq!(
            doc.source_url.as_deref(),
            Some("https://example.com/a"),
            "og:url"
        );
    }

    #[test]
    fn main_content_becomes_blocks_without_chrome_or_scripts() {
        let doc = read(PAGE);
        let blocks: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            blocks,
            vec![
                (BlockKind::Heading(1), "Best Scores"),
                (BlockKind::Paragraph, "We loved Moon and Up & Her."),
                (BlockKind::ListItem { ordinal: Some(12) }, "Spirited Away"),
                (BlockKind::ListItem { ordinal: Some(13) }, "Amelie"),
                (BlockKind::ListItem { ordinal: None }, "bullet"),
                (BlockKind::Quote, "Music is life."),
                (BlockKind::Heading(3), "Next"),
            ],
            "only the article's blocks, in order"
        );
        let p = &doc.blocks[1];
        let em: Vec<&str> = p.emphasis.iter().map(|r| &p.text[r.clone()]).collect();
        assert_eq!(em, vec!["Moon", "Up", "Her"], "i, cite and q are emphasis");
        let text = doc.text();
        for junk in [
            "secret",
            "color",
            "Site header",
            "Home",
            "Related",
            "Copyright",
            "Subscribe",
            "<",
            "Fallback",
        ] {
            assert!(
                !text.contains(junk),
                "{junk:?} must not reach the text: {text}"
            );
        }
    }

    #[test]
    fn json_ld_beats_opengraph_and_garbage_is_tolerated() {
        let page = r#"<html><head><meta property="og:title" content="OG">
<script type="application/ld+json">{ not json </script>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
{"@type":["NewsArticle"],"headline":"LD Headline","author":[{"@type":"Person","name":"Ana B"},{"name":"Carl D"}],
"datePublished":"2023-01-02T00:00:00Z","dateModified":"March 4, 2023","keywords":["film", "jazz"],"inLanguage":"fr"}]}</script>
</head><body><p>Text</p></body></html>"#;
        let doc = read(page);
        assert_eq!(
            doc.title.as_deref(),
            Some("LD Headline"),
            "JSON-LD headline wins"
        );
        assert_eq!(
            doc.author.as_deref(),
            Some("Ana B, Carl D"),
            "author names joined"
        );
        assert_eq!(
            doc.published.as_deref(),
            Some("2023-01-02"),
            "datePublished normalized"
        );
        assert_eq!(
            doc.updated.as_deref(),
            Some("2023-03-04"),
            "dateModified normalized"
        );
        assert_eq!(doc.keywords, vec!["film", "jazz"], "keyword array");
        assert_eq!(doc.locale.as_deref(), Some("fr"), "inLanguage");
        assert_eq!(doc.text(), "Text", "JSON-LD never reaches the text");
    }

    #[test]
    fn title_falls_back_to_title_element_then_h1() {
        assert_eq!(
            read("<title> A\n Page </title><p>x</p>").title.as_deref(),
            Some("A Page"),
            "<title> text, collapsed"
        );
        assert_eq!(
            read("<body><h1>Only <b>H1</b></h1></body>")
                .title
                .as_deref(),
            Some("Only H1"),
            "first h1"
        );
    }

    #[test]
    fn deeply_nested_and_unclosed_markup_is_survived() {
        let depth = 50_000;
        let page = format!(
            "{}<p>deep <em>text{}",
            "<div><span>".repeat(depth),
            "</span></div>".repeat(depth)
        );
        let doc = read(&page);
        assert_eq!(doc.text(), "deep text", "text survives deep nesting");
        let unclosed = read("<script>alert('<p>x</p>')<p>never closed");
        assert_eq!(
            unclosed.text(),
            "",
            "an unclosed script swallows the rest, as browsers do"
        );
        let skipped = read("<nav><p>menu<p>more</nav><p>body");
        assert_eq!(
            skipped.text(),
            "body",
            "unclosed tags inside skipped elements stay skipped"
        );
    }
}
