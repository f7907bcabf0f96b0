//! Deriving the work (film, game or show) and the kind of release from an album title.
//!
//! "Jaws (Original Motion Picture Soundtrack)", "Her (Original Score)", "Music from the Motion
//! Picture Pulp Fiction" and "Final Fantasy VII Original Soundtrack" all name their work; this module
//! strips the soundtrack wording and reads what it says about the medium. Pure functions, no I/O.

use crate::text::fold;

/// Film, game or TV, as far as the title or genre tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkKind {
    Film,
    Game,
    Tv,
}

impl WorkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkKind::Film => "film",
            WorkKind::Game => "game",
            WorkKind::Tv => "tv",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match fold(s).as_str() {
            "film" | "movie" | "films" | "movies" => Some(WorkKind::Film),
            "game" | "games" | "videogame" | "video game" => Some(WorkKind::Game),
            "tv" | "television" | "show" | "series" => Some(WorkKind::Tv),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedWork {
    /// The work's title, `None` when the album title is only soundtrack wording ("Original Soundtrack").
    pub title: Option<String>,
    pub kind: Option<WorkKind>,
    /// "score" or "soundtrack", when the title says so.
    pub release_kind: Option<&'static str>,
}

/// Words that make a bracketed or trailing phrase soundtrack wording.
const CORE: &[&[&str]] = &[
    &["soundtrack"],
    &["soundtracks"],
    &["sound", "track"],
    &["score"],
    &["ost"],
    &["o", "s", "t"],
    &["music", "from"],
    &["music", "inspired"],
    &["songs", "from"],
    &["bande", "originale"],
    &["colonna", "sonora"],
    &["banda", "sonora"],
    &["filmmusik"],
    &["musique", "du", "film"],
    &["musique", "originale"],
];

/// Bracketed phrases about the release rather than the work.
const EDITION_WORDS: &[&str] = &[
    "edition",
    "remaster",
    "remastered",
    "anniversary",
    "deluxe",
    "expanded",
    "limited",
    "reissue",
    "bonus",
    "version",
    "remastering",
    "complete",
];

/// Words that may surround the core words in an unbracketed suffix ("... Original Video Game Soundtrack").
const SUFFIX_WORDS: &[&str] = &[
    "original",
    "motion",
    "picture",
    "soundtrack",
    "sound",
    "track",
    "score",
    "ost",
    "video",
    "game",
    "music",
    "the",
    "complete",
    "film",
    "movie",
    "tv",
    "television",
    "series",
    "from",
    "official",
    "expanded",
    "deluxe",
    "edition",
    "and",
    "songs",
    "anime",
    "vol",
    "volume",
];

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn contains_seq(words: &[String], seq: &[&str]) -> bool {
    words
        .windows(seq.len())
        .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
}

fn is_soundtrack_phrase(s: &str) -> bool {
    let w = words(s);
    CORE.iter().any(|seq| contains_seq(&w, seq))
        || s.contains("サウンドトラック")
        || s.contains("サントラ")
}

fn is_edition_phrase(s: &str) -> bool {
    words(s).iter().any(|w| EDITION_WORDS.contains(&w.as_str()))
}

/// What a phrase says about the medium.
fn kind_in(s: &str) -> Option<WorkKind> {
    let w = words(s);
    let has = |seq: &[&str]| contains_seq(&w, seq);
    if has(&["game"]) || has(&["videogame"]) || has(&["games"]) || has(&["vgm"]) {
        Some(WorkKind::Game)
    } else if has(&["tv"])
        || has(&["television"])
        || has(&["series"])
        || has(&["anime"])
        || has(&["show"])
    {
        Some(WorkKind::Tv)
    } else if has(&["motion", "picture"])
        || has(&["film"])
        || has(&["movie"])
        || has(&["filmmusik"])
        || has(&["cinema"])
        || has(&["pelicula"])
    {
        Some(WorkKind::Film)
    } else {
        None
    }
}

fn release_kind_in(s: &str) -> Option<&'static str> {
    let w = words(s);
    if contains_seq(&w, &["score"]) {
        Some("score")
    } else if CORE.iter().any(|seq| contains_seq(&w, seq)) {
        Some("soundtrack")
    } else {
        None
    }
}

/// Splits a trailing "(...)" or "[...]" group off `s`.
fn split_trailing_group(s: &str) -> Option<(&str, &str)> {
    let t = s.trim_end();
    let close = t.chars().last()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let mut depth = 0;
    for (i, c) in t.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth -= 1;
            if depth == 0 {
                return Some((t[..i].trim_end(), &t[i + 1..t.len() - 1]));
            }
        }
    }
    None
}

