//! CSV export following RFC 4180: CRLF line ends, a header row, fields quoted when needed.
//!
//! One row per entry (an album is one row with its folder as the path), columns in [`HEADER`]
//! order.
//!
//! Text cells are neutralized against spreadsheet formula injection (OWASP "CSV Injection"): a cell
//! starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so a spreadsheet shows it as
//! text instead of evaluating it. So that a reader can undo this exactly, a cell that already
//! starts with apostrophes followed by one of those characters gets one more `'` as well; a reader
//! strips one `'` exactly when what follows is `'*` and one of those characters. Numeric columns
//! (rank, year, rating) are written as plain numbers and are never prefixed.

use super::{format_duration, ExportEntry, ExportList};

/// The header row, which is also the column order.
pub const HEADER: [&str; 11] = [
    "rank", "kind", "title", "artist", "album", "year", "duration", "rating", "tags", "note",
    "path",
];

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes the list as CSV, with a UTF-8 byte order mark first when `bom` is set (Excel needs it to
/// read UTF-8). Non-UTF-8 paths are written lossily.
pub fn write(list: &ExportList, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    push_row(&mut out, HEADER.iter().map(|h| (*h).to_owned()));
    for entry in &list.entries {
        push_row(&mut out, row(entry));
    }
    out
}

fn row(e: &ExportEntry) -> impl Iterator<Item = String> {
    let number = |n: Option<String>| n.unwrap_or_default();
    let text = |t: Option<&str>| t.map(neutralize).unwrap_or_default();
    [
        number(e.rank.map(|r| r.to_string())),
        e.kind.as_str().to_owned(),
        neutralize(&e.title),
        text(e.artist.as_deref()),
        text(e.album.as_deref()),
        number(e.year.map(|y| y.to_string())),
        e.duration_ms.map(format_duration).unwrap_or_default(),
        number(e.rating.map(|r| r.to_string())),
        neutralize(&e.tags.join("; ")),
        text(e.note.as_deref()),
        text(e.path.as_ref().map(|p| p.to_string_lossy()).as_deref()),
    ]
    .into_iter()
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, &cell);
    }
    out.push_str("\r\n");
}

fn push_field(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Prefixes `'` to a text cell a spreadsheet would otherwise read as a formula, and to a cell that
/// would read as one neutralized by us (`'*` then a formula character), so reading undoes it exactly.
fn neutralize(cell: &str) -> String {
    if cell.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{entry, list};
    use crate::export::EntryKind;

    /// A strict RFC 4180 reader, independent of the writer, to check what a consumer sees.
    fn parse(input: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut chars = input.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' => {
                    assert!(field.is_empty(), "a quote may only open a field");
                    quoted = true;
                }
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "a bare CR must be inside quotes");
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                '\n' => panic!("a bare LF must be inside quotes"),
                _ => field.push(c),
            }
        }
        assert!(!quoted, "every quoted field must be closed");
        assert!(
            field.is_empty() && row.is_empty(),
            "the last row must end with CRLF"
        );
        rows
    }

    #[test]
    fn formula_like_cells_get_a_leading_apostrophe() {
        let hostile = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tX",
            "\rX",
        ];
        let entries = hostile
            .iter()
            .map(|t| {
                let mut e = entry(EntryKind::Track, t);
                e.artist = Some((*t).to_owned());
                e.tags = vec![(*t).to_owned()];
                e
            })
            .collect();
        let rows = parse(&write(&list(entries), false));
        for (row, t) in rows[1..].iter().zip(hostile) {
            for col in [2, 3, 8] {
                assert_eq!(
                    row[col],
                    format!("'{t}"),
                    "column {col} must not start a formula"
                );
            }
        }
    }

    #[test]
    fn numbers_are_written_plain_even_when_negative() {
        let mut e = entry(EntryKind::Album, "Old");
        e.year = Some(-300);
        e.rank = Some(2);
        e.rating = Some(5);
        let rows = parse(&write(&list(vec![e]), false));
        assert_eq!(
            rows[1][5], "-300",
            "a numeric column is a number, not a formula"
        );
        assert_eq!(
            (rows[1][0].as_str(), rows[1][7].as_str()),
            ("2", "5"),
            "rank and rating are plain"
        );
    }

    #[test]
    fn quotes_commas_and_newlines_round_trip() {
        let mut e = entry(EntryKind::Track, "Say \"hi\", then leave");
        e.note = Some("line one\r\nline two\nthree, \"quoted\"".to_owned());
        e.album = Some("A,B".to_owned());
        e.path = Some("/m/a, b/\"c\".flac".into());
        e.tags = vec!["score".to_owned(), "live".to_owned()];
        e.duration_ms = Some(3_725_000);
        let rows = parse(&write(&list(vec![e.clone()]), false));
        assert_eq!(rows[0], HEADER, "the first row is the header");
        let r = &rows[1];
        assert_eq!(r.len(), 11, "every row has one cell per header column");
        assert_eq!(r[2], e.title, "quotes and commas survive quoting");
        assert_eq!(r[4], "A,B", "a comma inside a field must not split it");
        assert_eq!(r[6], "1:02:05", "durations of an hour or more show hours");
        assert_eq!(
            r[10], "/m/a, b/\"c\".flac",
            "paths are text like any other cell"
        );
        assert_eq!(r[8], "score; live", "tags are joined with a semicolon");

        assert_eq!(
            Some(&r[9]),
            e.note.as_ref(),
            "line breaks in a note are kept inside the quotes"
        );
    }

    #[test]
    fn an_apostrophe_before_a_formula_character_gets_one_more_so_reading_can_undo_it() {
        let titles = ["'=1", "''-x", "'plain", "it's"];
        let entries = titles.iter().map(|t| entry(EntryKind::Track, t)).collect();
        let rows = parse(&write(&list(entries), false));
        let cells: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
        assert_eq!(
            cells,
            ["''=1", "'''-x", "'plain", "it's"],
            "only apostrophes that lead to a formula character are doubled"
        );
    }

    #[test]
    fn columns_follow_the_documented_order_with_an_album_as_one_row() {
        let mut album = entry(EntryKind::Album, "Spirited Away");
        album.path = Some("/m/sa".into());
        album.tracks = vec![crate::export::ExportTrack {
            title: "One".to_owned(),
            artist: None,
            album: None,
            duration_ms: None,
            path: "/m/sa/1.flac".into(),
        }];
        let rows = parse(&write(&list(vec![album]), false));
        assert_eq!(
            rows[0].join(","),
            "rank,kind,title,artist,album,year,duration,rating,tags,note,path",
            "the header names the columns in this order"
        );
        assert_eq!(rows.len(), 2, "an album is one row, not one per track");
        assert_eq!(rows[1][10], "/m/sa", "an album row points at its folder");
    }

    #[test]
    fn bom_is_written_only_when_asked() {
        let l = list(vec![entry(EntryKind::Placeholder, "Dune")]);
        assert!(
            write(&l, true).starts_with("\u{feff}rank,"),
            "asked-for BOM must come first"
        );
        assert!(
            write(&l, false).starts_with("rank,"),
            "no BOM unless asked, it confuses some readers"
        );
        assert_eq!(
            write(&l, true).matches('\u{feff}').count(),
            1,
            "exactly one BOM"
        );
    }
}
