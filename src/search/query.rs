//! The search language, parsed into a [`Query`] that the storage layer turns into SQL with bound
//! parameters. User text never becomes SQL.
//!
//! ```text
//! amelie                     free word (prefix match, accents ignored) in any field
//! "la valse"                 phrase
//! composer:zimmer            field filter: composer artist album work title label catalog
//! composer:"hans zimmer"     field phrase
//! year:1977  year:1970..1985  year:1990..  year:..1960
//! format:flac  kind:game  missing:yes
//! tag:favourite  tag:"film noir"  rating:>=4  rating:3..5  rating:none
//! tag:"say ""hi"""          a doubled quote inside quotes is a quote
//! note:brass                 words in the collector's notes and time-coded notes
//! cue:1M1                    a cue number set on a track
//! -word  -composer:zimmer    negation
//! ```

use std::fmt;

/// Text fields of the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Composer,
    Artist,
    Album,
    Work,
    Title,
    Label,
    Catalog,
}

impl TextField {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "composer" | "composers" | "c" => TextField::Composer,
            "artist" | "artists" | "a" => TextField::Artist,
            "album" => TextField::Album,
            "work" | "film" | "game" | "show" => TextField::Work,
            "title" | "t" => TextField::Title,
            "label" => TextField::Label,
            "catalog" | "catno" | "cat" => TextField::Catalog,
            _ => return None,
        })
    }

    /// Index columns the field searches.
    pub fn columns(self) -> &'static str {
        match self {
            TextField::Composer => "composers",
            TextField::Artist => "artists people",
            TextField::Album => "album",
            TextField::Work => "work",
            TextField::Title => "title",
            TextField::Label => "label",
            TextField::Catalog => "catalog",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Words to find; `prefix` lets the last word match as a prefix (typing as you search).
    Text {
        field: Option<TextField>,
        text: String,
        prefix: bool,
    },
    Year {
        from: Option<i32>,
        to: Option<i32>,
    },
    Format(String),
    Kind(String),
    Missing(bool),
    /// Carries the tag (the track, its album or its work), names compared without case.
    Tag(String),
    /// A rating in `from..=to` (the track's own, else its album's); `None` is unrated.
    Rating(Option<(u8, u8)>),
    /// Words in the notes of the track, its album or its work.
    Note {
        text: String,
        prefix: bool,
    },
    /// The track's cue number, compared without case.
    Cue(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negated: bool,
    pub term: Term,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error("{field}: expects {expected}, not {value:?}")]
    BadValue {
        field: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Text { field, text, .. } => match field {
                Some(field) => write!(f, "{field:?}:{text:?}"),
                None => write!(f, "{text:?}"),
            },
            Term::Year { from, to } => write!(f, "year {from:?}..{to:?}"),
            Term::Format(v) => write!(f, "format:{v}"),
            Term::Kind(v) => write!(f, "kind:{v}"),
            Term::Missing(v) => write!(f, "missing:{v}"),
            Term::Tag(v) => write!(f, "tag:{v:?}"),
            Term::Rating(None) => write!(f, "rating:none"),
            Term::Rating(Some((a, b))) => write!(f, "rating:{a}..{b}"),
            Term::Note { text, .. } => write!(f, "note:{text:?}"),
            Term::Cue(v) => write!(f, "cue:{v:?}"),
        }
    }
}

/// Splits the input into (negated, token, quoted) triples, honouring double quotes.
fn tokens(input: &str) -> Vec<(bool, String, bool)> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        let mut negated = false;
        if c == '-' {
            chars.next();
            if chars.peek().is_none_or(|c| c.is_whitespace()) {
                continue;
            }
            negated = true;
        }
        let mut token = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c == '"' || c == '“' || c == '”' {
                chars.next();
                quoted = true;
                while let Some(c) = chars.next() {
                    if c == '"' && chars.peek() == Some(&'"') {
                        // `""` inside quotes is a literal quote (a tag named `say "hi"`).
                        chars.next();
                        token.push('"');
                        continue;
                    }
                    if c == '"' || c == '“' || c == '”' {
                        break;
                    }
                    token.push(c);
                }
            } else if c.is_whitespace() {
                break;
            } else {
                token.push(c);
                chars.next();
            }
        }
        if !token.trim().is_empty() {
            out.push((negated, token, quoted));
        }
    }
    out
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `4`, `>=4`, `>3`, `<=2`, `<2`, `4+`, `2..4`, `none`: an inclusive range of 0–5, or `None`
/// for unrated.
fn parse_rating(s: &str) -> Option<Option<(u8, u8)>> {
    let s = s.trim();
    if matches!(s.to_ascii_lowercase().as_str(), "none" | "no" | "unrated") {
        return Some(None);
    }
    let num = |t: &str| t.trim().parse::<u8>().ok().filter(|n| *n <= 5);
    let range = if let Some(r) = s.strip_prefix(">=") {
        (num(r)?, 5)
    } else if let Some(r) = s.strip_prefix("<=") {
        (0, num(r)?)
    } else if let Some(r) = s.strip_prefix('>') {
        (num(r)?.checked_add(1)?, 5)
    } else if let Some(r) = s.strip_prefix('<') {
        (0, num(r)?.checked_sub(1)?)
    } else if let Some(r) = s.strip_suffix('+') {
        (num(r)?, 5)
    } else if let Some((a, b)) = s.split_once("..") {
        (num(a)?, num(b)?)
    } else {
        let n = num(s)?;
        (n, n)
    };
    (range.0 <= range.1 && range.1 <= 5).then_some(Some(range))
}

