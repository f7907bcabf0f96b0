//! The reader's output: a [`Document`] of metadata and text [`Block`]s.
//!
//! Invariants: block text is whitespace-collapsed (single spaces, no leading or trailing space, no
//! `\r`), never contains markup, and every emphasis range is a non-empty byte range on `char`
//! boundaries inside its block's text, sorted and non-overlapping. [`Document::text`] joins blocks
//! with `"\n\n"`, and [`Document::document_range`] maps block-relative ranges into it. Plain data,
//! no I/O, `Send + Sync`.

use std::collections::BTreeMap;
use std::ops::Range;

/// Which reader produced a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    PlainText,
}

/// An article's metadata and readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    pub title: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD` when the source date could be normalized, else the source text.
    pub published: Option<String>,
    /// Same form as `published`.
    pub updated: Option<String>,
    pub keywords: Vec<String>,
    pub locale: Option<String>,
    pub category: Option<String>,
    pub source_url: Option<String>,
    /// Front matter scalars the reader has no field for; nested keys as `parent.child`.
    pub extra: BTreeMap<String, String>,
    pub blocks: Vec<Block>,
}

/// What a block of text is in the article's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Level 1 to 6.
    Heading(u8),
    Paragraph,
    /// `ordinal` is the entry's number in an ordered or ranked list.
    ListItem {
        ordinal: Option<u32>,
    },
    Quote,
}

/// One heading, paragraph, list entry or quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// Byte ranges of `text` set in italics or inside quotation marks.
    pub emphasis: Vec<Range<usize>>,
}

/// Separator between blocks in [`Document::text`].
pub const BLOCK_SEPARATOR: &str = "\n\n";

impl Document {
    pub(crate) fn new(format: Format) -> Self {
        Document {
            format,
            title: None,
            description: None,
            author: None,
            published: None,
            updated: None,
            keywords: Vec::new(),
            locale: None,
            category: None,
            source_url: None,
            extra: BTreeMap::new(),
            blocks: Vec::new(),
        }
    }

    /// The readable text: block texts joined by [`BLOCK_SEPARATOR`].
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        texts.join(BLOCK_SEPARATOR)
    }

    /// Byte offset in [`Document::text`] where block `index` starts.
    pub fn block_offset(&self, index: usize) -> Option<usize> {
        if index >= self.blocks.len() {
            return None;
        }
        let before: usize = self.blocks[..index].iter().map(|b| b.text.len()).sum();
        Some(before + index * BLOCK_SEPARATOR.len())
    }

    /// Maps a byte range of block `index`'s text to the same text in [`Document::text`].
    /// `None` when the block does not exist or the range does not fit in it.
    pub fn document_range(&self, index: usize, range: Range<usize>) -> Option<Range<usize>> {
        let block = self.blocks.get(index)?;
        if range.start > range.end || range.end > block.text.len() {
            return None;
        }
        let offset = self.block_offset(index)?;
        Some(offset + range.start..offset + range.end)
    }
}

/// Accumulates one block's text, collapsing whitespace and recording emphasis.
#[derive(Debug, Default)]
pub(crate) struct BlockBuilder {
    text: String,
    emphasis: Vec<Range<usize>>,
    open: Vec<usize>,
    pending_space: bool,
}

