//! Markdown export: the list title, its note, then one numbered section per entry.
//!
//! Notes are already Markdown and are copied as they are. Text that lands in a heading (titles,
//! artists) is joined onto one line so it cannot end the heading early.

use super::{format_duration, EntryKind, ExportEntry, ExportList};

/// Writes the list as Markdown. Sections are numbered by rank, or by position when an entry has
/// no rank.
pub fn write(list: &ExportList) -> String {
    let mut out = format!("# {}\n", one_line(&list.title));
    if let Some(note) = &list.note {
        push_block(&mut out, note);
    }
    for (i, entry) in list.entries.iter().enumerate() {
        let number = entry.rank.map_or(i + 1, |r| r as usize);
        push_entry(&mut out, number, entry);
    }
    out
}

fn push_entry(out: &mut String, number: usize, e: &ExportEntry) {
    let mut heading = format!("\n## {number}. {}", one_line(&e.title));
    if let Some(artist) = &e.artist {
        heading.push_str(&format!(" — {}", one_line(artist)));
    }
    if let Some(year) = e.year {
        heading.push_str(&format!(" ({year})"));
    }
    if e.kind == EntryKind::Placeholder {
        heading.push_str(" (wishlist)");
    }
    out.push_str(&heading);
    out.push('\n');

    let mut facts = Vec::new();
    if let Some(album) = e.album.as_deref().filter(|_| e.kind == EntryKind::Track) {
        facts.push(format!("from *{}*", one_line(album)));
    }
    if let Some(ms) = e.duration_ms {
        facts.push(format_duration(ms));
    }
    if let Some(rating) = e.rating {
        facts.push(stars(rating));
    }
    if !e.tags.is_empty() {
        facts.push(format!("tags: {}", one_line(&e.tags.join(", "))));
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
    fn unranked_entries_are_numbered_by_position_and_headings_stay_on_one_line() {
        let mut t = entry(EntryKind::Track, "Two\nLines");
        t.album = Some("Album".to_owned());
        t.duration_ms = Some(90_000);
        let out = write(&list(vec![entry(EntryKind::Album, "First"), t]));
        assert_eq!(
            out, "# Best scores\n\n## 1. First\n\n## 2. Two Lines\n\nfrom *Album* · 1:30\n",
            "a line break in a title must not end the heading"
        );
    }
}