/// Splits "Title: Suffix" or "Title - Suffix" at the last separator.
fn split_trailing_separated(s: &str) -> Option<(&str, &str)> {
    [": ", " - ", " – ", " — ", " ~ "]
        .iter()
        .filter_map(|sep| s.rfind(sep).map(|i| (i, sep.len())))
        .max_by_key(|(i, _)| *i)
        .map(|(i, len)| (s[..i].trim_end(), s[i + len..].trim()))
}

/// Cuts a trailing run of soundtrack words ("Final Fantasy VII Original Soundtrack").
fn split_unbracketed_suffix(s: &str) -> Option<(&str, &str)> {
    let mut cut = s.len();
    let mut saw_core = false;
    let mut boundaries: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .collect();
    boundaries.reverse();
    let mut end = s.len();
    for start in boundaries
        .into_iter()
        .map(|i| i + 1)
        .chain(std::iter::once(0))
    {
        let word = &s[start..end];
        let folded = fold(word.trim_matches(|c: char| !c.is_alphanumeric()));
        if !SUFFIX_WORDS.contains(&folded.as_str()) {
            break;
        }
        if matches!(folded.as_str(), "soundtrack" | "score" | "ost" | "track") {
            saw_core = true;
        }
        cut = start;
        end = start.saturating_sub(1);
        if start == 0 {
            break;
        }
    }
    if !saw_core || cut == s.len() {
        return None;
    }
    let head = s[..cut]
        .trim_end()
        .trim_end_matches([':', '-', '–', ','])
        .trim_end();
    Some((head, &s[cut..]))
}

/// "Music from the Motion Picture X" → ("Music from the Motion Picture", "X").
fn split_leading_phrase(s: &str) -> Option<(String, String)> {
    const OPENERS: &[&str] = &[
        "music from and inspired by",
        "music inspired by",
        "music from",
        "songs from",
        "original soundtrack from",
        "original soundtrack of",
        "original soundtrack to",
        "soundtrack from",
        "soundtrack to",
        "original score from",
        "the music of",
    ];
    const MEDIA: &[&str] = &[
        "the original motion picture",
        "the motion picture",
        "original motion picture",
        "motion picture",
        "the film",
        "the movie",
        "the original tv series",
        "the tv series",
        "the television series",
        "the original series",
        "the series",
        "the video game",
        "the game",
        "video game",
    ];
    let lower = s.to_lowercase();
    let opener = OPENERS
        .iter()
        .find(|o| lower.starts_with(*o) && lower[o.len()..].starts_with(' '))?;
    let mut pos = opener.len() + 1;
    if let Some(medium) = MEDIA
        .iter()
        .find(|m| lower[pos..].starts_with(*m) && lower[pos + m.len()..].starts_with(' '))
    {
        pos += medium.len() + 1;
    }
    // Byte offsets in `lower` match `s` because the openers are ASCII.
    let rest = s
        .get(pos..)?
        .trim()
        .trim_matches(|c| matches!(c, '"' | '“' | '”' | '\''))
        .trim();
    if rest.is_empty() {
        return None;
    }
    Some((s[..pos].trim().to_string(), rest.to_string()))
}

/// Derives the work from an album title, with the genre tag as a hint about the medium.
pub fn derive_work(album_title: &str, genre: Option<&str>) -> DerivedWork {
    let mut title = album_title.trim().to_string();
    let mut wording = String::new();
    let mut stripped_soundtrack = false;
    // Trailing groups and separated suffixes, as many as there are: "X (OST) [Deluxe Edition]".
    loop {
        let next = split_trailing_group(&title)
            .filter(|(head, inner)| {
                !head.is_empty() && (is_soundtrack_phrase(inner) || is_edition_phrase(inner))
            })
            .or_else(|| {
                split_trailing_separated(&title)
                    .filter(|(head, tail)| !head.is_empty() && is_soundtrack_phrase(tail))
            })
            .or_else(|| split_unbracketed_suffix(&title).filter(|(head, _)| !head.is_empty()));
        let Some((head, tail)) = next else { break };
        stripped_soundtrack |= is_soundtrack_phrase(tail);
        wording.push(' ');
        wording.push_str(tail);
        title = head.to_string();
    }
    if !stripped_soundtrack {
        if let Some((lead, rest)) = split_leading_phrase(&title) {
            wording.push(' ');
            wording.push_str(&lead);
            title = rest;
        }
    }
    let only_wording = is_soundtrack_phrase(&title)
        && split_unbracketed_suffix(&title).is_some_and(|(h, _)| h.is_empty());
    let title = if title.is_empty() || only_wording || is_bare_wording(&title) {
        None
    } else {
        Some(title)
    };
    let kind = kind_in(&wording).or_else(|| genre.and_then(kind_in));
    DerivedWork {
        title,
        kind,
        release_kind: release_kind_in(&wording).or_else(|| release_kind_in(album_title)),
    }
}

