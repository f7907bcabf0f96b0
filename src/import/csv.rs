//! CSV reading per RFC 4180 (quoted fields with embedded delimiters, quotes and line breaks),
//! with `;` or TAB as the delimiter when the first line has no comma, and a column mapping that
//! says which column holds what (guessed from English header names when not given).
//!
//! Cells Cuebook's writer neutralized against formula injection get their `'` back off, under the
//! same rule the writer used (see [`crate::export::csv`]), so a round trip is exact. One row is in
//! memory at a time, and rows are limited to [`MAX_COLUMNS`] cells.

use std::path::Path;

use super::path::{self, Location};
use super::{
    kind_from_name, Collector, CsvMapping, CsvPreview, ImportError, ImportedEntry, ImportedFile,
    ImportedList,
};
use crate::export::csv::{FORMULA_STARTS, HEADER};

const MAX_COLUMNS: usize = 1000;
const PREVIEW_ROWS: usize = 5;

/// A mapped field: its name in messages, its slot in a mapping, and the header names that
/// suggest it (lowercase; `_` reads as a space).
struct Field {
    name: &'static str,
    slot: fn(&mut CsvMapping) -> &mut Option<usize>,
    names: &'static [&'static str],
}

const FIELDS: [Field; 11] = [
    Field {
        name: "the rank",
        slot: |m| &mut m.rank,
        names: &[
            "rank", "position", "pos", "pos.", "#", "no", "no.", "nr", "nr.", "number", "place",
            "ranking",
        ],
    },
    Field {
        name: "the kind",
        slot: |m| &mut m.kind,
        names: &["kind", "type", "entry type"],
    },
    Field {
        name: "the title",
        slot: |m| &mut m.title,
        names: &[
            "title",
            "name",
            "track",
            "track title",
            "track name",
            "album title",
            "album name",
            "song",
            "work",
            "piece",
        ],
    },
    Field {
        name: "the artist",
        slot: |m| &mut m.artist,
        names: &[
            "artist",
            "artists",
            "composer",
            "composers",
            "creator",
            "album artist",
            "performer",
            "by",
        ],
    },
    Field {
        name: "the album",
        slot: |m| &mut m.album,
        names: &["album", "from album", "release"],
    },
    Field {
        name: "the year",
        slot: |m| &mut m.year,
        names: &["year", "date", "release year", "released", "release date"],
    },
    Field {
        name: "the duration",
        slot: |m| &mut m.duration,
        names: &["duration", "length", "time", "running time", "runtime"],
    },
    Field {
        name: "the rating",
        slot: |m| &mut m.rating,
        names: &["rating", "stars", "score"],
    },
    Field {
        name: "the tags",
        slot: |m| &mut m.tags,
        names: &["tags", "tag", "genre", "genres", "keywords", "labels"],
    },
    Field {
        name: "the note",
        slot: |m| &mut m.note,
        names: &[
            "note",
            "notes",
            "comment",
            "comments",
            "description",
            "remarks",
            "annotation",
        ],
    },
    Field {
        name: "the path",
        slot: |m| &mut m.path,
        names: &[
            "path",
            "location",
            "file",
            "filename",
            "file name",
            "file path",
            "folder",
            "uri",
            "url",
        ],
    },
];