/// Parses the search language. Unknown `name:` prefixes are plain text ("Tron:" searches for Tron).
///
/// # Errors
/// When a known field has a value of the wrong shape (`year:soon`).
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let mut clauses = Vec::new();
    for (negated, token, quoted) in tokens(input) {
        let field_split = token
            .split_once(':')
            .filter(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()));
        let term = match field_split {
            Some((name, value)) if !value.is_empty() => {
                let name = name.to_ascii_lowercase();
                let value_quoted = quoted && token.find('"').is_none_or(|q| q > name.len());
                match name.as_str() {
                    "year" => {
                        let bad = || QueryError::BadValue {
                            field: "year",
                            value: value.to_string(),
                            expected: "a year or a range like 1970..1985",
                        };
                        match value.split_once("..") {
                            Some((a, b)) => {
                                let from = if a.is_empty() {
                                    None
                                } else {
                                    Some(parse_year(a).ok_or_else(bad)?)
                                };
                                let to = if b.is_empty() {
                                    None
                                } else {
                                    Some(parse_year(b).ok_or_else(bad)?)
                                };
                                if from.is_none() && to.is_none() {
                                    return Err(bad());
                                }
                                Term::Year { from, to }
                            }
                            None => {
                                let y = parse_year(value).ok_or_else(bad)?;
                                Term::Year {
                                    from: Some(y),
                                    to: Some(y),
                                }
                            }
                        }
                    }
                    "format" | "codec" | "ext" => Term::Format(value.to_lowercase()),
                    "kind" | "type" => Term::Kind(match value.to_lowercase().as_str() {
                        "movie" | "film" | "films" | "movies" => "film".into(),
                        "game" | "games" | "videogame" => "game".into(),
                        "tv" | "show" | "series" | "television" => "tv".into(),
                        _ => {
                            return Err(QueryError::BadValue {
                                field: "kind",
                                value: value.into(),
                                expected: "film, game or tv",
                            })
                        }
                    }),
                    "missing" => Term::Missing(match value.to_lowercase().as_str() {
                        "yes" | "true" | "1" | "y" => true,
                        "no" | "false" | "0" | "n" => false,
                        _ => {
                            return Err(QueryError::BadValue {
                                field: "missing",
                                value: value.into(),
                                expected: "yes or no",
                            })
                        }
                    }),
                    "tag" | "tags" | "tagged" => Term::Tag(value.trim().to_string()),
                    "rating" | "rated" | "stars" => {
                        Term::Rating(parse_rating(value).ok_or_else(|| QueryError::BadValue {
                            field: "rating",
                            value: value.into(),
                            expected: "0 to 5, >=4, <3, 2..4 or none",
                        })?)
                    }
                    "note" | "notes" => Term::Note {
                        text: value.to_string(),
                        prefix: !value_quoted,
                    },
                    "cue" => Term::Cue(value.trim().to_string()),
                    other => match TextField::parse(other) {
                        Some(field) => Term::Text {
                            field: Some(field),
                            text: value.to_string(),
                            prefix: !value_quoted,
                        },
                        None => Term::Text {
                            field: None,
                            text: token.clone(),
                            prefix: !quoted,
                        },
                    },
                }
            }
            _ => Term::Text {
                field: None,
                text: token.clone(),
                prefix: !quoted,
            },
        };
        clauses.push(Clause { negated, term });
    }
    Ok(Query { clauses })
}

