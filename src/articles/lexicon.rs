//! Words: how article text and collection names are cut into comparable tokens.
//!
//! A token is a run of letters and digits (inner apostrophes kept, then dropped: "Schindler’s" is
//! `schindlers`), folded like [`crate::text::fold`]. `&` is the token `and`, and "a", "an" and
//! "the" are all `the`, so "The Girl with the Pearl Earring" meets "Girl with a Pearl Earring".
//! What separates two tokens is kept as a [`Gap`], so a match never runs across a sentence.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What stands between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// Spaces only (or nothing, for the first token).
    Space,
    /// A hyphen, dash, colon, slash or abbreviation period: still one name ("Tron: Legacy").
    Joiner,
    /// A comma or quotation mark: one name only where the name itself has one.
    Comma,
    /// A sentence end, semicolon, bracket or block break: never inside a name.
    Hard,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Folded, apostrophes dropped, articles and `&` unified.
    pub norm: String,
    /// For a possessive ("Rocky’s", "Others’s"), the word without it.
    pub base: Option<String>,
    /// Byte range in the text.
    pub range: Range<usize>,
    pub gap: Gap,
    /// The word starts with an upper-case letter, or has no case (digits, CJK).
    pub capital: bool,
}

const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{02bc}', '\u{2018}'];

/// Short words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "vol", "no", "op", "feat", "ft", "bros", "co",
    "inc", "ltd", "prof", "mt", "etc",
];

/// Folds one word: lower case, no accents, no apostrophes; `a`/`an` become `the`.
pub(crate) fn norm_word(word: &str) -> String {
    if word.is_ascii() {
        let out: String = word
            .bytes()
            .filter(|&b| b != b'\'')
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
        return match out.as_str() {
            "a" | "an" => "the".to_string(),
            _ => out,
        };
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        if is_combining_mark(c) || APOSTROPHES.contains(&c) {
            continue;
        }
        if c == 'ß' {
            out.push_str("ss");
        } else {
            out.extend(c.to_lowercase());
        }
    }
    match out.as_str() {
        "a" | "an" => "the".to_string(),
        _ => out,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Cuts `text` into tokens.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    // Where the text after the last token starts: what lies between it and the next token is
    // that token's gap.
    let mut gap_start = 0;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        if c == '&' {
            out.push(Token {
                norm: "and".into(),
                base: None,
                range: at..at + 1,
                gap: gap_of(&text[gap_start..at], out.last()),
                capital: false,
            });
            gap_start = at + 1;
            continue;
        }
        if !is_word_char(c) {
            continue;
        }
        let start = at;
        let mut end = text.len();
        let mut possessive = false;
        // `chars` stands after the word's last character so far; `ahead` looks past it.
        loop {
            let mut ahead = chars.clone();
            let Some((j, c)) = ahead.next() else {
                break;
            };
            if is_word_char(c) {
                chars = ahead;
                continue;
            }
            let next = ahead.clone().next().map(|(_, n)| n);
            if APOSTROPHES.contains(&c) && next.is_some_and(is_word_char) {
                // Inner apostrophe: "Schindler’s", "don't". A final "’s" is a possessive.
                let mut after = ahead.clone();
                let rest_is_s = after.next().is_some_and(|(_, n)| n == 's' || n == 'S')
                    && after.next().is_none_or(|(_, n)| !is_word_char(n));
                possessive = rest_is_s;
                chars = ahead;
                continue;
            }
            end = j;
            break;
        }
        let word = &text[start..end];
        let norm = norm_word(word);
        let base = possessive.then(|| {
            let stem = &word[..word.len() - 1];
            norm_word(stem.trim_end_matches(APOSTROPHES))
        });
        let capital = c.is_uppercase() || !c.is_lowercase();
        out.push(Token {
            norm,
            base,
            range: start..end,
            gap: gap_of(&text[gap_start..start], out.last()),
            capital,
        });
        gap_start = end;
    }
    out
}

fn gap_of(between: &str, previous: Option<&Token>) -> Gap {
    let Some(previous) = previous else {
        return Gap::Space;
    };
    let mut gap = Gap::Space;
    for c in between.chars() {
        let g = match c {
            c if c.is_whitespace() && c != '\n' => Gap::Space,
            '\n' | '!' | '?' | ';' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '…' => Gap::Hard,
            '.' => {
                if between.matches('.').count() == 1 && abbreviation(&previous.norm) {
                    Gap::Joiner
                } else {
                    Gap::Hard
                }
            }
            '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' | ':' | '/' | '~' | '+' => {
                Gap::Joiner
            }
            _ => Gap::Comma,
        };
        gap = gap.max(g);
    }
    gap
}

fn abbreviation(norm: &str) -> bool {
    (norm.chars().count() == 1 && norm.chars().all(char::is_alphabetic))
        || ABBREVIATIONS.contains(&norm)
        || norm == "the"
}