/// The records of a CSV text, one at a time.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    /// The line `pos` is on, 1-based.
    line: usize,
    delimiter: u8,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        let first = text.split(['\r', '\n']).next().unwrap_or_default();
        let delimiter = if first.contains(',') {
            b','
        } else {
            let (semi, tab) = (first.matches(';').count(), first.matches('\t').count());
            match (semi, tab) {
                (0, 0) => b',',
                (s, t) if s >= t => b';',
                _ => b'\t',
            }
        };
        Self {
            text,
            pos: 0,
            line: 1,
            delimiter,
        }
    }

    /// The next record that is not a blank line, with the line it starts on.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, ImportError> {
        loop {
            match self.record()? {
                Some((_, cells)) if cells.len() == 1 && cells[0].is_empty() => continue,
                other => return Ok(other),
            }
        }
    }

    fn record(&mut self) -> Result<Option<(usize, Vec<String>)>, ImportError> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return Ok(None);
        }
        let start_line = self.line;
        let mut cells = Vec::new();
        loop {
            let mut cell = String::new();
            if bytes.get(self.pos) == Some(&b'"') {
                let quote_line = self.line;
                self.pos += 1;
                loop {
                    let Some(i) = self.text[self.pos..].find('"') else {
                        return Err(ImportError::CsvQuote { line: quote_line });
                    };
                    let inside = &self.text[self.pos..self.pos + i];
                    self.line += line_breaks(inside);
                    cell.push_str(inside);
                    self.pos += i + 1;
                    if bytes.get(self.pos) == Some(&b'"') {
                        cell.push('"');
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
            }
            // Unquoted text, or whatever follows a closing quote (kept, leniently).
            let rest = &bytes[self.pos..];
            let end = rest
                .iter()
                .position(|&b| b == self.delimiter || b == b'\r' || b == b'\n')
                .map_or(bytes.len(), |i| self.pos + i);
            cell.push_str(&self.text[self.pos..end]);
            self.pos = end;
            cells.push(cell);
            if cells.len() > MAX_COLUMNS {
                return Err(ImportError::CsvColumns {
                    line: start_line,
                    max: MAX_COLUMNS,
                });
            }
            match bytes.get(self.pos) {
                None => break,
                Some(&b) if b == self.delimiter => self.pos += 1,
                Some(b'\r') => {
                    self.pos += if bytes.get(self.pos + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    self.line += 1;
                    break;
                }
                Some(_) => {
                    self.pos += 1;
                    self.line += 1;
                    break;
                }
            }
        }
        Ok(Some((start_line, cells)))
    }
}

/// Line breaks in `s`, counting CRLF once.
fn line_breaks(s: &str) -> usize {
    s.matches('\n').count() + s.matches('\r').count() - s.matches("\r\n").count()
}

/// The mapping a header row suggests, and how many of its columns were recognized.
fn suggest(header: &[String]) -> (CsvMapping, usize) {
    let mut mapping = CsvMapping {
        has_header: true,
        ..CsvMapping::default()
    };
    let mut matched = 0;
    for (column, name) in header.iter().enumerate() {
        let name = name
            .trim()
            .trim_end_matches(':')
            .replace('_', " ")
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(field) = FIELDS.iter().find(|f| f.names.contains(&name.as_str())) {
            let slot = (field.slot)(&mut mapping);
            if slot.is_none() {
                *slot = Some(column);
                matched += 1;
            }
        }
    }
    (mapping, matched)
}

/// The guess for a file whose header names nothing known: no header, titles in the first column.
fn fallback() -> CsvMapping {
    CsvMapping {
        has_header: false,
        title: Some(0),
        ..CsvMapping::default()
    }
}

pub(super) fn preview(text: &str) -> Result<CsvPreview, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut records = Records::new(text);
    let mut rows = Vec::new();
    while rows.len() <= PREVIEW_ROWS {
        match records.next_record()? {
            Some((_, cells)) => rows.push(
                cells
                    .iter()
                    .map(|c| unneutralize(c).to_owned())
                    .collect::<Vec<String>>(),
            ),
            None => break,
        }
    }
    let Some(first) = rows.first() else {
        return Err(ImportError::Empty);
    };
    let (suggested, matched) = suggest(first);
    if matched > 0 {
        let headers = rows.remove(0);
        return Ok(CsvPreview {
            headers,
            rows,
            suggested,
        });
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    rows.truncate(PREVIEW_ROWS);
    Ok(CsvPreview {
        headers: (1..=width).map(|i| format!("Column {i}")).collect(),
        rows,
        suggested: fallback(),
    })
}

pub(super) fn parse(
    text: &str,
    base: &Path,
    mapping: Option<&CsvMapping>,
) -> Result<ImportedList, ImportError> {
    let mut out = Collector::default();
    let mut records = Records::new(text);
    let Some(first) = records.next_record()? else {
        return Err(ImportError::NoEntries);
    };
    let mapping = match mapping {
        Some(m) => m.clone(),
        None => match suggest(&first.1) {
            (m, matched) if matched > 0 => m,
            _ => {
                out.warn(
                    1,
                    "no column name was recognized; the first column was read as titles",
                );
                fallback()
            }
        },
    };
    let width = first.1.len();
    for field in &FIELDS {
        let mut m = mapping.clone();
        if let Some(column) = *(field.slot)(&mut m) {
            if column >= width {
                return Err(ImportError::CsvMissingColumn {
                    field: field.name,
                    column: column + 1,
                    width,
                });
            }
        }
    }
    // Our own export: its tags are joined with `; ` and may hold commas themselves.
    let ours = first.1.iter().map(String::as_str).eq(HEADER);
    let mut pending = (!mapping.has_header).then_some(first);
    while let Some((line, cells)) = match pending.take() {
        Some(record) => Some(record),
        None => records.next_record()?,
    } {
        if let Some(entry) = entry_of(line, &cells, &mapping, ours, base, &mut out) {
            out.push_entry(entry)?;
        }
    }
    Ok(out.list)
}

/// The entry a row describes; `None` for a row whose mapped cells are all empty.
fn entry_of(
    line: usize,
    cells: &[String],
    m: &CsvMapping,
    ours: bool,
    base: &Path,
    out: &mut Collector,
) -> Option<ImportedEntry> {
    let raw = |i: Option<usize>| -> Option<&str> {
        i.and_then(|i| cells.get(i))
            .map(String::as_str)
            .filter(|c| !c.trim().is_empty())
    };
    let text = |i: Option<usize>| raw(i).map(|c| unneutralize(c).to_owned());
    let columns = [
        m.rank, m.kind, m.title, m.artist, m.album, m.year, m.duration, m.rating, m.tags, m.note,
        m.path,
    ];
    if columns.iter().all(|&c| raw(c).is_none()) {
        return None;
    }
    let mut checked = |field: &str, cell: Option<&str>, read: fn(&str) -> Option<i64>| {
        let cell = cell?;
        let value = read(cell.trim());
        if value.is_none() {
            out.warn(line, format!("{field} \"{cell}\" cannot be read; left out"));
        }
        value
    };
    let rank = checked("the rank", raw(m.rank), read_rank).and_then(|r| u32::try_from(r).ok());
    let year = checked("the year", raw(m.year), read_year).and_then(|y| i32::try_from(y).ok());
    let duration_ms = checked("the duration", raw(m.duration), read_duration);
    let rating =
        checked("the rating", raw(m.rating), read_rating).and_then(|r| u8::try_from(r).ok());
    let kind = raw(m.kind).and_then(|k| {
        let kind = kind_from_name(k);
        if kind.is_none() {
            out.warn(line, format!("the kind \"{k}\" is unknown; left out"));
        }
        kind
    });
    let tags = text(m.tags)
        .map(|t| split_tags(&t, ours))
        .unwrap_or_default();
    let (title, artist, album) = (text(m.title), text(m.artist), text(m.album));
    let path = text(m.path).and_then(|p| match path::from_line(&p, base) {
        Location::File(path) => Some(path),
        Location::Remote(scheme) => {
            out.warn(
                line,
                format!("not a local file ({scheme}:); kept without a path"),
            );
            None
        }
        Location::Invalid(why) => {
            out.warn(line, format!("the path was skipped: {why}"));
            None
        }
    });
    let is_file = match kind {
        Some(super::EntryKind::Track) => true,
        None => path
            .as_deref()
            .is_some_and(|p| path::looks_like_audio_file(&p.to_string_lossy())),
        Some(_) => false,
    };
    let files = path
        .iter()
        .filter(|_| is_file)
        .map(|p| ImportedFile {
            path: p.clone(),
            title: title.clone(),
            artist: artist.clone(),
            album: album.clone(),
            duration_ms,
        })
        .collect();
    Some(ImportedEntry {
        kind,
        rank,
        title,
        artist,
        album,
        year,
        duration_ms,
        note: text(m.note),
        tags,
        rating,
        path,
        files,
    })
}

/// A cell without the `'` our writer put before a formula character (or before `'`s leading to
/// one); any other cell as it is.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// `12`, `#12` or `12.`.
fn read_rank(s: &str) -> Option<i64> {
    let s = s.strip_prefix('#').unwrap_or(s);
    let s = s.strip_suffix('.').unwrap_or(s);
    s.parse::<u32>().ok().map(i64::from)
}

/// `2001`, or a date starting with the year (`2001-07-20`).
fn read_year(s: &str) -> Option<i64> {
    if let Ok(y) = s.parse::<i32>() {
        return Some(i64::from(y));
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (digits == 4 && s.len() > 4)
        .then(|| s[..4].parse().ok())
        .flatten()
}

/// `m:ss`, `h:mm:ss` (seconds may have a fraction) or whole milliseconds.
fn read_duration(s: &str) -> Option<i64> {
    if !s.contains(':') {
        return s.parse::<i64>().ok().filter(|ms| *ms >= 0);
    }
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [m, s] => ("0", *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    let sec: f64 = sec
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s < 60.0)?;
    if h < 0 || m < 0 || (parts.len() == 3 && m >= 60) || h > 1_000_000 || m > 60_000_000 {
        return None;
    }
    Some((h * 3600 + m * 60) * 1000 + (sec * 1000.0).round() as i64)
}

/// `0`–`5`, or stars like `★★★☆☆`.
fn read_rating(s: &str) -> Option<i64> {
    if let Ok(r) = s.parse::<u8>() {
        return (r <= 5).then_some(i64::from(r));
    }
    let stars = s.chars().filter(|&c| c == '★').count();
    let ok = !s.is_empty() && s.chars().all(|c| c == '★' || c == '☆') && stars <= 5;
    ok.then_some(stars as i64)
}

/// Tags separated by `;`, or by `,` when there is no `;` and the file is not Cuebook's own (whose
/// tags may hold commas).
fn split_tags(s: &str, ours: bool) -> Vec<String> {
    let separator = if ours || s.contains(';') { ';' } else { ',' };
    s.split(separator)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_str(s: &str, mapping: Option<&CsvMapping>) -> Result<ImportedList, ImportError> {
        parse(s, Path::new("/l"), mapping)
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let list = parse_str(
            "Title,Artist,Notes\r\n\"Say \"\"hi\"\", then\",\"A,B\",\"one\r\ntwo\"\r\n\r\nPlain,X,\r\n",
            None,
        )
        .expect("RFC 4180 CSV parses");
        assert_eq!(list.entries.len(), 2, "the blank line is not an entry");
        let e = &list.entries[0];
        assert_eq!(
            e.title.as_deref(),
            Some("Say \"hi\", then"),
            "doubled quotes and commas"
        );
        assert_eq!(e.artist.as_deref(), Some("A,B"), "a comma inside quotes");
        assert_eq!(
            e.note.as_deref(),
            Some("one\r\ntwo"),
            "CRLF inside quotes is kept as is"
        );
        assert_eq!(list.entries[1].note, None, "an empty cell is no note");
    }

    #[test]
    fn semicolon_and_tab_delimiters_are_detected_from_the_header() {
        for (text, what) in [
            ("Title;Year\nA;2001\n", "semicolon"),
            ("Title\tYear\nA\t2001\n", "tab"),
        ] {
            let list = parse_str(text, None).expect("parses");
            assert_eq!(
                (list.entries[0].title.as_deref(), list.entries[0].year),
                (Some("A"), Some(2001)),
                "{what}-separated columns are split"
            );
        }
    }

    #[test]
    fn header_synonyms_suggest_the_mapping() {
        let header: Vec<String> = [
            "No.",
            "Album title",
            "Composer",
            "Comment",
            "Location",
            "Stars",
            "Length",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let (m, matched) = suggest(&header);
        assert_eq!(matched, 7, "every column is recognized");
        assert_eq!(
            (m.rank, m.title, m.artist, m.note, m.path, m.rating, m.duration),
            (
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6)
            ),
            "synonyms map to the fields"
        );
        assert!(m.has_header, "a recognized header is a header");
    }

    #[test]
    fn values_are_read_in_their_common_spellings() {
        assert_eq!(read_duration("3:05"), Some(185_000), "m:ss");
        assert_eq!(read_duration("1:02:05"), Some(3_725_000), "h:mm:ss");
        assert_eq!(read_duration("185000"), Some(185_000), "milliseconds");
        assert_eq!(read_duration("3:75"), None, "seconds must be below 60");
        assert_eq!(read_rating("★★★☆☆"), Some(3), "filled stars count");
        assert_eq!(read_rating("4"), Some(4), "a number");
        assert_eq!(read_rating("7"), None, "ratings go to five");
        assert_eq!(read_rank("#12"), Some(12), "a hash before the number");
        assert_eq!(read_rank("12."), Some(12), "a dot after it");
        assert_eq!(read_year("2001-07-20"), Some(2001), "a date gives its year");
        assert_eq!(
            split_tags("a; b;;c", false),
            ["a", "b", "c"],
            "semicolons first"
        );
        assert_eq!(split_tags("a, b", false), ["a", "b"], "else commas");
        assert_eq!(
            split_tags("rock, roll", true),
            ["rock, roll"],
            "in Cuebook's own CSV a lone tag may hold a comma"
        );
    }

    #[test]
    fn broken_files_and_mappings_are_refused_with_the_place() {
        let unclosed = parse_str("title\nok\n\"never\nclosed\n", None);
        assert!(
            matches!(unclosed, Err(ImportError::CsvQuote { line: 3 })),
            "the line where the quote opened: {unclosed:?}"
        );
        let mapping = CsvMapping {
            has_header: true,
            title: Some(5),
            ..CsvMapping::default()
        };
        let missing = parse_str("a,b\n1,2\n", Some(&mapping)).map(|_| ());
        assert_eq!(
            missing.map_err(|e| e.to_string()),
            Err(
                "the column mapping reads the title from column 6, but the file has 2 columns"
                    .into()
            ),
            "a mapping past the last column is refused"
        );
        let wide = format!("{}\n", ",".repeat(5000));
        assert!(
            matches!(parse_str(&wide, None), Err(ImportError::CsvColumns { .. })),
            "a row of thousands of cells is refused"
        );
    }

    #[test]
    fn a_foreign_row_with_an_audio_file_path_gets_the_file() {
        let list = parse_str(
            "title,path\nA,music/a.flac\nB,/m/folder\nC,http://x.example/c\n",
            None,
        )
        .expect("parses");
        assert_eq!(
            list.entries[0]
                .files
                .iter()
                .map(|f| f.path.clone())
                .collect::<Vec<_>>(),
            [PathBuf::from("/l/music/a.flac")],
            "a relative audio path resolves and is a file"
        );
        assert!(
            list.entries[1].files.is_empty() && list.entries[1].path.is_some(),
            "a folder is a path, not a file"
        );
        assert_eq!(list.entries[2].path, None, "a URL is not a path");
        assert_eq!(list.warnings.len(), 1, "the URL is reported");
    }

    #[test]
    fn preview_shows_the_header_and_five_rows_or_made_up_names() {
        let text = "Track,Artist\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n";
        let p = preview(text).expect("previews");
        assert_eq!(p.headers, ["Track", "Artist"], "the header row");
        assert_eq!(p.rows.len(), 5, "five rows");
        assert_eq!(p.suggested.title, Some(0), "Track is the title");
        let p = preview("x,y,z\n1,2\n").expect("previews");
        assert_eq!(
            p.headers,
            ["Column 1", "Column 2", "Column 3"],
            "no known names: made-up ones"
        );
        assert_eq!(p.rows.len(), 2, "the first row is data then");
        assert!(!p.suggested.has_header, "and not a header");
    }
}