impl BlockBuilder {
    pub(crate) fn push(&mut self, s: &str) {
        for ch in s.chars() {
            if ch.is_whitespace() || ch.is_control() {
                if !self.text.is_empty() {
                    self.pending_space = true;
                }
            } else {
                if self.pending_space {
                    self.text.push(' ');
                    self.pending_space = false;
                }
                self.text.push(ch);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn open_emphasis(&mut self) {
        let start = self.text.len() + usize::from(self.pending_space);
        self.open.push(start);
    }

    pub(crate) fn close_emphasis(&mut self) {
        if let Some(start) = self.open.pop() {
            let end = self.text.len();
            if start < end {
                self.emphasis.push(start..end);
            }
        }
    }

    pub(crate) fn finish(mut self, kind: BlockKind) -> Option<Block> {
        while !self.open.is_empty() {
            self.close_emphasis();
        }
        if self.text.is_empty() {
            return None;
        }
        let mut emphasis = self.emphasis;
        emphasis.extend(quote_ranges(&self.text));
        Some(Block {
            kind,
            text: self.text,
            emphasis: merge_ranges(emphasis),
        })
    }
}

/// Builds a block from finished text in one call.
pub(crate) fn block_from_text(kind: BlockKind, text: &str) -> Option<Block> {
    let mut builder = BlockBuilder::default();
    builder.push(text);
    builder.finish(kind)
}

fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Inner byte ranges of text between paired quotation marks: `"…"`, `“…”` and `‘…’` (a `’`
/// followed by a letter is an apostrophe, not a closing mark).
fn quote_ranges(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, ch) = chars[i];
        let close = match ch {
            '"' => Some('"'),
            '“' | '„' => Some('”'),
            '‘' => Some('’'),
            _ => None,
        };
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let start = pos + ch.len_utf8();
        let found = (i + 1..chars.len()).find(|&j| {
            chars[j].1 == close
                && (close != '’' || !chars.get(j + 1).is_some_and(|(_, c)| c.is_alphabetic()))
        });
        match found {
            Some(j) => {
                if chars[j].0 > start {
                    ranges.push(start..chars[j].0);
                }
                i = j + 1;
            }
            None => i += 1,
        }
    }
    ranges
}

/// Turns start/end events from a markup reader into blocks. Shared by the Markdown and HTML
/// readers so that lists, quotes and list items holding paragraphs behave the same.
#[derive(Debug, Default)]
pub(crate) struct Flow {
    blocks: Vec<(Block, bool)>,
    current: Option<(BlockKind, BlockBuilder)>,
    /// Next ordinal of each open list, `None` for unordered lists.
    lists: Vec<Option<u32>>,
    quote_depth: usize,
    /// Blocks started while this is positive are marked as main content.
    pub(crate) main_depth: usize,
    current_in_main: bool,
}

impl Flow {
    fn paragraph_kind(&self) -> BlockKind {
        if self.quote_depth > 0 {
            BlockKind::Quote
        } else {
            BlockKind::Paragraph
        }
    }

    pub(crate) fn flush(&mut self) {
        if let Some((kind, builder)) = self.current.take() {
            if let Some(block) = builder.finish(kind) {
                self.blocks.push((block, self.current_in_main));
            }
        }
    }

    fn begin(&mut self, kind: BlockKind) {
        self.flush();
        self.current = Some((kind, BlockBuilder::default()));
        self.current_in_main = self.main_depth > 0;
    }

    pub(crate) fn start_heading(&mut self, level: u8) {
        self.begin(BlockKind::Heading(level.clamp(1, 6)));
    }

    /// A paragraph directly inside a list item continues the item's block.
    pub(crate) fn start_paragraph(&mut self) {
        if let Some((BlockKind::ListItem { .. }, builder)) = &self.current {
            if builder.is_empty() {
                return;
            }
        }
        let kind = self.paragraph_kind();
        self.begin(kind);
    }

    pub(crate) fn start_list(&mut self, first: Option<u32>) {
        self.flush();
        self.lists.push(first);
    }

    pub(crate) fn end_list(&mut self) {
        self.flush();
        self.lists.pop();
    }

    pub(crate) fn start_item(&mut self, value: Option<u32>) {
        let ordinal = match self.lists.last_mut() {
            Some(Some(next)) => {
                let ordinal = value.unwrap_or(*next);
                *next = ordinal.saturating_add(1);
                Some(ordinal)
            }
            _ => value,
        };
        self.begin(BlockKind::ListItem { ordinal });
    }

    pub(crate) fn start_quote(&mut self) {
        self.flush();
        self.quote_depth += 1;
    }

    pub(crate) fn end_quote(&mut self) {
        self.flush();
        self.quote_depth = self.quote_depth.saturating_sub(1);
    }

    pub(crate) fn text(&mut self, s: &str) {
        if self.current.is_none() {
            if s.trim().is_empty() {
                return;
            }
            let kind = self.paragraph_kind();
            self.begin(kind);
        }
        if let Some((_, builder)) = &mut self.current {
            builder.push(s);
        }
    }

    pub(crate) fn open_emphasis(&mut self) {
        if self.current.is_none() {
            let kind = self.paragraph_kind();
            self.begin(kind);
        }
        if let Some((_, builder)) = &mut self.current {
            builder.open_emphasis();
        }
    }

    pub(crate) fn close_emphasis(&mut self) {
        if let Some((_, builder)) = &mut self.current {
            builder.close_emphasis();
        }
    }

    /// The blocks; when `prefer_main` and some block was main content, only those.
    pub(crate) fn finish(mut self, prefer_main: bool) -> Vec<Block> {
        self.flush();
        let any_main = prefer_main && self.blocks.iter().any(|(_, main)| *main);
        self.blocks
            .into_iter()
            .filter(|(_, main)| !any_main || *main)
            .map(|(block, _)| block)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(texts: &[&str]) -> Document {
        let mut d = Document::new(Format::PlainText);
        d.blocks = texts
            .iter()
            .filter_map(|t| block_from_text(BlockKind::Paragraph, t))
            .collect();
        d
    }

    #[test]
    fn text_joins_blocks_with_blank_lines() {
        assert_eq!(
            doc(&["One", "Two"]).text(),
            "One\n\nTwo",
            "blocks are separated by a blank line"
        );
    }

    #[test]
    fn block_ranges_map_to_document_offsets() {
        let d = doc(&["Alpha", "Beta gamma"]);
        let range = d.document_range(1, 5..10).expect("range fits in block 1");
        assert_eq!(
            &d.text()[range],
            "gamma",
            "a block range maps to the same text in the document"
        );
        assert_eq!(
            d.block_offset(1),
            Some(7),
            "block 1 starts after 'Alpha' and the separator"
        );
        assert_eq!(
            d.document_range(1, 5..11),
            None,
            "a range past the block end is refused"
        );
        assert_eq!(
            d.document_range(2, 0..1),
            None,
            "a missing block has no range"
        );
    }

    #[test]
    fn builder_collapses_whitespace_and_records_emphasis() {
        let mut b = BlockBuilder::default();
        b.push("  See ");
        b.open_emphasis();
        b.push(" Moon ");
        b.close_emphasis();
        b.push("\n now ");
        let block = b.finish(BlockKind::Paragraph).expect("non-empty block");
        assert_eq!(
            block.text, "See Moon now",
            "whitespace collapses to single spaces"
        );
        assert_eq!(
            &block.text[block.emphasis[0].clone()],
            "Moon",
            "emphasis covers the italic word only"
        );
    }

    #[test]
    fn quoted_text_counts_as_emphasis_but_apostrophes_do_not() {
        let block = block_from_text(
            BlockKind::Paragraph,
            "He said “Up” and ‘Her’ isn’t \"Drive\"",
        )
        .expect("block");
        let quoted: Vec<&str> = block
            .emphasis
            .iter()
            .map(|r| &block.text[r.clone()])
            .collect();
        assert_eq!(
            quoted,
            vec!["Up", "Her", "Drive"],
            "curly, single and straight quotes mark emphasis"
        );
    }

    #[test]
    fn unclosed_emphasis_ends_with_the_block_and_empty_blocks_vanish() {
        let mut b = BlockBuilder::default();
        b.open_emphasis();
        b.push("Tron");
        let block = b.finish(BlockKind::Paragraph).expect("block");
        assert_eq!(
            block.emphasis,
            vec![0..4],
            "an unclosed emphasis is closed at the block end"
        );
        assert!(
            BlockBuilder::default().finish(BlockKind::Quote).is_none(),
            "an empty block is dropped"
        );
    }
}
