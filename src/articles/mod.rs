//! Articles: reading what collectors read into a [`Document`] of metadata and text blocks.
//!
//! [`read`] is pure: bytes in, document out, no database, network or file system. It picks
//! Markdown, HTML or plain text from a [`Hint`] and the content, decodes any common encoding, and
//! never lets markup or script content into the text. Inputs over [`MAX_ARTICLE_BYTES`] and binary
//! data are refused. Safe to call from any thread.

mod dates;
mod decode;
pub mod detect;
mod document;
pub mod fetch;
mod front_matter;
mod html;
mod lexicon;
mod markdown;
mod plain;
pub mod ranked;
mod store;

pub use decode::MAX_ARTICLE_BYTES;
pub use document::{Block, BlockKind, Document, Format, BLOCK_SEPARATOR};
pub(crate) use store::after_scan;
pub use store::{
    backup_blocks, catalog, catalog_for, decide, decide_above, delete, detect_again, detect_all,
    get, import, list, mentioned_in, rate, set_note, tag, to_list, untag, ArticleSummary,
    ArticleView, ArticlesError, BlockView, Decision, Imported, LinkView, MentionView, MentionedIn,
    RankedEntryView, RankedView, Source, Subject, TagView,
};

/// Why an article could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArticleError {
    #[error("{name} is too large to be an article ({size} bytes, at most {limit})")]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{name} is binary data, not an article")]
    Binary { name: String },
}

/// Where the bytes came from, used to pick a format and charset. All fields are optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    pub file_name: Option<&'a str>,
    /// An HTTP `Content-Type`, possibly with a `charset` parameter.
    pub content_type: Option<&'a str>,
    pub url: Option<&'a str>,
}

fn extension_format(path: &str) -> Option<Format> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        _ => None,
    }
}

fn content_type_format(content_type: &str) -> Option<Format> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
        _ => None,
    }
}

fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

fn looks_like_html(start: &[u8]) -> bool {
    let head: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    let head = String::from_utf8_lossy(&head);
    let head = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn looks_like_markdown(text: &str) -> bool {
    if text.starts_with("---\n") && front_matter::split(text).is_some() {
        return true;
    }
    text.lines().any(|line| {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes)
            && line[hashes..].starts_with(' ')
            && line[hashes..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_digit())
    })
}

/// The format named by the hint alone.
fn hinted_format(hint: &Hint) -> Option<Format> {
    hint.file_name
        .and_then(extension_format)
        .or_else(|| hint.content_type.and_then(content_type_format))
        .or_else(|| hint.url.and_then(extension_format))
}

