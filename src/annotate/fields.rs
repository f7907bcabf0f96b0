//! Soundtrack field overrides: the values a collector sets by hand where the tags are silent or
//! wrong. They live in the catalog only (never in the audio files), win over the tags everywhere
//! Cuebook shows or searches a value, and survive rescans because they hang on the album or
//! track identity, not on the scanned row. Pure logic: parsing, validation, cue number order.

use serde::{Deserialize, Serialize};

use super::AnnotateError;

/// Overrides on an album (work, credits, release facts) or a track (its cue number). A `None`
/// field is not overridden: the tags' value shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fields {
    /// The film, game or show. Albums with the same work title group under one work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_year: Option<i32>,
    /// `film`, `game` or `tv`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub composers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orchestrators: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conductors: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_numbers: Option<Vec<String>>,
    /// "Expanded", "Complete score", "Deluxe edition"…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// A limited pressing: how many copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited_to: Option<u32>,
    /// A track's cue number in the score ("1M1", "2M7A", "R3/P2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}

/// The field names the CLI and the app use, in display order.
pub const FIELD_NAMES: &[&str] = &[
    "work",
    "work-year",
    "work-kind",
    "composers",
    "orchestrators",
    "conductors",
    "label",
    "catalog-numbers",
    "edition",
    "limited-to",
    "cue",
];

/// The one field a track can override.
pub const TRACK_FIELDS: &[&str] = &["cue"];

const WORK_KINDS: &[&str] = &["film", "game", "tv"];
const MAX_TEXT: usize = 500;
const MAX_NAMES: usize = 100;

impl Fields {
    pub fn is_empty(&self) -> bool {
        *self == Fields::default()
    }

    /// Sets field `name` from text, as typed in the CLI or the app: names and catalog numbers are
    /// separated by `;` (or new lines); an empty value clears the override.
    ///
    /// # Errors
    /// For an unknown field or a value of the wrong shape.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), AnnotateError> {
        let value = value.trim();
        let bad = |expected: &str| AnnotateError::BadField {
            field: name.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        };
        let text = || -> Result<Option<String>, AnnotateError> {
            let t = clean_text(value);
            if t.chars().count() > MAX_TEXT {
                return Err(bad("at most 500 characters"));
            }
            Ok((!t.is_empty()).then_some(t))
        };
        let names = || -> Result<Option<Vec<String>>, AnnotateError> {
            let list: Vec<String> = value
                .split([';', '\n'])
                .map(clean_text)
                .filter(|s| !s.is_empty())
                .collect();
            if list.len() > MAX_NAMES || list.iter().any(|s| s.chars().count() > MAX_TEXT) {
                return Err(bad("at most 100 entries of 500 characters"));
            }
            Ok((!list.is_empty()).then_some(list))
        };
        match name {
            "work" | "work-title" => self.work_title = text()?,
            "work-year" => {
                self.work_year = if value.is_empty() {
                    None
                } else {
                    Some(
                        value
                            .parse::<i32>()
                            .ok()
                            .filter(|y| (1000..=9999).contains(y))
                            .ok_or_else(|| bad("a year such as 1982"))?,
                    )
                }
            }
            "work-kind" => {
                self.work_kind = if value.is_empty() {
                    None
                } else {
                    let v = value.to_ascii_lowercase();
                    let v = match v.as_str() {
                        "show" | "television" | "series" => "tv".to_string(),
                        "movie" => "film".to_string(),
                        "video game" | "videogame" => "game".to_string(),
                        _ => v,
                    };
                    if !WORK_KINDS.contains(&v.as_str()) {
                        return Err(bad("film, game or tv"));
                    }
                    Some(v)
                }
            }
            "composers" | "composer" => self.composers = names()?,
            "orchestrators" | "orchestrator" => self.orchestrators = names()?,
            "conductors" | "conductor" => self.conductors = names()?,
            "label" => self.label = text()?,
            "catalog-numbers" | "catalog-number" | "catalog" => self.catalog_numbers = names()?,
            "edition" => self.edition = text()?,
            "limited-to" => {
                self.limited_to = if value.is_empty() {
                    None
                } else {
                    Some(
                        value
                            .trim_end_matches(" copies")
                            .replace([',', '_', ' '], "")
                            .parse::<u32>()
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or_else(|| bad("a number of copies such as 3000"))?,
                    )
                }
            }
            "cue" => {
                let t = text()?;
                if t.as_ref().is_some_and(|c| c.chars().count() > 32) {
                    return Err(bad("a cue number such as 1M1 (at most 32 characters)"));
                }
                self.cue = t;
            }
            _ => {
                return Err(AnnotateError::UnknownField(name.to_string()));
            }
        }
        Ok(())
    }

    /// Field `name` as text (the inverse of [`Fields::set`]); empty when not overridden.
    pub fn get(&self, name: &str) -> Option<String> {
        let join = |l: &Option<Vec<String>>| l.as_ref().map(|l| l.join("; "));
        match name {
            "work" => self.work_title.clone(),
            "work-year" => self.work_year.map(|y| y.to_string()),
            "work-kind" => self.work_kind.clone(),
            "composers" => join(&self.composers),
            "orchestrators" => join(&self.orchestrators),
            "conductors" => join(&self.conductors),
            "label" => self.label.clone(),
            "catalog-numbers" => join(&self.catalog_numbers),
            "edition" => self.edition.clone(),
            "limited-to" => self.limited_to.map(|n| n.to_string()),
            "cue" => self.cue.clone(),
            _ => None,
        }
    }

    /// Whether the work fields are set, so the album belongs to a work of the user's.
    pub fn sets_work(&self) -> bool {
        self.work_title.is_some() || self.work_year.is_some() || self.work_kind.is_some()
    }

    /// Checks a value from outside (a backup file, the app) as [`Fields::set`] would.
    ///
    /// # Errors
    /// When any field is out of shape.
    pub fn validated(self) -> Result<Self, AnnotateError> {
        let mut out = Fields::default();
        for name in FIELD_NAMES {
            if let Some(v) = self.get(name) {
                out.set(name, &v)?;
            }
        }
        Ok(out)
    }
}

