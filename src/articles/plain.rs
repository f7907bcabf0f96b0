//! Plain-text articles: structure and metadata recovered by heuristics.
//!
//! The first short line without a final period is the title; a "by NAME" line and a date line near
//! the top become author and dates and leave the text; blank lines separate paragraphs; short
//! unpunctuated lines between paragraphs are headings; lines such as `12. `, `#1 `, `1) ` or
//! `10 – ` are ranked list entries. Long-line text with no blank lines (one paragraph per line) is
//! read line by line.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::find_date;
use super::document::{block_from_text, Block, BlockKind, Document, Format};

/// Lines of metadata looked at below the title.
const HEADER_LINES: usize = 8;
/// Longest title, heading or metadata line.
const SHORT_LINE: usize = 150;

static LIST_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#\s?(\d{1,3})[.:)]?|(\d{1,3})(?:[.)]|\s+[–—-]))\s+(\S.*)$")
        .expect("valid regex")
});
static BY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|written by|posted by|author:)\s+(\S.*)$").expect("valid regex")
});
static TRAILING_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:[|•·,;(–—]|\s-\s|\s\d[\d,.]*\s*[km]?\s*(?:views?|reads?|comments?|shares?|likes?|min)\b|\s(?:on|published|updated|posted)\s|\s\d).*$")
        .expect("valid regex")
});
const SHARE_WORDS: &[&str] = &[
    "facebook",
    "x",
    "twitter",
    "reddit",
    "pinterest",
    "email",
    "linkedin",
    "whatsapp",
    "share",
    "print",
    "copy",
    "link",
    "tumblr",
    "telegram",
];

pub(crate) fn read(text: &str) -> Document {
    let mut doc = Document::new(Format::PlainText);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut used = vec![false; lines.len()];

    let first = lines.iter().position(|l| !l.is_empty());
    if let Some(i) = first {
        let line = lines[i];
        if line.chars().count() < SHORT_LINE
            && !line.ends_with('.')
            && !BY_LINE.is_match(line)
            && !LIST_ENTRY.is_match(line)
        {
            doc.title = Some(line.to_owned());
        }
    }

    // Metadata lines right below the title.
    let header: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].is_empty())
        .take(HEADER_LINES + 1)
        .collect();
    for &i in &header {
        let line = lines[i];
        if Some(i) == first && doc.title.is_some() || line.chars().count() > SHORT_LINE {
            continue;
        }
        if let Some(c) = BY_LINE.captures(line) {
            if doc.author.is_none() {
                let name = TRAILING_NOISE.replace(&c[1], "");
                let name = name.trim().trim_end_matches(['.', ',']);
                if !name.is_empty() && name.split_whitespace().count() <= 6 {
                    doc.author = Some(name.to_owned());
                    used[i] = true;
                }
            }
            if let Some((date, _)) = find_date(line) {
                doc.published.get_or_insert(date);
            }
            continue;
        }
        if let Some((date, range)) = find_date(line) {
            let rest = format!("{} {}", &line[..range.start], &line[range.end..]);
            let rest_lower = rest.to_lowercase();
            if rest.trim().chars().count() <= 30 {
                if rest_lower.contains("updat") || rest_lower.contains("modif") {
                    doc.updated.get_or_insert(date);
                } else {
                    doc.published.get_or_insert(date);
                }
                used[i] = true;
            }
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
        if words.len() >= 2 && words.iter().all(|w| SHARE_WORDS.contains(&w.as_str())) {
            used[i] = true;
        }
    }

    mark_boilerplate(&lines, &mut used);
    doc.blocks = blocks(&lines, &used, first.filter(|_| doc.title.is_some()));
    doc
}

/// Lines that are page furniture, not article text.
const FURNITURE: &[&str] = &[
    "advertisement",
    "sponsored",
    "-",
    "–",
    "—",
    "share this article",
    "share",
];
/// Headings after which a page lists other articles.
const TRAILERS: &[&str] = &[
    "related articles",
    "related posts",
    "related stories",
    "you may also like",
    "read next",
    "more stories",
    "recommended for you",
    "more from this author",
];