/// Reads an article from `bytes`.
///
/// # Errors
///
/// [`ArticleError::TooLarge`] above [`MAX_ARTICLE_BYTES`], [`ArticleError::Binary`] for data with
/// NUL bytes or mostly control characters.
pub fn read(bytes: &[u8], hint: Hint) -> Result<Document, ArticleError> {
    let name = hint.file_name.or(hint.url).unwrap_or("article");
    let hinted = hinted_format(&hint);
    let html_bytes = hinted == Some(Format::Html) || (hinted.is_none() && looks_like_html(bytes));
    let text = decode::decode(bytes, hint.content_type.and_then(charset), html_bytes, name)?;
    let format = hinted.unwrap_or_else(|| {
        if looks_like_html(text.as_bytes()) {
            Format::Html
        } else if looks_like_markdown(&text) {
            Format::Markdown
        } else {
            Format::PlainText
        }
    });
    let mut doc = match format {
        Format::Markdown => markdown::read(&text),
        Format::Html => html::read(&text),
        Format::PlainText => plain::read(&text),
    };
    if doc.source_url.is_none() {
        doc.source_url = hint.url.map(str::to_owned);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn named(name: &str) -> Hint<'_> {
        Hint {
            file_name: Some(name),
            ..Hint::default()
        }
    }

    #[test]
    fn format_follows_extension_content_type_url_then_content() {
        let cases: [(&str, Hint, Format); 8] = [
            ("# x", named("a.MD"), Format::Markdown),
            ("plain", named("a.htm"), Format::Html),
            (
                "plain",
                Hint {
                    content_type: Some("text/html; charset=utf-8"),
                    ..Hint::default()
                },
                Format::Html,
            ),
            (
                "plain",
                Hint {
                    url: Some("https://x.org/a.html?q=1"),
                    ..Hint::default()
                },
                Format::Html,
            ),
            ("  <!DOCTYPE html><p>x", Hint::default(), Format::Html),
            ("---\ntitle: x\n---\nbody", named("a.txt"), Format::Markdown),
            ("Intro\n\n## Section\n", Hint::default(), Format::Markdown),
            (
                "#1 Spirited Away\n# 2 Moon\nplain",
                Hint::default(),
                Format::PlainText,
            ),
        ];
        for (text, hint, expected) in cases {
            let doc = read(text.as_bytes(), hint).expect("readable");
            assert_eq!(doc.format, expected, "format of {text:?} with {hint:?}");
        }
    }

    #[test]
    fn url_hint_is_the_fallback_source_url() {
        let doc = read(
            b"Text.",
            Hint {
                url: Some("https://x.org/a"),
                ..Hint::default()
            },
        )
        .expect("readable");
        assert_eq!(
            doc.source_url.as_deref(),
            Some("https://x.org/a"),
            "the URL read from is the source"
        );
    }

    #[test]
    fn content_type_charset_decodes_html() {
        let hint = Hint {
            content_type: Some("text/html; charset=\"ISO-8859-1\""),
            ..Hint::default()
        };
        let doc = read(b"<p>Am\xE9lie</p>", hint).expect("readable");
        assert_eq!(doc.text(), "Am\u{e9}lie", "the header charset is used");
    }

    #[test]
    fn hostile_input_is_refused_with_a_named_error() {
        let err = read(b"\x00\x01\x02binary", named("cover.jpg")).expect_err("binary");
        assert_eq!(
            err.to_string(),
            "cover.jpg is binary data, not an article",
            "clear message naming the file"
        );
        let huge = vec![b' '; MAX_ARTICLE_BYTES + 1];
        assert!(
            matches!(
                read(&huge, Hint::default()),
                Err(ArticleError::TooLarge { .. })
            ),
            "over 8 MiB is refused"
        );
    }

    #[test]
    fn script_content_never_reaches_text_in_any_format() {
        let html = read(
            b"<html><body><script>evil()</script><p>ok</p><style>x{}</style></body></html>",
            Hint::default(),
        )
        .expect("html");
        assert_eq!(html.text(), "ok", "script and style content is dropped");
        let md = read(b"# T\n\n<script>evil()</script>\n\nok", named("a.md")).expect("md");
        assert!(
            !md.text().contains("evil"),
            "raw HTML in Markdown is dropped: {}",
            md.text()
        );
    }

    fn articles_dir() -> Option<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/articles");
        dir.is_dir().then_some(dir)
    }

    fn read_article(dir: &std::path::Path, name: &str) -> Document {
        let bytes = std::fs::read(dir.join(name)).expect("article file is readable");
        read(&bytes, named(name)).expect("article parses")
    }

    #[test]
    fn real_articles_have_no_carriage_returns_or_markup() {
        let Some(dir) = articles_dir() else {
            eprintln!("SKIPPED real_articles_have_no_carriage_returns_or_markup: ../shared/articles is absent");
            return;
        };
        for name in [
            "soundtrack-magic.md",
            "lost-in-translation-soundtrack.txt",
            "underrated-soundtracks.txt",
            "blockbusters-to-hidden-gems.txt",
            "visual-motifs.txt",
        ] {
            let doc = read_article(&dir, name);
            let text = doc.text();
            assert!(!text.contains('\r'), "{name} text has no carriage return");
            assert!(!doc.blocks.is_empty(), "{name} has blocks");
            let titled = !matches!(name, "underrated-soundtracks.txt" | "visual-motifs.txt");
            assert_eq!(
                doc.title.is_some(),
                titled,
                "{name} opens with a title line only when the first line is short and unpunctuated"
            );
        }
    }

    #[test]
    fn real_markdown_article_metadata() {
        let Some(dir) = articles_dir() else {
            eprintln!("SKIPPED real_markdown_article_metadata: ../shared/articles is absent");
            return;
        };
        let doc = read_article(&dir, "soundtrack-magic.md");
        assert_eq!(
            doc.title.as_deref(),
            Some("Soundtrack Magic - Unforgettable Journeys Through Epic Scores and Iconic Film Music"),
            "title from front matter"
        );
        assert_eq!(
            doc.author.as_deref(),
            Some("MelodyMind"),
            "author from front matter"
        );
        assert_eq!(
            doc.published.as_deref(),
            Some("2025-07-29"),
            "createdAt is the publication date"
        );
        assert!(
            doc.keywords.iter().any(|k| k == "film music"),
            "keywords include film music: {:?}",
            doc.keywords
        );
        assert_eq!(
            doc.locale.as_deref(),
            Some("en"),
            "locale from front matter"
        );
        assert!(
            doc.description
                .as_deref()
                .is_some_and(|d| d.starts_with("Ready to experience")),
            "folded description"
        );
        assert_eq!(
            doc.blocks[0].kind,
            BlockKind::Heading(2),
            "the body starts with an H2"
        );
        assert!(!doc.text().contains("**"), "Markdown markup is gone");
    }

    #[test]
    fn real_plain_article_title_and_author() {
        let Some(dir) = articles_dir() else {
            eprintln!("SKIPPED real_plain_article_title_and_author: ../shared/articles is absent");
            return;
        };
        let doc = read_article(&dir, "lost-in-translation-soundtrack.txt");
        assert_eq!(
            doc.title.as_deref(),
            Some("Lost In Translation Soundtrack: Music That Defined An Era"),
            "first line is the title"
        );
        assert_eq!(
            doc.author.as_deref(),
            Some("Jhon Lennon"),
            "by line without the view count"
        );
        assert!(
            !doc.text().contains("58 views"),
            "the by line leaves the text"
        );

        let visual = read_article(&dir, "visual-motifs.txt");
        assert_eq!(
            visual.published.as_deref(),
            Some("2025-07-17"),
            "'Published July 17, 2025' line"
        );
    }

    #[test]
    fn real_ranked_article_entries_in_order() {
        let Some(dir) = articles_dir() else {
            eprintln!("SKIPPED real_ranked_article_entries_in_order: ../shared/articles is absent");
            return;
        };
        let doc = read_article(&dir, "underrated-soundtracks.txt");
        let entries: Vec<(Option<u32>, &str)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::ListItem { ordinal } => Some((ordinal, b.text.as_str())),
                _ => None,
            })
            .collect();
        let expected = vec![
            (Some(12), "Spirited Away"),
            (Some(11), "Amelie"),
            (Some(10), "Road to Perdition"),
            (Some(9), "The Talented Mr Ripley"),
            (Some(8), "The Social Network"),
            (Some(7), "Moon"),
            (Some(6), "28 Days Later"),
            (Some(5), "The Others"),
            (Some(4), "The Virgin Suicides"),
            (Some(3), "Little Ashes"),
            (Some(2), "The Girl with the Pearl Earring"),
            (Some(1), "My Summer of Love"),
        ];
        assert_eq!(
            entries, expected,
            "the twelve ranked entries count down in the article's order"
        );
    }
}