/// Control characters out, runs of whitespace to one space.
fn clean_text(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A key that sorts cue numbers naturally: runs of digits compare as numbers (1M2 < 1M10 <
/// 2M1), an inserted cue follows its base (1M7 < 1M7A < 1M8), case is ignored.
pub fn cue_sort_key(cue: &str) -> String {
    let mut key = String::with_capacity(cue.len() + 16);
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
            // Length first, then the digits: numbers of any length compare by value.
            key.push(char::from(b'a' + trimmed.len().min(25) as u8));
            key.push_str(trimmed);
            digits.clear();
        }
    };
    for c in cue.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut key);
            // Letters and separators sort after the number they follow ("7" < "7A").
            key.push('~');
            key.extend(c.to_lowercase());
        }
    }
    flush(&mut digits, &mut key);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_numbers_sort_naturally_with_inserted_cues_after_their_base() {
        let mut cues = vec![
            "2M1", "1M10", "1m7A", "1M2", "1M7", "1M1", "1M8", "10M1", "1M7B",
        ];
        cues.sort_by_key(|c| cue_sort_key(c));
        assert_eq!(
            cues,
            vec!["1M1", "1M2", "1M7", "1m7A", "1M7B", "1M8", "1M10", "2M1", "10M1"],
            "numbers compare by value, a letter suffix follows its base cue, case is ignored"
        );
    }

    #[test]
    fn other_cue_schemes_sort_by_their_numbers_too() {
        let mut cues = vec!["R2/P1", "R10/P1", "R1/P2", "R1/P10", "M101", "M12"];
        cues.sort_by_key(|c| cue_sort_key(c));
        assert_eq!(
            cues,
            vec!["M12", "M101", "R1/P2", "R1/P10", "R2/P1", "R10/P1"],
            "reel/part and plain cue numbers order by value"
        );
        assert!(
            cue_sort_key("007") == cue_sort_key("7"),
            "leading zeros do not matter"
        );
    }

    #[test]
    fn names_split_on_semicolons_and_empty_clears() {
        let mut f = Fields::default();
        f.set("composers", " Jerry Goldsmith ;  ; Alexander Courage")
            .unwrap();
        assert_eq!(
            f.composers,
            Some(vec!["Jerry Goldsmith".into(), "Alexander Courage".into()]),
            "names are trimmed and empty entries dropped"
        );
        f.set("composers", "  ").unwrap();
        assert_eq!(f.composers, None, "an empty value removes the override");
        assert!(f.is_empty());
    }

    #[test]
    fn bad_values_are_refused_with_the_field_named() {
        let mut f = Fields::default();
        let e = f.set("work-year", "soon").unwrap_err().to_string();
        assert!(e.contains("work-year") && e.contains("soon"), "{e}");
        assert!(f.set("work-kind", "opera").is_err(), "only film, game, tv");
        assert!(f.set("limited-to", "-3").is_err(), "a count is positive");
        assert!(f.set("mood", "x").is_err(), "unknown field");
        f.set("limited-to", "3,000 copies").unwrap();
        assert_eq!(
            f.limited_to,
            Some(3000),
            "a typed count with separators reads"
        );
        f.set("work-kind", "Show").unwrap();
        assert_eq!(f.work_kind.as_deref(), Some("tv"), "synonyms map to a kind");
    }

    #[test]
    fn validated_rejects_what_set_rejects_and_keeps_the_rest() {
        let f = Fields {
            label: Some("  Varèse\tSarabande ".into()),
            cue: Some("1M1".into()),
            ..Default::default()
        };
        let v = f.validated().unwrap();
        assert_eq!(
            v.label.as_deref(),
            Some("Varèse Sarabande"),
            "whitespace is tidied"
        );
        let bad = Fields {
            work_kind: Some("opera".into()),
            ..Default::default()
        };
        assert!(
            bad.validated().is_err(),
            "a hostile backup cannot store a bad kind"
        );
    }

    #[test]
    fn fields_serialize_only_what_is_overridden() {
        let f = Fields {
            cue: Some("1M1".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"cue":"1M1"}"#);
        assert!(
            serde_json::from_str::<Fields>(r#"{"cue":"1M1","evil":1}"#).is_err(),
            "unknown keys are refused"
        );
    }
}