/// A multiply-and-xor hash in the manner of rustc's FxHash: fast for short keys that come from
/// the collection or from this file. Never for keys an article chooses: those could be made to
/// collide (looking an article's word up is fine).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves its best bits at the top; the table indexes by the low ones.
        self.0.rotate_left(26)
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

type WordSet = HashSet<&'static str, FxBuild>;

static FUNCTION_SET: LazyLock<WordSet> = LazyLock::new(|| FUNCTION_WORDS.iter().copied().collect());
static COMMON_SET: LazyLock<WordSet> = LazyLock::new(|| COMMON_WORDS.iter().copied().collect());

/// The significant words of a name: those that are not articles, prepositions or conjunctions.
pub(crate) fn is_function_word(norm: &str) -> bool {
    FUNCTION_SET.contains(norm)
}

/// Whether a word is everyday English, so that a name made only of such words ("Up", "Home
/// Alone", "The Hours") needs evidence before it counts as a mention.
pub(crate) fn is_common_word(norm: &str) -> bool {
    is_function_word(norm)
        || COMMON_SET.contains(norm)
        || norm.chars().all(|c| c.is_ascii_digit())
        || norm
            .strip_suffix('s')
            .is_some_and(|stem| COMMON_SET.contains(stem))
}

/// Sorted.
const FUNCTION_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "among", "and", "any", "are", "around",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "down", "during", "each", "for", "from", "had",
    "has", "have", "he", "her", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "mine", "more", "most", "my", "nor", "not", "of", "off", "on", "once", "only",
    "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without",
    "would", "you", "your",
];