/// The FTS5 expression for one text term: the words as one quoted phrase, so punctuation and
/// FTS operators in user text stay literal, with an optional prefix star and column filter.
pub fn fts_expression(field: Option<TextField>, text: &str, prefix: bool) -> Option<String> {
    // Keep only what the tokenizer would keep, so "Tron:" is the word tron and "--" is nothing.
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let phrase = format!("\"{}\"", words.join(" ").replace('"', "\"\""));
    let star = if prefix { "*" } else { "" };
    Some(match field {
        Some(f) => format!("{{{}}} : {phrase}{star}", f.columns()),
        None => format!("{phrase}{star}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: Option<TextField>, text: &str, prefix: bool) -> Clause {
        Clause {
            negated: false,
            term: Term::Text {
                field,
                text: text.into(),
                prefix,
            },
        }
    }

    #[test]
    fn free_words_phrases_and_fields_parse() {
        let q = parse(r#"amelie "la valse" composer:"hans zimmer" label:decca"#).unwrap();
        assert_eq!(
            q.clauses,
            vec![
                text(None, "amelie", true),
                text(None, "la valse", false),
                text(Some(TextField::Composer), "hans zimmer", false),
                text(Some(TextField::Label), "decca", true),
            ]
        );
    }

    #[test]
    fn years_take_single_values_and_ranges() {
        let years = |s: &str| parse(s).unwrap().clauses[0].term.clone();
        assert_eq!(
            years("year:1977"),
            Term::Year {
                from: Some(1977),
                to: Some(1977)
            }
        );
        assert_eq!(
            years("year:1970..1985"),
            Term::Year {
                from: Some(1970),
                to: Some(1985)
            }
        );
        assert_eq!(
            years("year:1990.."),
            Term::Year {
                from: Some(1990),
                to: None
            }
        );
        assert_eq!(
            years("year:..1960"),
            Term::Year {
                from: None,
                to: Some(1960)
            }
        );
        assert!(parse("year:soon").is_err(), "a year must be four digits");
        assert!(parse("year:..").is_err(), "an empty range says nothing");
    }

    #[test]
    fn negation_applies_to_words_and_fields() {
        let q = parse("-drive -kind:game missing:no").unwrap();
        assert!(q.clauses[0].negated && q.clauses[1].negated && !q.clauses[2].negated);
        assert_eq!(q.clauses[1].term, Term::Kind("game".into()));
        assert_eq!(q.clauses[2].term, Term::Missing(false));
        assert_eq!(
            parse("a - b").unwrap().clauses.len(),
            2,
            "a lone dash is nothing"
        );
    }

    #[test]
    fn unknown_prefixes_are_plain_text() {
        assert_eq!(
            parse("Tron:").unwrap().clauses,
            vec![text(None, "Tron:", true)]
        );
        assert_eq!(
            parse("mood:dark").unwrap().clauses,
            vec![text(None, "mood:dark", true)]
        );
    }

    #[test]
    fn annotation_filters_parse() {
        let term = |s: &str| parse(s).unwrap().clauses[0].term.clone();
        assert_eq!(term(r#"tag:"film noir""#), Term::Tag("film noir".into()));
        assert_eq!(term("rating:>=4"), Term::Rating(Some((4, 5))));
        assert_eq!(term("rating:>3"), Term::Rating(Some((4, 5))));
        assert_eq!(term("rating:<2"), Term::Rating(Some((0, 1))));
        assert_eq!(term("rating:2..4"), Term::Rating(Some((2, 4))));
        assert_eq!(term("rating:5"), Term::Rating(Some((5, 5))));
        assert_eq!(term("rating:4+"), Term::Rating(Some((4, 5))));
        assert_eq!(term("rating:none"), Term::Rating(None));
        assert!(parse("rating:>5").is_err(), "nothing is above five stars");
        assert!(parse("rating:<0").is_err(), "nothing is below zero");
        assert!(parse("rating:6").is_err(), "ratings go to five");
        assert!(parse("rating:4..2").is_err(), "a range runs upwards");
        assert_eq!(
            term("note:brass"),
            Term::Note {
                text: "brass".into(),
                prefix: true
            }
        );
        assert_eq!(term("cue:1m7a"), Term::Cue("1m7a".into()));
        assert_eq!(
            term(r#"tag:"say ""hi""""#),
            Term::Tag(r#"say "hi""#.into()),
            "a doubled quote inside quotes is a literal quote"
        );
    }

    #[test]
    fn fts_expressions_quote_user_text() {
        assert_eq!(
            fts_expression(None, "amelie", true).as_deref(),
            Some("\"amelie\"*")
        );
        assert_eq!(
            fts_expression(None, "NOT OR AND", false).as_deref(),
            Some("\"NOT OR AND\""),
            "operators stay words"
        );
        assert_eq!(
            fts_expression(Some(TextField::Artist), "o'brien", true).as_deref(),
            Some("{artists people} : \"o brien\"*")
        );
        assert_eq!(fts_expression(None, "--", true), None);
    }
}