/// Marks furniture lines, and everything from a related-articles heading on once the article has
/// had some text.
fn mark_boilerplate(lines: &[&str], used: &mut [bool]) {
    let mut prose = 0;
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_lowercase();
        let lower = lower.trim_end_matches(':');
        if FURNITURE.contains(&lower) {
            used[i] = true;
        } else if prose >= 2 && TRAILERS.contains(&lower) {
            used[i..].iter_mut().for_each(|u| *u = true);
            return;
        } else if line.chars().count() > 100 {
            prose += 1;
        }
    }
}

fn is_heading_like(line: &str) -> bool {
    if find_date(line).is_some_and(|(_, r)| r.len() * 2 > line.len()) {
        return false;
    }
    let count = line.chars().count();
    count > 0
        && count < 100
        && line.split_whitespace().count() <= 14
        && !line.ends_with(['.', ',', ';', ':', '!'])
        && line.chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘' | '\'')
        })
}

fn line_block(line: &str, heading_allowed: bool) -> Option<Block> {
    if let Some(c) = LIST_ENTRY.captures(line) {
        let ordinal = c
            .get(1)
            .or_else(|| c.get(2))
            .and_then(|m| m.as_str().parse().ok());
        return block_from_text(BlockKind::ListItem { ordinal }, &c[3]);
    }
    let kind = if heading_allowed && is_heading_like(line) {
        BlockKind::Heading(2)
    } else {
        BlockKind::Paragraph
    };
    block_from_text(kind, line)
}

fn blocks(lines: &[&str], used: &[bool], title: Option<usize>) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(i) = title {
        out.extend(block_from_text(BlockKind::Heading(1), lines[i]));
    }
    let mut chunk: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if used[i] || Some(i) == title {
            continue;
        }
        if line.is_empty() {
            flush_chunk(&mut chunk, &mut out);
        } else {
            chunk.push(line);
        }
    }
    flush_chunk(&mut chunk, &mut out);
    out
}

