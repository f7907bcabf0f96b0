//! Markdown export: the list title, its note, then one section per entry, numbered by rank when
//! the list is ranked.
//!
//! Notes are already Markdown and are copied as they are. Plain text (titles, artists, albums,
//! tags) is joined onto one line so it cannot end a heading early, and its Markdown punctuation is
//! backslash-escaped so a title like `*Batman*` or `<img …>` reads as written.

use super::{format_duration, EntryKind, ExportEntry, ExportList, Ranking};

/// Writes the list as Markdown. In a ranked list each heading starts with the entry's rank (its
/// own, else its position counted the list's way), so a descending list reads as a countdown; an
/// unranked list has no numbers.
pub fn write(list: &ExportList) -> String {
    let mut out = format!("# {}\n", heading_text(&list.title));
    if let Some(note) = &list.note {
        push_block(&mut out, note);
    }
    let len = list.entries.len();
    for (i, entry) in list.entries.iter().enumerate() {
        let rank = match list.ranking {
            Ranking::None => None,
            ranking => entry.rank.or_else(|| ranking.rank(i, len)),
        };
        push_entry(&mut out, rank, entry);
    }
    out
}

fn push_entry(out: &mut String, rank: Option<u32>, e: &ExportEntry) {
    let mut heading = String::from("\n## ");
    if let Some(rank) = rank {
        heading.push_str(&format!("{rank}. "));
    }
    heading.push_str(&plain(&e.title));
    if let Some(artist) = &e.artist {
        heading.push_str(&format!(" — {}", plain(artist)));
    }
    if let Some(year) = e.year {
        heading.push_str(&format!(" ({year})"));
    }
    if e.kind == EntryKind::Placeholder {
        heading.push_str(" (wishlist)");
    }
    if heading.ends_with('#') {
        let run = heading.len() - heading.trim_end_matches('#').len();
        heading.insert(heading.len() - run, '\\');
    }
    out.push_str(&heading);
    out.push('\n');

    let mut facts = Vec::new();
    if let Some(album) = e.album.as_deref().filter(|_| e.kind == EntryKind::Track) {
        facts.push(format!("from *{}*", plain(album)));
    }
    if let Some(ms) = e.duration_ms {
        facts.push(format_duration(ms));
    }
    if let Some(rating) = e.rating {
        facts.push(stars(rating));
    }
    if !e.tags.is_empty() {
        let tags: Vec<String> = e.tags.iter().map(|t| plain(t)).collect();
        facts.push(format!("tags: {}", tags.join(", ")));
    }
    if !facts.is_empty() {
        out.push('\n');
        out.push_str(&facts.join(" · "));
        out.push('\n');
    }
    if let Some(note) = &e.note {
        push_block(out, note);
    }
}

fn push_block(out: &mut String, text: &str) {
    let text = text.trim_end();
    if !text.is_empty() {
        out.push('\n');
        out.push_str(text);
        out.push('\n');
    }
}

