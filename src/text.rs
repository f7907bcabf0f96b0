//! Text and path normalization shared by the catalog and search.
//!
//! `fold` is the one definition of "the same text" for grouping: case, accents, compatibility forms
//! and whitespace do not matter. Paths are stored as their exact OS bytes so that names that are not
//! UTF-8 survive; they are shown lossily.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-cases, removes accents, turns curly quotes into straight ones and collapses whitespace.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            'ß' => {
                out.push_str("ss");
                space = false;
                continue;
            }
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

const LEADING_ARTICLES: &[&str] = &[
    "the ", "a ", "an ", "le ", "la ", "les ", "l'", "il ", "el ", "los ", "die ", "der ", "das ",
];

/// `fold` without a leading article, for sorting and grouping titles ("The Others" sorts as "others").
pub fn sort_key(s: &str) -> String {
    let folded = fold(s);
    for article in LEADING_ARTICLES {
        if let Some(rest) = folded.strip_prefix(article) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    folded
}

/// The exact bytes of a path, as stored in the database.
pub fn path_bytes(path: &Path) -> Vec<u8> {
    path.as_os_str().as_bytes().to_vec()
}

/// A path from its stored bytes.
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(bytes))
}

/// A path for people: invalid UTF-8 shown as U+FFFD.
pub fn display_path(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Trims and drops empty strings; `None` for nothing left.
pub fn clean(s: Option<&str>) -> Option<String> {
    let s = s?.trim().trim_matches('\0').trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_accents_and_spacing() {
        assert_eq!(
            fold("  Amélie  Poulain "),
            "amelie poulain",
            "accents and spacing must not matter"
        );
        assert_eq!(
            fold("GÖRANSSON"),
            "goransson",
            "upper-case umlauts fold to plain letters"
        );
        assert_eq!(
            fold("Schindler’s List"),
            "schindler's list",
            "curly apostrophes become straight"
        );
        assert_eq!(
            fold("植松伸夫"),
            "植松伸夫",
            "scripts without case are kept"
        );
    }

    #[test]
    fn sort_key_drops_one_leading_article() {
        assert_eq!(sort_key("The Others"), "others");
        assert_eq!(sort_key("L'Été"), "ete");
        assert_eq!(
            sort_key("The"),
            "the",
            "a title that is only an article keeps it"
        );
        assert_eq!(sort_key("Up"), "up");
    }
}