/// A chunk is the lines between blank lines. Hard-wrapped prose joins into one paragraph; long
/// lines and list entries stand alone.
fn flush_chunk(chunk: &mut Vec<&str>, out: &mut Vec<Block>) {
    if chunk.is_empty() {
        return;
    }
    let line_per_block = chunk.len() == 1
        || chunk.iter().any(|l| l.chars().count() > 100)
        || chunk.iter().all(|l| LIST_ENTRY.is_match(l));
    if line_per_block {
        for line in chunk.iter() {
            out.extend(line_block(line, true));
        }
    } else {
        let mut prose: Vec<&str> = Vec::new();
        for line in chunk.iter() {
            if LIST_ENTRY.is_match(line) {
                if !prose.is_empty() {
                    out.extend(block_from_text(BlockKind::Paragraph, &prose.join(" ")));
                    prose.clear();
                }
                out.extend(line_block(line, false));
            } else {
                prose.push(line);
            }
        }
        if !prose.is_empty() {
            out.extend(block_from_text(BlockKind::Paragraph, &prose.join(" ")));
        }
    }
    chunk.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect()
    }

    #[test]
    fn title_author_and_date_come_from_the_top() {
        let doc = read("My Title: Scores\n\nby Jhon Lennon 58 views\n\nPublished July 29, 2025\n\nFacebook X Reddit Email\n\nBody text here.\n");
        assert_eq!(
            doc.title.as_deref(),
            Some("My Title: Scores"),
            "first short line is the title"
        );
        assert_eq!(
            doc.author.as_deref(),
            Some("Jhon Lennon"),
            "view count stripped from the by line"
        );
        assert_eq!(
            doc.published.as_deref(),
            Some("2025-07-29"),
            "published line normalized"
        );
        assert_eq!(
            kinds_and_texts(&doc),
            vec![
                (BlockKind::Heading(1), "My Title: Scores"),
                (BlockKind::Paragraph, "Body text here.")
            ],
            "metadata and share lines leave the text"
        );
    }

    #[test]
    fn by_lines_lose_dates_and_separators() {
        for (input, author, date) in [
            (
                "T\nBy Ana María López on 29 July 2025\nx.",
                "Ana María López",
                Some("2025-07-29"),
            ),
            (
                "T\nby John Smith | 2025-07-29\nx.",
                "John Smith",
                Some("2025-07-29"),
            ),
            ("T\nBy Jane Doe, Staff Writer\nx.", "Jane Doe", None),
            ("T\nby Max Steiner - 3 min read\nx.", "Max Steiner", None),
        ] {
            let doc = read(input);
            assert_eq!(doc.author.as_deref(), Some(author), "author of {input:?}");
            assert_eq!(doc.published.as_deref(), date, "date of {input:?}");
        }
    }

    #[test]
    fn sentence_first_line_is_no_title_and_updated_dates_are_separate() {
        let doc = read("This first line is a sentence.\nUpdated 2024-01-05\nMore.");
        assert_eq!(
            doc.title, None,
            "a line ending with a period is not a title"
        );
        assert_eq!(
            doc.updated.as_deref(),
            Some("2024-01-05"),
            "an Updated line sets updated"
        );
        assert_eq!(doc.published, None, "and not published");
    }

    #[test]
    fn blank_lines_split_paragraphs_and_short_lines_become_headings() {
        let doc = read("Title\n\nFirst para line one\nwraps here.\n\nA Short Heading\n\nSecond para.\n\nnot a heading because lowercase\n");
        assert_eq!(
            kinds_and_texts(&doc),
            vec![
                (BlockKind::Heading(1), "Title"),
                (BlockKind::Paragraph, "First para line one wraps here."),
                (BlockKind::Heading(2), "A Short Heading"),
                (BlockKind::Paragraph, "Second para."),
                (BlockKind::Paragraph, "not a heading because lowercase"),
            ],
            "wrapped lines join; short capitalized lines are headings"
        );
    }

    #[test]
    fn long_lines_without_blank_lines_are_one_paragraph_each() {
        let long = "word ".repeat(30);
        let doc = read(&format!("Title\n{long}one.\n{long}two.\nA Heading\n"));
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Heading(2)
            ],
            "each long line is a paragraph and a short one a heading"
        );
    }

    #[test]
    fn ranked_entries_in_every_style_become_list_items() {
        let doc = read("Top\n\n12. Spirited Away\n\nNote.\n\n#11 Amelie\n\n10) Moon\n\n9 – Her\n\n# 8 Up\n\n7 - Drive\n");
        let items: Vec<(Option<u32>, &str)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::ListItem { ordinal } => Some((ordinal, b.text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            vec![
                (Some(12), "Spirited Away"),
                (Some(11), "Amelie"),
                (Some(10), "Moon"),
                (Some(9), "Her"),
                (Some(8), "Up"),
                (Some(7), "Drive")
            ],
            "'12. ', '#11 ', '10) ', '9 – ', '# 8 ', '7 - ' are all ranked entries"
        );
        let grouped = read("Top\n\n1. One\n2. Two\n");
        assert_eq!(
            grouped.blocks.len(),
            3,
            "consecutive entries without blank lines stay separate"
        );
    }

    #[test]
    fn page_furniture_and_related_articles_are_dropped() {
        let long =
            "Long enough prose sentence that goes on and on about film scores and soundtracks. "
                .repeat(2);
        let doc = read(&format!("Title\n{long}\nADVERTISEMENT\n{long}\nJuly 27, 2025\nRelated Articles\nOther article about Moon.\n"));
        let texts: Vec<(BlockKind, &str)> = kinds_and_texts(&doc)
            .into_iter()
            .map(|(k, t)| (k, &t[..t.len().min(9)]))
            .collect();
        assert_eq!(
            texts,
            vec![
                (BlockKind::Heading(1), "Title"),
                (BlockKind::Paragraph, "Long enou"),
                (BlockKind::Paragraph, "Long enou")
            ],
            "advertisement lines, the date line and the related-articles tail leave the text"
        );
        assert_eq!(
            doc.published.as_deref(),
            Some("2025-07-27"),
            "a date line near the top is the publication date"
        );
        assert!(
            !is_heading_like("August 09, 2025"),
            "a date line is no heading"
        );
    }

    #[test]
    fn quotes_in_plain_text_are_emphasis() {
        let doc = read("T\n\nThe song “Just Like Honey” closes it.");
        let p = &doc.blocks[1];
        assert_eq!(
            &p.text[p.emphasis[0].clone()],
            "Just Like Honey",
            "curly-quoted title is emphasis"
        );
    }
}
