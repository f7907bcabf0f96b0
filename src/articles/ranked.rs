//! Ranked articles: "12. Spirited Away" … "1. My Summer of Love" as entries with their rank,
//! title and the paragraphs that follow as a note.
//!
//! An entry is a numbered list item (the readers turn "12.", "#1", "1)" and "10 –" lines into
//! them) or a heading that starts with a number. The ranked list is the longest run of three or
//! more entries whose numbers go up or down by one in reading order. Pure.

use std::sync::LazyLock;

use regex::Regex;

use super::document::{BlockKind, Document};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 1 first.
    Ascending,
    /// The highest number first, counting down to 1 (or the last).
    Descending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedEntry {
    pub rank: u32,
    /// Index of the entry's block in the document.
    pub block: usize,
    pub title: String,
    /// A year in parentheses after the title.
    pub year: Option<i32>,
    /// The paragraphs after the entry, up to the next entry or section.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub order: Order,
    pub entries: Vec<RankedEntry>,
}

static HEADING_RANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:No\.?\s*|#\s*)?(\d{1,3})\s*(?:[.)\]:]|[-–—]|\s)\s*(\S.*)$").expect("valid")
});

static TRAILING_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[(\[]((?:18|19|20)\d\d)[)\]]\s*[.:]?$").expect("valid"));

/// One candidate entry: (rank, block, title).
fn candidates(doc: &Document) -> Vec<(u32, usize, String)> {
    let mut out = Vec::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        match b.kind {
            BlockKind::ListItem { ordinal: Some(n) } => out.push((n, i, b.text.clone())),
            BlockKind::Heading(_) => {
                if let Some(c) = HEADING_RANK.captures(&b.text) {
                    if let Ok(n) = c[1].parse() {
                        out.push((n, i, c[2].to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The article's ranked list, if it is one.
pub fn ranked(doc: &Document) -> Option<Ranked> {
    let cands = candidates(doc);
    let mut best: Option<(usize, usize, Order)> = None;
    let mut i = 0;
    while i < cands.len() {
        for order in [Order::Descending, Order::Ascending] {
            let mut j = i + 1;
            while j < cands.len() {
                let (prev, next) = (cands[j - 1].0, cands[j].0);
                let step = match order {
                    Order::Descending => prev.checked_sub(1) == Some(next),
                    Order::Ascending => prev + 1 == next,
                };
                if !step {
                    break;
                }
                j += 1;
            }
            if j - i >= 3 && best.is_none_or(|(s, e, _)| j - i > e - s) {
                best = Some((i, j, order));
            }
        }
        i += 1;
    }
    let (start, end, order) = best?;
    let run = &cands[start..end];
    let entry_blocks: Vec<usize> = run.iter().map(|c| c.1).collect();
    let entries = run
        .iter()
        .enumerate()
        .map(|(k, (rank, block, title))| {
            let stop = entry_blocks.get(k + 1).copied().unwrap_or(doc.blocks.len());
            let level = match doc.blocks[*block].kind {
                BlockKind::Heading(l) => l,
                _ => 7,
            };
            let mut note = Vec::new();
            for b in &doc.blocks[block + 1..stop] {
                match b.kind {
                    BlockKind::Heading(l) if l <= level || k + 1 == run.len() => break,
                    BlockKind::ListItem { ordinal: Some(_) } => break,
                    _ => note.push(b.text.as_str()),
                }
            }
            let (title, year) = match TRAILING_YEAR.captures(title) {
                Some(c) => (
                    title[..c.get(0).map_or(title.len(), |m| m.start())].to_string(),
                    c[1].parse().ok(),
                ),
                None => (title.clone(), None),
            };
            RankedEntry {
                rank: *rank,
                block: *block,
                title: title.trim().trim_end_matches([':', '.']).trim().to_string(),
                year,
                note: note.join("\n\n"),
            }
        })
        .collect();
    Some(Ranked { order, entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::{read, Hint};

    fn doc(text: &str, name: &str) -> Document {
        read(
            text.as_bytes(),
            Hint {
                file_name: Some(name),
                ..Hint::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_countdown_in_plain_text() {
        let d = doc(
            "My top three\n\nIntro text here.\n\n3. Moon (2009)\n\nSad and lovely.\n\nReally.\n\n2. Up\n\nBalloons.\n\n1. Her\n\nThe best.\n",
            "top.txt",
        );
        let r = ranked(&d).unwrap();
        assert_eq!(r.order, Order::Descending);
        let got: Vec<(u32, &str, Option<i32>, &str)> = r
            .entries
            .iter()
            .map(|e| (e.rank, e.title.as_str(), e.year, e.note.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "Moon", Some(2009), "Sad and lovely.\n\nReally."),
                (2, "Up", None, "Balloons."),
                (1, "Her", None, "The best."),
            ]
        );
    }

    #[test]
    fn numbered_headings_in_markdown_count_up() {
        let d = doc(
            "# Best\n\n## 1. Jaws\n\nShark.\n\n## 2. Alien\n\nSpace.\n\n## 3. Heat\n\nCity.\n\n## Conclusion\n\nBye.\n",
            "best.md",
        );
        let r = ranked(&d).unwrap();
        assert_eq!(r.order, Order::Ascending);
        assert_eq!(r.entries.len(), 3);
        assert_eq!(r.entries[2].title, "Heat");
        assert_eq!(r.entries[2].note, "City.");
    }

    #[test]
    fn two_numbered_lines_are_no_ranking() {
        let d = doc("Steps\n\n1. Open\n\n2. Close\n\nDone.", "steps.txt");
        assert!(ranked(&d).is_none());
    }
}