/// Everyday English words (sorted). Not a dictionary: the words that film, album and band names
/// borrow most and that prose uses all the time.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "act", "age", "air", "alien", "alive", "alone", "always", "angel", "animal", "answer", "apart",
    "arrival", "art", "ashes", "away", "baby", "back", "bad", "ball", "band", "bang", "battle",
    "beach", "bear", "beast", "beat", "beautiful", "beauty", "bed", "begin", "beginning", "best",
    "better", "big", "bird", "birth", "black", "blood", "blue", "body", "bone", "book", "born",
    "boy", "brave", "break", "breath", "bridge", "bright", "bring", "brother", "burn", "call",
    "calm", "came", "car", "care", "carry", "cast", "cat", "catch", "change", "chase", "child",
    "children", "circle", "city", "clear", "close", "cloud", "clouds", "cold", "color", "colour",
    "come", "coming", "contact", "control", "cool", "country", "cover", "crash", "cross", "crown",
    "cry", "cut", "dance", "danger", "dark", "darkness", "dawn", "day", "days", "dead", "dear",
    "death", "deep", "desire", "destiny", "die", "dirty", "distance", "door", "down", "dream",
    "dreams", "drive", "drop", "dust", "early", "earth", "east", "easy", "echo", "edge", "empire",
    "empty", "end", "ending", "enemy", "energy", "epic", "escape", "eternal", "even", "ever",
    "every", "everything", "eye", "eyes", "face", "faith", "fall", "family", "far", "fast",
    "father", "fear", "feel", "feeling", "fever", "field", "fight", "final", "find", "fire",
    "first", "five", "flight", "fly", "follow", "forest", "forever", "forget", "free", "freedom",
    "friend", "friends", "frozen", "full", "fun", "future", "game", "garden", "ghost", "gift",
    "girl", "girls", "give", "glass", "go", "god", "gold", "gone", "good", "grace", "gravity",
    "great", "green", "ground", "grow", "guide", "hand", "hands", "happy", "hard", "heart", "heat",
    "heaven", "hell", "hello", "help", "here", "hero", "heroes", "hide", "high", "hold", "home",
    "honey", "hope", "horizon", "hour", "hours", "house", "human", "hunt", "ice", "idea", "inside",
    "intro", "island", "journey", "joy", "jump", "just", "keep", "kid", "kill", "kind", "king",
    "kingdom", "kiss", "know", "labels", "lady", "land", "last", "late", "later", "lead", "learn",
    "leave", "left", "legacy", "legend", "less", "let", "letter", "lie", "life", "light", "like",
    "line", "lion", "listen", "little", "live", "lonely", "long", "look", "lost", "love", "low",
    "luck", "machine", "mad", "made", "magic", "main", "make", "man", "many", "march", "mark",
    "master", "matter", "may", "meet", "memories", "memory", "men", "mercury", "message", "middle",
    "might", "mind", "minute", "mirror", "miss", "mission", "moment", "money", "monster", "moon",
    "morning", "mother", "motion", "mountain", "move", "movie", "much", "music", "must", "name",
    "nature", "near", "need", "never", "new", "news", "next", "night", "nine", "nobody", "none",
    "north", "nothing", "now", "ocean", "old", "one", "open", "order", "original", "others",
    "outside", "overture", "pain", "paper", "paradise", "part", "party", "pass", "past", "path",
    "peace", "people", "perfect", "photograph", "piano", "picture", "piece", "place", "plan",
    "planet", "play", "power", "prelude", "pretty", "pride", "promise", "psycho", "pure", "quiet",
    "rain", "reach", "ready", "real", "reason", "red", "remember", "rest", "return", "ride",
    "right", "ring", "rise", "river", "road", "rock", "room", "rose", "run", "rush", "sad", "safe",
    "said", "salt", "say", "score", "sea", "search", "second", "secret", "see", "seven", "shadow",
    "shadows", "shape", "shine", "ship", "shot", "show", "side", "sign", "silence", "simple",
    "sing", "sky", "sleep", "slow", "small", "smile", "snow", "soldier", "something", "sometimes",
    "son", "song", "soul", "sound", "source", "south", "space", "speak", "speed", "spirit",
    "spring", "stand", "star", "stars", "start", "state", "stay", "step", "still", "stone", "stop",
    "storm", "story", "stranger", "street", "strong", "summer", "sun", "sunrise", "sunset", "sweet",
    "swim", "take", "tale", "talk", "tears", "tell", "ten", "theme", "thing", "things", "think",
    "three", "thunder", "tide", "time", "times", "title", "titles", "together", "tomorrow",
    "tonight", "touch", "tower", "town", "track", "train", "tree", "trip", "true", "trust", "truth",
    "try", "turn", "two", "union", "universe", "us", "voice", "wait", "wake", "walk", "wall",
    "want", "war", "wars", "watch", "water", "wave", "way", "west", "white", "whole", "wide",
    "wild", "win", "wind", "window", "wings", "winter", "wish", "woman", "wonder", "world", "wrong",
    "year", "years", "yes", "yesterday", "young", "youth",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn lists_are_sorted_for_binary_search() {
        for list in [FUNCTION_WORDS, COMMON_WORDS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list);
        }
    }

    #[test]
    fn words_fold_and_articles_unify() {
        assert_eq!(
            norms("The Girl with a Pearl Earring"),
            ["the", "girl", "with", "the", "pearl", "earring"]
        );
        assert_eq!(norms("Schindler’s List"), ["schindlers", "list"]);
        assert_eq!(norms("Amélie & Nino"), ["amelie", "and", "nino"]);
        assert_eq!(norms("Ludwig Göransson"), ["ludwig", "goransson"]);
    }

    #[test]
    fn possessives_keep_their_base() {
        let t = tokens("Rocky’s theme and the Others’s score, Air's \"Alone.\"");
        assert_eq!(t[0].base.as_deref(), Some("rocky"));
        let others = t.iter().find(|t| t.norm == "otherss").unwrap();
        assert_eq!(others.base.as_deref(), Some("others"));
        let air = t.iter().find(|t| t.norm == "airs").unwrap();
        assert_eq!(air.base.as_deref(), Some("air"));
        assert!(t.iter().all(|t| t.norm != "s"));
    }

    #[test]
    fn gaps_separate_sentences_but_not_abbreviations() {
        let t = tokens("The Talented Mr. Ripley. Then Tron: Legacy, and (1982)");
        let gap = |w: &str| t.iter().find(|t| t.norm == w).unwrap().gap;
        assert_eq!(gap("ripley"), Gap::Joiner);
        assert_eq!(gap("then"), Gap::Hard);
        assert_eq!(gap("legacy"), Gap::Joiner);
        assert_eq!(gap("and"), Gap::Comma);
        assert_eq!(gap("1982"), Gap::Hard);
        let t = tokens("A. R. Rahman");
        assert_eq!(t[1].gap, Gap::Joiner);
        assert_eq!(t[2].gap, Gap::Joiner);
    }

    #[test]
    fn apostrophes_join_words_only_between_letters() {
        let t = tokens("rock'n'roll, ab''cd 'tis & o\u{2019}clock");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["rocknroll", "ab", "cd", "tis", "and", "oclock"]);
        let ranges: Vec<Range<usize>> = t.iter().map(|t| t.range.clone()).collect();
        assert_eq!(ranges, [0..11, 13..15, 17..19, 21..24, 25..26, 27..36]);
        let gaps: Vec<Gap> = t.iter().map(|t| t.gap).collect();
        assert_eq!(
            gaps,
            [
                Gap::Space,
                Gap::Comma,
                Gap::Comma,
                Gap::Comma,
                Gap::Space,
                Gap::Space
            ]
        );
        assert!(t.iter().all(|t| t.base.is_none()));
    }

    #[test]
    fn capitals_and_common_words() {
        let t = tokens("Moon moon 28");
        assert!(t[0].capital && !t[1].capital && t[2].capital);
        assert!(is_common_word("moon") && is_common_word("hours") && is_common_word("up"));
        assert!(!is_common_word("vangelis") && !is_common_word("interstellar"));
    }
}