/// A rating out of five as filled and empty stars; ratings above five show five.
fn stars(rating: u8) -> String {
    let filled = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain text as inline Markdown: on one line, with the characters that would start emphasis,
/// code, links or HTML escaped (CommonMark lets any ASCII punctuation be escaped).
fn plain(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Plain text for the end of a heading: a trailing run of `#` would be read as the heading's
/// closing sequence and vanish, so it is escaped.
fn heading_text(s: &str) -> String {
    let mut out = plain(s);
    if out.ends_with('#') {
        let run = out.len() - out.trim_end_matches('#').len();
        out.insert(out.len() - run, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{entry, list};

    fn ranked_list() -> ExportList {
        let mut entries: Vec<ExportEntry> = (1..=12)
            .rev()
            .map(|rank| {
                let kind = if rank % 4 == 0 {
                    EntryKind::Placeholder
                } else {
                    EntryKind::Album
                };
                let mut e = entry(kind, &format!("Score {rank}"));
                e.rank = Some(rank);
                e
            })
            .collect();
        let first = &mut entries[0];
        first.kind = EntryKind::Album;
        first.title = "Spirited Away".to_owned();
        first.artist = Some("Joe Hisaishi".to_owned());
        first.year = Some(2001);
        first.rating = Some(4);
        first.tags = vec!["anime".to_owned(), "orchestral".to_owned()];
        first.note = Some("The *waltz* alone earns it.\n\n- listen to track 4\n".to_owned());
        let mut l = list(entries);
        l.note = Some("Counting down.".to_owned());
        l.ranking = Ranking::Descending;
        l
    }

    #[test]
    fn a_ranked_list_reads_as_a_countdown_with_wishlist_items_marked() {
        let out = write(&ranked_list());
        assert!(
            out.starts_with(
                "# Best scores\n\nCounting down.\n\n## 12. Spirited Away — Joe Hisaishi (2001)\n\n\
                 ★★★★☆ · tags: anime, orchestral\n\nThe *waltz* alone earns it.\n\n- listen to track 4\n\n\
                 ## 11. Score 11\n"
            ),
            "title, list note, then the first section with its facts and its note as-is:\n{out}"
        );
        let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings.len(), 12, "one section per entry");
        assert!(
            headings[11].starts_with("## 1. "),
            "sections follow list order, numbered by rank"
        );
        let wishlist: Vec<&str> = headings
            .iter()
            .copied()
            .filter(|h| h.ends_with("(wishlist)"))
            .collect();
        assert_eq!(
            wishlist,
            ["## 8. Score 8 (wishlist)", "## 4. Score 4 (wishlist)"],
            "placeholders are marked so readers know they are not owned"
        );
    }

    #[test]
    fn an_unranked_list_has_no_numbers_and_headings_stay_on_one_line() {
        let mut t = entry(EntryKind::Track, "Two\nLines");
        t.album = Some("Album".to_owned());
        t.duration_ms = Some(90_000);
        t.rank = Some(7);
        let out = write(&list(vec![entry(EntryKind::Album, "First"), t]));
        assert_eq!(
            out, "# Best scores\n\n## First\n\n## Two Lines\n\nfrom *Album* · 1:30\n",
            "a line break in a title must not end the heading, and an unranked list shows no rank"
        );
    }

    #[test]
    fn entries_without_their_own_rank_are_numbered_the_lists_way() {
        let mut l = list(vec![
            entry(EntryKind::Album, "A"),
            entry(EntryKind::Album, "B"),
            entry(EntryKind::Album, "C"),
        ]);
        l.ranking = Ranking::Ascending;
        let headings = |out: String| -> Vec<String> {
            out.lines()
                .filter(|l| l.starts_with("## "))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            headings(write(&l)),
            ["## 1. A", "## 2. B", "## 3. C"],
            "ascending counts from the top"
        );
        l.ranking = Ranking::Descending;
        assert_eq!(
            headings(write(&l)),
            ["## 3. A", "## 2. B", "## 1. C"],
            "descending counts down to one"
        );
    }

    #[test]
    fn markdown_in_plain_text_is_escaped_but_notes_are_kept_as_markdown() {
        let mut e = entry(
            EntryKind::Track,
            "*Batman* <img src=x onerror=alert(1)> [x](y) #",
        );
        e.tags = vec!["_tag_".to_owned()];
        e.note = Some("**bold** note".to_owned());
        let mut l = list(vec![e]);
        l.title = "C# ##".to_owned();
        let out = write(&l);
        assert_eq!(
            out,
            "# C# \\##\n\n## \\*Batman\\* \\<img src=x onerror=alert(1)> \\[x\\](y) \\#\n\n\
             tags: \\_tag\\_\n\n**bold** note\n",
            "titles and tags read as written; the note stays Markdown"
        );
    }
}