/// "Original Soundtrack", "Soundtrack", "OST": a title that names no work.
fn is_bare_wording(title: &str) -> bool {
    let w = words(title);
    !w.is_empty() && w.iter().all(|w| SUFFIX_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(album: &str) -> Option<String> {
        derive_work(album, None).title
    }

    #[test]
    fn bracketed_soundtrack_wording_is_removed() {
        assert_eq!(
            work("Jaws (Original Motion Picture Soundtrack)").as_deref(),
            Some("Jaws")
        );
        assert_eq!(work("Her (Original Score)").as_deref(), Some("Her"));
        assert_eq!(
            work("Blade Runner (Soundtrack from the Film)").as_deref(),
            Some("Blade Runner")
        );
        assert_eq!(
            work("Psycho (The Complete Original Motion Picture Score)").as_deref(),
            Some("Psycho")
        );
        assert_eq!(
            work("Saturday Night Fever (The Original Movie Sound Track)").as_deref(),
            Some("Saturday Night Fever")
        );
        assert_eq!(
            work("Tron: Legacy (Original Motion Picture Soundtrack) [Deluxe Edition]").as_deref(),
            Some("Tron: Legacy"),
            "a title with a colon keeps it; edition groups go too"
        );
    }

    #[test]
    fn separated_and_unbracketed_wording_is_removed() {
        assert_eq!(work("Dune: Original Score").as_deref(), Some("Dune"));
        assert_eq!(
            work("Halo 3 - Original Soundtrack").as_deref(),
            Some("Halo 3")
        );
        assert_eq!(
            work("Final Fantasy VII Original Soundtrack").as_deref(),
            Some("Final Fantasy VII")
        );
        assert_eq!(
            work("The Lord of the Rings: The Fellowship of the Ring (Original Motion Picture Soundtrack)").as_deref(),
            Some("The Lord of the Rings: The Fellowship of the Ring")
        );
    }

    #[test]
    fn leading_music_from_names_the_work_after_it() {
        assert_eq!(
            work("Music from the Motion Picture Pulp Fiction").as_deref(),
            Some("Pulp Fiction")
        );
        assert_eq!(
            work("Music from the Original TV Series Twin Peaks").as_deref(),
            Some("Twin Peaks")
        );
        assert_eq!(
            work("Music from the Original TV Series").as_deref(),
            None,
            "no title follows the wording"
        );
    }

    #[test]
    fn titles_without_wording_are_their_own_work() {
        assert_eq!(
            work("Chariots of Fire").as_deref(),
            Some("Chariots of Fire")
        );
        assert_eq!(
            work("Scoreboard Heroes").as_deref(),
            Some("Scoreboard Heroes"),
            "score must be a whole word"
        );
        assert_eq!(work("Original Soundtrack"), None);
    }

    #[test]
    fn kind_comes_from_the_wording_then_the_genre() {
        assert_eq!(
            derive_work("Jaws (Original Motion Picture Soundtrack)", None).kind,
            Some(WorkKind::Film)
        );
        assert_eq!(
            derive_work("Halo (Original Video Game Soundtrack)", None).kind,
            Some(WorkKind::Game)
        );
        assert_eq!(
            derive_work("Lost (Music from the Original TV Series)", None).kind,
            Some(WorkKind::Tv)
        );
        assert_eq!(
            derive_work("Journey (Original Soundtrack)", Some("Video Game Music")).kind,
            Some(WorkKind::Game)
        );
        assert_eq!(
            derive_work("Journey (Original Soundtrack)", None).kind,
            None,
            "nothing says which medium"
        );
        assert_eq!(
            derive_work("Her (Original Score)", None).release_kind,
            Some("score")
        );
        assert_eq!(
            derive_work("Il buono (Colonna sonora originale)", None)
                .title
                .as_deref(),
            Some("Il buono")
        );
    }
}
