//! Mentions: which albums, works, tracks, people and labels of the collection an article talks
//! about, with the sentence, a confidence and a reason for each.
//!
//! [`Catalog`] holds every name the collection answers to: album titles with and without their
//! soundtrack wording, work titles (the collector's included), the part of a work title before a
//! colon (a franchise, used only when nothing else matches), track titles with and without a
//! parenthetical, every credited person (split on `;`, `&`, `,`, "feat.", "featuring") and labels.
//! [`detect`] matches them against the text token by token (see [`super::lexicon`]), allowing one
//! small misspelling in a long word of a name of two or more words, then weighs evidence:
//!
//! - a name made only of everyday words ("Up", "Moon", "The Hours", a band called "Air") counts
//!   only when written with a capital inside a sentence *and* backed by italics or quotes, a
//!   heading or list entry of its own, a year in parentheses, its composer or artist nearby, or a
//!   list of other titles it stands in;
//! - a track title counts only next to its album or one of its artists, and an everyday-word
//!   track title only in quotes or italics; a quoted title after an artist's possessive may be the
//!   start of one of that artist's tracks ("Air's “Alone”" is "Alone in Kyoto");
//! - a year in parentheses after a title rules out albums of other years ("Tron (1982)");
//! - a name inside a longer italic title is part of that title.
//!
//! Pure and deterministic: the same catalog and text give the same suggestions.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use super::document::{BlockKind, Document, BLOCK_SEPARATOR};
pub(crate) use super::lexicon::FxBuild;
use super::lexicon::{self, is_common_word, is_function_word, Gap, Token};
use crate::catalog::work::derive_work;

/// What a suggestion links to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Album(i64),
    Track(i64),
    /// A credited name as the collection spells it.
    Person(String),
    Label(String),
}

/// One place in the text where a target is mentioned.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range in [`Document::text`].
    pub range: Range<usize>,
    /// The sentence around it, a byte range in the same text.
    pub sentence: Range<usize>,
    pub confidence: f32,
    pub reason: String,
}

/// A proposed link from the article to one target, with every mention of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub target: Target,
    /// The album or track title, person or label as the collection has it.
    pub label: String,
    /// The best mention's confidence, 0 to 1.
    pub confidence: f32,
    /// The best mention's reason.
    pub reason: String,
    /// In text order; the best one first is not implied.
    pub mentions: Vec<Mention>,
}

impl Suggestion {
    /// The mention the confidence and reason come from (the first of the best).
    pub fn best(&self) -> &Mention {
        let mut best = &self.mentions[0];
        for m in &self.mentions[1..] {
            if m.confidence > best.confidence {
                best = m;
            }
        }
        best
    }

    /// The mention to quote when showing where the target is mentioned: a nearly-best mention
    /// inside a real sentence rather than a bare heading or list entry, else the best one.
    #[must_use]
    pub fn quoted(&self) -> &Mention {
        /// How much less sure a quoted mention may be than the best one.
        const SLACK: f32 = 0.15;
        /// Bytes of sentence around the words that make it worth reading.
        const CONTEXT: usize = 40;
        let best = self.best();
        let context = |m: &Mention| m.sentence.len().saturating_sub(m.range.len());
        if context(best) >= CONTEXT {
            return best;
        }
        self.mentions
            .iter()
            .filter(|m| m.confidence >= best.confidence - SLACK && context(m) >= CONTEXT)
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
            .unwrap_or(best)
    }
}

/// An album as the detector sees it.
#[derive(Debug, Clone, Default)]
pub struct AlbumInput {
    pub id: i64,
    pub title: String,
    /// The work's title (the collector's when set).
    pub work: Option<String>,
    /// Release, original and work years.
    pub years: Vec<i32>,
    /// Credit strings: album artist, composers, conductors (split here).
    pub people: Vec<String>,
    /// Credit strings of the album's tracks that are not given as [`TrackInput`]s: their people
    /// can still be named, and belong to this album, without being its credits.
    pub track_people: Vec<String>,
    pub label: Option<String>,
}

/// A track as the detector sees it.
#[derive(Debug, Clone, Default)]
pub struct TrackInput {
    pub id: i64,
    pub album_id: i64,
    pub title: String,
    /// Credit strings: artists, composers, conductors.
    pub people: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Of {
    Album(u32),
    Track(u32),
    Person(u32),
    Label(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    /// An album title, with or without its soundtrack wording, or its work's title.
    Title,
    /// The part of a work title before a colon.
    Franchise,
    Track,
    Person,
    Label,
}

#[derive(Debug)]
struct Name {
    /// Without a leading "the".
    tokens: Arc<[String]>,
    /// `gaps[i]` is the gap before `tokens[i]`.
    gaps: Vec<Gap>,
    of: Of,
    kind: NameKind,
    /// Made only of everyday words.
    ambiguous: bool,
    /// Written with a capital in the collection.
    capital: bool,
}

#[derive(Debug, Default)]
struct AlbumEntry {
    id: i64,
    title: String,
    years: Vec<i32>,
    people: Vec<u32>,
    tracks: Vec<u32>,
    /// Normalized names of the album and its work, to tell a track named like its album. With a
    /// vocabulary, only those the texts may hold every word of: no other can equal a track's name.
    names: HashSet<Arc<[String]>, FxBuild>,
}

#[derive(Debug)]
struct TrackEntry {
    id: i64,
    album: u32,
    title: String,
    people: Vec<u32>,
    /// The title without a trailing parenthetical, normalized.
    short: Arc<[String]>,
}

#[derive(Debug, Default)]
struct PersonEntry {
    name: String,
    albums: Vec<u32>,
    tracks: Vec<u32>,
}

/// Everything the collection answers to, indexed for [`detect`]. Build once per library change.
#[derive(Debug, Default)]
pub struct Catalog {
    albums: Vec<AlbumEntry>,
    tracks: Vec<TrackEntry>,
    people: Vec<PersonEntry>,
    labels: Vec<String>,
    names: Vec<Name>,
    /// First token of a name → names.
    by_first: HashMap<String, Vec<u32>, FxBuild>,
    /// Each long token of a name that may be misspelled → (name, token index).
    by_token: HashMap<String, Vec<(u32, u8)>, FxBuild>,
    album_index: HashMap<i64, u32, FxBuild>,
    /// Folded name → person; `None` for a name the vocabulary rules out.
    person_index: HashMap<String, Option<u32>, FxBuild>,
    label_index: HashMap<String, u32, FxBuild>,
    /// Labels as albums write them, each folded once.
    labels_seen: HashSet<String, FxBuild>,
    /// Credit string → its people, a range of `credit_people`.
    credits: HashMap<String, (u32, u32), FxBuild>,
    credit_people: Vec<u32>,
    vocabulary: Option<Vocabulary>,
    /// The tracks given to the build already passed the vocabulary's
    /// [`Vocabulary::may_mention_track`].
    tracks_checked: bool,
}

/// Credit strings that are not anybody.
const NOBODY: &[&str] = &[
    "various artists",
    "various",
    "unknown artist",
    "unknown",
    "soundtrack",
    "original soundtrack",
    "original cast",
    "[unknown]",
];

/// Splits a credit into the people in it: "A; B", "A & B", "A, B", "A feat. B", "A featuring B".
pub fn split_credit(credit: &str) -> Vec<String> {
    const SEPARATORS: [&str; 13] = [
        ";",
        " & ",
        ",",
        " feat. ",
        " feat ",
        " featuring ",
        " ft. ",
        " Feat. ",
        " Featuring ",
        " with ",
        " With ",
        " vs. ",
        " / ",
    ];
    if !SEPARATORS.iter().any(|sep| credit.contains(sep)) {
        // One name: most credits.
        let name = credit.trim();
        return if name.is_empty() || NOBODY.contains(&crate::text::fold(name).as_str()) {
            Vec::new()
        } else {
            vec![name.to_string()]
        };
    }
    let mut parts = vec![credit.to_string()];
    for sep in SEPARATORS {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    let mut out: Vec<String> = Vec::new();
    let whole = credit.trim();
    let mut push = |s: &str| {
        let s = s.trim();
        if !s.is_empty()
            && !NOBODY.contains(&crate::text::fold(s).as_str())
            && !out.iter().any(|o| o == s)
        {
            out.push(s.to_string());
        }
    };
    // The whole credit too, when it is one band-like name ("Simon & Garfunkel").
    if !whole.contains(';') && !whole.contains(',') {
        push(whole);
    }
    for p in &parts {
        push(p);
    }
    out
}

/// A name's tokens without a leading article, and its gaps.
fn name_tokens(name: &str) -> (Vec<String>, Vec<Gap>) {
    let toks = lexicon::tokens(name);
    let skip = usize::from(toks.len() > 1 && toks[0].norm == "the");
    let mut gaps: Vec<Gap> = toks[skip..].iter().map(|t| t.gap).collect();
    if let Some(g) = gaps.first_mut() {
        *g = Gap::Space;
    }
    (toks.into_iter().skip(skip).map(|t| t.norm).collect(), gaps)
}

/// Made only of everyday words, or one short word ("Up", "Her", "M83" is not).
fn is_ambiguous(tokens: &[String]) -> bool {
    tokens.iter().all(|t| is_common_word(t))
        || (tokens.len() == 1
            && tokens[0].chars().count() <= 3
            && tokens[0].chars().all(char::is_alphabetic))
}

fn significant(tokens: &[String]) -> usize {
    tokens.iter().filter(|t| !is_function_word(t)).count()
}

/// A title without a trailing parenthetical or bracketed group: "Gonna Fly Now (Theme from
/// Rocky)" is also "Gonna Fly Now".
fn without_parenthetical(title: &str) -> Option<&str> {
    let t = title.trim_end();
    let open = match t.chars().last()? {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let at = t.rfind(open)?;
    let head = t[..at].trim_end().trim_end_matches([' ', '-', '–', ':']);
    (!head.is_empty()).then_some(head)
}

/// The words of the texts to search, so that an index for them holds only names they can
/// match: a library of 100,000 tracks has far more names than any article has words.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
    /// First words of quotations, which may start a longer track title ("Alone" …).
    quoted: HashSet<String>,
}

impl Vocabulary {
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut words = HashSet::new();
        let mut quoted = HashSet::new();
        for text in texts {
            let mut end = 0;
            for t in lexicon::tokens(text) {
                if text[end..t.range.start].contains(['"', '\u{201c}', '\u{2018}']) {
                    quoted.insert(t.norm.clone());
                }
                end = t.range.end;
                if let Some(b) = t.base {
                    words.insert(b);
                }
                words.insert(t.norm);
            }
        }
        Vocabulary { words, quoted }
    }

    /// Whether a name of these words can match: all present, or all but one long word when a
    /// misspelling is allowed.
    fn admits(&self, words: &[String], misspelling: bool) -> bool {
        let mut missing = words.iter().filter(|w| !self.words.contains(*w));
        match missing.next() {
            None => true,
            Some(w) => misspelling && w.chars().count() >= 5 && missing.next().is_none(),
        }
    }

    /// A quick test, without cutting the name into tokens, that rules out most names
    /// [`Vocabulary::admits`] would refuse: false only when it would refuse the words of `name`
    /// as `split` cuts them. Some of the words (`the`, and any word of a name that is not ASCII)
    /// go untested, so true says nothing.
    fn may_admit(&self, name: &str, split: Split, misspelling: bool) -> bool {
        if !name.is_ascii() {
            return true;
        }
        let mut missing = 0;
        let mut buf = [0u8; 64];
        let bytes = name.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // One word: ASCII letters and digits, with the apostrophes `split` keeps inside.
            let mut n = 0;
            while i < bytes.len() {
                let b = bytes[i];
                if b.is_ascii_alphanumeric() {
                    let Some(slot) = buf.get_mut(n) else {
                        // Too long a word to test here.
                        return true;
                    };
                    *slot = b.to_ascii_lowercase();
                    n += 1;
                } else if b != b'\'' {
                    break;
                } else if split == Split::Lexicon
                    && (n == 0 || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
                {
                    // An apostrophe that does not join two letters ends a token.
                    break;
                }
                i += 1;
            }
            i += 1;
            let word = std::str::from_utf8(&buf[..n]).unwrap_or_default();
            if matches!(word, "" | "the" | "a" | "an") {
                continue;
            }
            if !self.words.contains(word) {
                missing += 1;
                if missing > 1 || !misspelling || n < 5 {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the texts can mention a track of this title: all its words are in them, all but
    /// a parenthetical's, or its first word starts a quotation.
    pub fn may_mention_track(&self, title: &str) -> bool {
        // Most titles fail on their first word: test an ASCII title without building its words.
        if let Some(answer) = title
            .is_ascii()
            .then(|| self.may_mention_ascii_track(title))
            .flatten()
        {
            return answer;
        }
        self.may_mention(title)
    }

    /// [`Vocabulary::may_mention_track`] for any title.
    fn may_mention(&self, title: &str) -> bool {
        let words = quick_words(title);
        let mut significant = words.iter().skip_while(|w| *w == "the");
        let Some(first) = significant.next() else {
            return false;
        };
        if !self.words.contains(first) {
            return false;
        }
        self.quoted.contains(first)
            || self.admits(&words, false)
            || without_parenthetical(title).is_some_and(|t| self.admits(&quick_words(t), false))
    }

    /// [`Vocabulary::may_mention_track`] of an ASCII title, without allocating; `None` when a
    /// word is too long for that.
    fn may_mention_ascii_track(&self, title: &str) -> Option<bool> {
        // The first word that is not an article ("&" is the word "and", after the others).
        let mut first: Option<bool> = None;
        let mut quoted = false;
        each_quick_word(title, |w| {
            if w == "the" {
                return true;
            }
            first = Some(self.words.contains(w));
            quoted = self.quoted.contains(w);
            false
        })?;
        if first.is_none() && title.contains('&') {
            first = Some(self.words.contains("and"));
            quoted = self.quoted.contains("and");
        }
        match first {
            None | Some(false) => return Some(false),
            Some(true) if quoted => return Some(true),
            Some(true) => {}
        }
        // All its words in the texts, or all but a trailing parenthetical's.
        let known = |name: &str| -> Option<bool> {
            let all = each_quick_word(name, |w| self.words.contains(w))?;
            Some(all && (!name.contains('&') || self.words.contains("and")))
        };
        if known(title)? {
            return Some(true);
        }
        match without_parenthetical(title) {
            Some(head) => known(head),
            None => Some(false),
        }
    }
}

/// Calls `f` with each word of an ASCII `name` as [`quick_words`] folds it, except the "and" a
/// "&" adds, until `f` returns false; returns whether it never did. `None` when a word is too
/// long to fold here.
fn each_quick_word(name: &str, mut f: impl FnMut(&str) -> bool) -> Option<bool> {
    let mut buf = [0u8; 64];
    for word in name.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'') {
        let mut n = 0;
        for b in word.bytes().filter(|&b| b != b'\'') {
            *buf.get_mut(n)? = b.to_ascii_lowercase();
            n += 1;
        }
        let w = match std::str::from_utf8(&buf[..n]).ok()? {
            "" => continue,
            "a" | "an" => "the",
            w => w,
        };
        if !f(w) {
            return Some(false);
        }
    }
    Some(true)
}

/// How a name's words are cut: as [`lexicon::tokens`] does, or as [`quick_words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    Lexicon,
    Quick,
}

/// A name's words as [`name_tokens`] folds them (a leading article kept), cheaply for ASCII.
fn quick_words(name: &str) -> Vec<String> {
    if !name.is_ascii() {
        return lexicon::tokens(name).into_iter().map(|t| t.norm).collect();
    }
    let mut out = Vec::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'') {
        let w: String = word
            .chars()
            .filter(|&c| c != '\'')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match w.as_str() {
            "" => {}
            "a" | "an" => out.push("the".to_string()),
            _ => out.push(w),
        }
    }
    if name.contains('&') {
        // "&" is the word "and"; order does not matter for the vocabulary test.
        out.push("and".to_string());
    }
    out
}

impl Catalog {
    /// Builds the index from the collection's albums and tracks.
    pub fn build(albums: Vec<AlbumInput>, tracks: Vec<TrackInput>) -> Catalog {
        Catalog::build_for(albums, tracks, None)
    }

    /// Builds the index with only the names `vocabulary`'s texts can mention (all of them
    /// without one). [`detect`] on those texts finds the same as with the whole index.
    pub fn build_for(
        albums: Vec<AlbumInput>,
        tracks: Vec<TrackInput>,
        vocabulary: Option<Vocabulary>,
    ) -> Catalog {
        Catalog::build_with(albums, tracks, vocabulary, false)
    }

    /// [`Catalog::build_for`] with tracks already chosen by the vocabulary: only those whose
    /// (trimmed) title passed [`Vocabulary::may_mention_track`].
    pub fn build_for_checked(
        albums: Vec<AlbumInput>,
        tracks: Vec<TrackInput>,
        vocabulary: Vocabulary,
    ) -> Catalog {
        Catalog::build_with(albums, tracks, Some(vocabulary), true)
    }

    fn build_with(
        albums: Vec<AlbumInput>,
        tracks: Vec<TrackInput>,
        vocabulary: Option<Vocabulary>,
        tracks_checked: bool,
    ) -> Catalog {
        let mut c = Catalog {
            vocabulary,
            tracks_checked,
            ..Catalog::default()
        };
        c.albums.reserve(albums.len());
        c.tracks.reserve(tracks.len());
        for a in albums {
            c.add_album(a);
        }
        for t in tracks {
            c.add_track(t);
        }
        c
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn person(&mut self, name: &str) -> Option<u32> {
        let key = crate::text::fold(name);
        if let Some(&i) = self.person_index.get(&key) {
            return i;
        }
        if let Some(v) = &self.vocabulary {
            if !v.may_admit(name, Split::Quick, true) || !v.admits(&quick_words(name), true) {
                self.person_index.insert(key, None);
                return None;
            }
        }
        let i = self.people.len() as u32;
        self.people.push(PersonEntry {
            name: name.to_string(),
            ..PersonEntry::default()
        });
        self.person_index.insert(key, Some(i));
        self.add_name(name, Of::Person(i), NameKind::Person);
        Some(i)
    }

    /// The people of a credit string, each once: a range of `credit_people`.
    fn credit(&mut self, credit: &str) -> std::ops::Range<usize> {
        if let Some(&(start, end)) = self.credits.get(credit) {
            return start as usize..end as usize;
        }
        let people: Vec<u32> = split_credit(credit)
            .iter()
            .filter_map(|p| self.person(p))
            .collect();
        let start = self.credit_people.len();
        self.credit_people.extend(people);
        let end = self.credit_people.len();
        self.credits
            .insert(credit.to_string(), (start as u32, end as u32));
        start..end
    }

    fn add_name(&mut self, text: &str, of: Of, kind: NameKind) {
        if let Some(v) = &self.vocabulary {
            let misspelling = matches!(kind, NameKind::Title | NameKind::Person);
            if !v.may_admit(text, Split::Quick, misspelling)
                || !v.admits(&quick_words(text), misspelling)
            {
                return;
            }
        }
        let (tokens, gaps) = name_tokens(text);
        self.add_name_tokens(text, tokens.into(), gaps, of, kind);
    }

    /// [`Catalog::add_name`] with the name's tokens already cut (the vocabulary already asked).
    fn add_name_tokens(
        &mut self,
        text: &str,
        tokens: Arc<[String]>,
        gaps: Vec<Gap>,
        of: Of,
        kind: NameKind,
    ) {
        if tokens.is_empty() || tokens.len() > 16 {
            return;
        }
        // One letter is no name to look for.
        if tokens.len() == 1 && tokens[0].chars().count() < 2 {
            return;
        }
        let capital = text
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(|c| !c.is_lowercase());
        let ambiguous = is_ambiguous(&tokens);
        let index = self.names.len() as u32;
        // Misspellings are tolerated in names of two or more significant words.
        if matches!(kind, NameKind::Title | NameKind::Person) && significant(&tokens) >= 2 {
            for (i, t) in tokens.iter().enumerate() {
                if t.chars().count() >= 5 && !is_common_word(t) {
                    match self.by_token.get_mut(t) {
                        Some(names) => names.push((index, i as u8)),
                        None => {
                            self.by_token.insert(t.clone(), vec![(index, i as u8)]);
                        }
                    }
                }
            }
        }
        match self.by_first.get_mut(&tokens[0]) {
            Some(names) => names.push(index),
            None => {
                self.by_first.insert(tokens[0].clone(), vec![index]);
            }
        }
        self.names.push(Name {
            tokens,
            gaps,
            of,
            kind,
            ambiguous,
            capital,
        });
    }

    fn add_album(&mut self, a: AlbumInput) {
        let index = self.albums.len() as u32;
        self.album_index.insert(a.id, index);
        // The work is the title without its soundtrack wording, unless the collector set another;
        // derive it here only when the catalog has none.
        let work = match a.work {
            Some(work) => Some(work),
            None => derive_work(&a.title, None).title,
        };
        let titles: Vec<&str> = std::iter::once(a.title.as_str())
            .chain(work.as_deref())
            .collect();
        let mut seen: HashSet<Arc<[String]>, FxBuild> = HashSet::default();
        // A title whose words the texts lack is neither a name to look for nor one a track could
        // be named like (a track's name has all its words in the texts): skip cutting it, unless
        // a colon makes a franchise that must know every title.
        let quick = !titles.iter().any(|t| t.contains(':'));
        for &t in &titles {
            if quick
                && self
                    .vocabulary
                    .as_ref()
                    .is_some_and(|v| !v.may_admit(t, Split::Lexicon, true))
            {
                continue;
            }
            let (key, gaps) = name_tokens(t);
            let key: Arc<[String]> = key.into();
            if !key.is_empty() && seen.insert(key.clone()) {
                let admitted = self
                    .vocabulary
                    .as_ref()
                    .is_none_or(|v| v.admits(&key, true));
                if admitted {
                    self.add_name_tokens(t, key, gaps, Of::Album(index), NameKind::Title);
                }
            }
        }
        // The franchise: "The Lord of the Rings" of "The Lord of the Rings: The Fellowship…".
        for &t in &titles {
            if let Some((head, _)) = t.split_once(':') {
                let key = name_tokens(head).0;
                if !key.is_empty() && !seen.contains(key.as_slice()) && seen.insert(key.into()) {
                    self.add_name(head, Of::Album(index), NameKind::Franchise);
                }
            }
        }
        let mut people = Vec::new();
        for credit in &a.people {
            for k in self.credit(credit) {
                let i = self.credit_people[k];
                // Albums come in order: this one, if there, is the last.
                let albums = &mut self.people[i as usize].albums;
                if albums.last() != Some(&index) {
                    albums.push(index);
                }
                if !people.contains(&i) {
                    people.push(i);
                }
            }
        }
        for credit in &a.track_people {
            for k in self.credit(credit) {
                let albums = &mut self.people[self.credit_people[k] as usize].albums;
                if albums.last() != Some(&index) {
                    albums.push(index);
                }
            }
        }
        if let Some(label) = a.label.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            if !self.labels_seen.contains(label) {
                self.labels_seen.insert(label.to_string());
                let key = crate::text::fold(label);
                if !self.label_index.contains_key(&key) {
                    let i = self.labels.len() as u32;
                    self.labels.push(label.to_string());
                    self.label_index.insert(key, i);
                    self.add_name(label, Of::Label(i), NameKind::Label);
                }
            }
        }
        drop(titles);
        self.albums.push(AlbumEntry {
            id: a.id,
            title: a.title,
            years: a.years,
            people,
            tracks: Vec::new(),
            names: seen,
        });
    }

    fn add_track(&mut self, t: TrackInput) {
        let Some(&album) = self.album_index.get(&t.album_id) else {
            return;
        };
        let title = t.title.trim();
        if title.is_empty() {
            return;
        }
        // A track whose first word the texts lack can be neither named nor quoted by its start.
        if !self.tracks_checked
            && self
                .vocabulary
                .as_ref()
                .is_some_and(|v| !v.may_mention_track(title))
        {
            return;
        }
        let index = self.tracks.len() as u32;
        let short_title = without_parenthetical(title).unwrap_or(title);
        let (full, full_gaps) = name_tokens(title);
        let full: Arc<[String]> = full.into();
        let (short, short_gaps): (Arc<[String]>, _) = if short_title == title {
            // The same name: never added twice, so its gaps are not needed.
            (full.clone(), Vec::new())
        } else {
            let (short, gaps) = name_tokens(short_title);
            (short.into(), gaps)
        };
        let mut people = Vec::new();
        for credit in &t.people {
            for k in self.credit(credit) {
                let i = self.credit_people[k];
                let entry = &mut self.people[i as usize];
                // Tracks come in order: this one, if there, is the last.
                if entry.tracks.last() != Some(&index) {
                    entry.tracks.push(index);
                }
                if !entry.albums.contains(&album) {
                    entry.albums.push(album);
                }
                if !people.contains(&i) {
                    people.push(i);
                }
            }
        }
        self.tracks.push(TrackEntry {
            id: t.id,
            album,
            title: title.to_string(),
            people,
            short: short.clone(),
        });
        self.albums[album as usize].tracks.push(index);
        let admits = |words: &[String]| {
            self.vocabulary
                .as_ref()
                .is_none_or(|v| v.admits(words, false))
        };
        let (full_ok, short_ok) = (admits(&full), short != full && admits(&short));
        if full_ok {
            self.add_name_tokens(title, full, full_gaps, Of::Track(index), NameKind::Track);
        }
        if short_ok {
            self.add_name_tokens(
                short_title,
                short,
                short_gaps,
                Of::Track(index),
                NameKind::Track,
            );
        }
    }

    fn label_of(&self, of: Of) -> String {
        match of {
            Of::Album(i) => self.albums[i as usize].title.clone(),
            Of::Track(i) => self.tracks[i as usize].title.clone(),
            Of::Person(i) => self.people[i as usize].name.clone(),
            Of::Label(i) => self.labels[i as usize].clone(),
        }
    }

    fn target_of(&self, of: Of) -> Target {
        match of {
            Of::Album(i) => Target::Album(self.albums[i as usize].id),
            Of::Track(i) => Target::Track(self.tracks[i as usize].id),
            Of::Person(i) => Target::Person(self.people[i as usize].name.clone()),
            Of::Label(i) => Target::Label(self.labels[i as usize].clone()),
        }
    }
}

/// A span of the text that matches a name.
#[derive(Debug, Clone)]
struct Hit {
    /// Token range, a leading "the" in the text included.
    tokens: Range<usize>,
    name: u32,
    fuzzy: bool,
}

/// Per-token facts about the text.
struct Text<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    /// Block index of each token.
    block: Vec<usize>,
    /// Sentence index of each token.
    sentence: Vec<usize>,
    /// Token range of each sentence.
    sentences: Vec<Range<usize>>,
    /// Token range of each block.
    blocks: Vec<Range<usize>>,
    kinds: Vec<BlockKind>,
    /// Blocks whose words are nearly all capitalized (headings, title lines).
    title_case: Vec<bool>,
    /// Emphasis ranges as token ranges, per block.
    emphasis: Vec<Vec<Range<usize>>>,
}

fn is_sentence_break(between: &str, previous: &Token) -> bool {
    if between.contains('\n') || between.contains(['!', '?', '…']) {
        return true;
    }
    between.contains('.') && previous.gap != Gap::Joiner && {
        // "Mr." and initials do not end a sentence; other periods do.
        let n = &previous.norm;
        !(n.chars().count() == 1
            || ["mr", "mrs", "ms", "dr", "st", "jr", "vs", "the"].contains(&n.as_str()))
    }
}

impl<'a> Text<'a> {
    fn new(doc: &Document, text: &'a str) -> Text<'a> {
        let tokens = lexicon::tokens(text);
        let mut block = Vec::with_capacity(tokens.len());
        let mut starts = Vec::with_capacity(doc.blocks.len());
        let mut offset = 0;
        for b in &doc.blocks {
            starts.push(offset);
            offset += b.text.len() + BLOCK_SEPARATOR.len();
        }
        let mut bi = 0;
        let mut blocks: Vec<Range<usize>> = vec![0..0; doc.blocks.len()];
        for (i, t) in tokens.iter().enumerate() {
            while bi + 1 < starts.len() && t.range.start >= starts[bi + 1] {
                bi += 1;
            }
            if blocks[bi].is_empty() {
                blocks[bi] = i..i + 1;
            } else {
                blocks[bi].end = i + 1;
            }
            block.push(bi);
        }
        let mut sentence = Vec::with_capacity(tokens.len());
        let mut sentences: Vec<Range<usize>> = Vec::new();
        for i in 0..tokens.len() {
            let new = i == 0 || block[i] != block[i - 1] || {
                let between = &text[tokens[i - 1].range.end..tokens[i].range.start];
                is_sentence_break(between, &tokens[i - 1])
            };
            if new {
                sentences.push(i..i + 1);
            } else if let Some(s) = sentences.last_mut() {
                s.end = i + 1;
            }
            sentence.push(sentences.len() - 1);
        }
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        let title_case = blocks
            .iter()
            .enumerate()
            .map(|(bi, r)| {
                let sig: Vec<&Token> = tokens[r.clone()]
                    .iter()
                    .filter(|t| !is_function_word(&t.norm))
                    .collect();
                let capitals = sig.iter().filter(|t| t.capital).count();
                // A heading in title case, or a short line with every word capitalized.
                sig.len() >= 2
                    && match kinds[bi] {
                        BlockKind::Heading(_) => capitals * 5 >= sig.len() * 4,
                        _ => sig.len() <= 10 && capitals == sig.len(),
                    }
            })
            .collect();
        let emphasis = doc
            .blocks
            .iter()
            .enumerate()
            .map(|(bi, b)| {
                b.emphasis
                    .iter()
                    .filter_map(|r| {
                        let (s, e) = (starts[bi] + r.start, starts[bi] + r.end);
                        let range = blocks[bi].clone();
                        let first = range.clone().find(|&i| tokens[i].range.start >= s)?;
                        let end = range
                            .clone()
                            .rev()
                            .find(|&i| tokens[i].range.end <= e)
                            .map(|i| i + 1)?;
                        (first < end).then_some(first..end)
                    })
                    .collect()
            })
            .collect();
        Text {
            text,
            tokens,
            block,
            sentence,
            sentences,
            blocks,
            kinds,
            title_case,
            emphasis,
        }
    }

    fn byte_range(&self, r: &Range<usize>) -> Range<usize> {
        self.tokens[r.start].range.start..self.tokens[r.end - 1].range.end
    }

    /// The sentence around token `i`, as bytes, trailing punctuation included.
    fn sentence_bytes(&self, i: usize) -> Range<usize> {
        let s = &self.sentences[self.sentence[i]];
        let start = self.tokens[s.start].range.start;
        let mut end = self.tokens[s.end - 1].range.end;
        let rest = &self.text[end..];
        for c in rest.chars() {
            if c == '\n' || c.is_whitespace() {
                break;
            }
            end += c.len_utf8();
        }
        // Opening quotes or brackets right before the first word belong to the sentence.
        let mut start = start;
        while let Some(c) = self.text[..start].chars().last() {
            if c.is_whitespace() || c.is_alphanumeric() {
                break;
            }
            start -= c.len_utf8();
        }
        start..end
    }

    /// Whether the first token starts its sentence (after any opening quote).
    fn sentence_initial(&self, i: usize) -> bool {
        self.sentences[self.sentence[i]].start == i
    }

    /// The emphasis range that holds tokens `r`, if any.
    fn emphasis_around(&self, r: &Range<usize>) -> Option<&Range<usize>> {
        self.emphasis[self.block[r.start]]
            .iter()
            .find(|e| e.start <= r.start && e.end >= r.end)
    }

    /// Whether the tokens are directly inside quotation marks.
    fn quoted(&self, r: &Range<usize>) -> bool {
        let start = self.tokens[r.start].range.start;
        let end = self.tokens[r.end - 1].range.end;
        let before = self.text[..start].chars().next_back();
        let after: String = self.text[end..]
            .chars()
            .take(3)
            .filter(|c| !matches!(c, '.' | ',' | '!' | '?' | ';' | ':'))
            .collect();
        let opens = matches!(
            before,
            Some('"' | '\u{201c}' | '\u{2018}' | '\u{ab}' | '\'')
        );
        let closes = after
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '"' | '\u{201d}' | '\u{2019}' | '\u{bb}' | '\''));
        opens && closes
    }

    /// A 4-digit year in parentheses right after tokens ending at `end`.
    fn year_after(&self, end: usize) -> Option<i32> {
        let t = self.tokens.get(end)?;
        let between = &self.text[self.tokens[end - 1].range.end..t.range.start];
        if !between.contains('(') || between.trim().len() > 3 {
            return None;
        }
        let y: i32 = t.norm.parse().ok()?;
        (t.norm.len() == 4 && (1880..=2100).contains(&y)).then_some(y)
    }

    /// The block is a heading or list entry that starts with these tokens (after a rank) and
    /// holds little else.
    fn entry_head(&self, r: &Range<usize>) -> bool {
        let b = self.block[r.start];
        if !matches!(
            self.kinds[b],
            BlockKind::Heading(_) | BlockKind::ListItem { .. }
        ) {
            return false;
        }
        let block = &self.blocks[b];
        let mut first = block.start;
        // A rank still in the text ("6. 28 Days Later"): a number followed by punctuation.
        while first + 1 < block.end
            && self.tokens[first].norm.chars().all(|c| c.is_ascii_digit())
            && self.tokens[first + 1].gap > Gap::Space
        {
            first += 1;
        }
        let starts = r.start == first
            || (r.start + 1 == first && self.tokens[r.start].norm == "the")
            || (first < block.end && self.tokens[first].norm == "the" && r.start == first + 1);
        starts && (r.end == block.end || self.tokens[r.end].gap >= Gap::Joiner)
    }

    fn block_len(&self, i: usize) -> usize {
        self.blocks[self.block[i]].len()
    }
}

/// Damerau–Levenshtein distance up to `limit` (more is `limit + 1`).
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m].min(limit + 1)
}

fn close_enough(text: &str, name: &str) -> bool {
    let len = name.chars().count();
    if len < 5 || text.chars().next() != name.chars().next() {
        return false;
    }
    let limit = if len >= 9 { 2 } else { 1 };
    edit_distance(text, name, limit) <= limit
}

/// Whether a text gap may stand where the name has `name_gap`.
fn gap_fits(text_gap: Gap, name_gap: Gap) -> bool {
    match name_gap {
        Gap::Space => text_gap <= Gap::Joiner,
        Gap::Joiner | Gap::Comma => text_gap <= Gap::Comma,
        Gap::Hard => true,
    }
}

fn find_hits(catalog: &Catalog, text: &Text) -> Vec<Hit> {
    let toks = &text.tokens;
    let mut hits = Vec::new();
    let matches_at = |name: &Name, start: usize, fuzzy_allowed: bool| -> Option<bool> {
        let n = name.tokens.len();
        if start + n > toks.len() {
            return None;
        }
        let mut fuzzy = false;
        for (k, want) in name.tokens.iter().enumerate() {
            let t = &toks[start + k];
            if k > 0
                && (!gap_fits(t.gap, name.gaps[k]) || text.block[start + k] != text.block[start])
            {
                return None;
            }
            let last = k + 1 == n;
            if &t.norm == want || (last && t.base.as_ref() == Some(want)) {
                continue;
            }
            if fuzzy_allowed && !fuzzy && close_enough(&t.norm, want) {
                fuzzy = true;
                continue;
            }
            return None;
        }
        Some(fuzzy)
    };
    let mut seen: HashSet<(usize, u32)> = HashSet::new();
    for (i, t) in toks.iter().enumerate() {
        for key in std::iter::once(&t.norm).chain(t.base.as_ref()) {
            if let Some(names) = catalog.by_first.get(key) {
                for &ni in names {
                    let name = &catalog.names[ni as usize];
                    if let Some(fuzzy) = matches_at(name, i, false) {
                        if seen.insert((i, ni)) {
                            hits.push(Hit {
                                tokens: i..i + name.tokens.len(),
                                name: ni,
                                fuzzy,
                            });
                        }
                    }
                }
            }
        }
        // Misspellings: anchored on an exactly written long word of the name.
        if let Some(anchors) = catalog.by_token.get(&t.norm) {
            for &(ni, k) in anchors {
                let k = k as usize;
                if k > i {
                    continue;
                }
                let start = i - k;
                let name = &catalog.names[ni as usize];
                if seen.contains(&(start, ni)) {
                    continue;
                }
                if let Some(true) = matches_at(name, start, true) {
                    seen.insert((start, ni));
                    hits.push(Hit {
                        tokens: start..start + name.tokens.len(),
                        name: ni,
                        fuzzy: true,
                    });
                }
            }
        }
    }
    // A leading "the" in the text belongs to the mention.
    for h in &mut hits {
        if h.tokens.start > 0 {
            let prev = &toks[h.tokens.start - 1];
            if prev.norm == "the" && toks[h.tokens.start].gap == Gap::Space {
                h.tokens.start -= 1;
            }
        }
    }
    hits
}

/// A mention that passed, before grouping.
#[derive(Debug, Clone)]
struct Found {
    tokens: Range<usize>,
    of: Of,
    confidence: f32,
    reason: String,
}

/// The first significant token of a span (skipping a leading "the").
fn first_significant(text: &Text, r: &Range<usize>) -> usize {
    let mut i = r.start;
    while i + 1 < r.end && text.tokens[i].norm == "the" {
        i += 1;
    }
    i
}

struct Evidence {
    reasons: Vec<&'static str>,
    extra: Vec<String>,
}

impl Evidence {
    fn new() -> Self {
        Evidence {
            reasons: Vec::new(),
            extra: Vec::new(),
        }
    }
    fn count(&self) -> usize {
        self.reasons.len() + self.extra.len()
    }
    fn describe(&self) -> String {
        let mut parts: Vec<String> = self.reasons.iter().map(|s| s.to_string()).collect();
        parts.extend(self.extra.iter().cloned());
        parts.join("; ")
    }
}

/// Finds what the article mentions.
pub fn detect(catalog: &Catalog, doc: &Document) -> Vec<Suggestion> {
    let full = doc.text();
    detect_in(catalog, doc, &full)
}

/// [`detect`] when the caller already holds `doc.text()`.
pub fn detect_in(catalog: &Catalog, doc: &Document, full: &str) -> Vec<Suggestion> {
    if catalog.is_empty() || doc.blocks.is_empty() {
        return Vec::new();
    }
    let text = Text::new(doc, full);
    let hits = find_hits(catalog, &text);
    let found = weigh(catalog, &text, &hits);
    group(catalog, &text, found)
}

/// Facts about one hit's place in the text.
struct Place {
    capital: bool,
    /// Capitals say nothing here: the sentence's first word, or a title-case line.
    capital_uninformative: bool,
    emphasized: bool,
    /// Inside a longer italic or quoted title.
    inside_title: bool,
    entry_head: bool,
    year: Option<i32>,
}

fn place(text: &Text, h: &Hit, name: &Name) -> Place {
    let first = first_significant(text, &h.tokens);
    let tok = &text.tokens[first];
    let capital = !name.capital || tok.capital;
    let capital_uninformative = text.sentence_initial(h.tokens.start)
        || text.sentence_initial(first)
        || text.title_case[text.block[first]];
    let (emphasized, inside_title) = match text.emphasis_around(&h.tokens) {
        Some(e) => {
            let extra = (e.start..e.end)
                .filter(|&i| !h.tokens.contains(&i))
                .filter(|&i| text.tokens[i].norm != "the")
                .count();
            (extra == 0, extra > 0)
        }
        None => (text.quoted(&h.tokens), false),
    };
    Place {
        capital,
        capital_uninformative,
        emphasized,
        inside_title,
        entry_head: text.entry_head(&h.tokens),
        year: text.year_after(h.tokens.end),
    }
}

fn years_fit(years: &[i32], year: i32) -> bool {
    years.iter().any(|y| (y - year).abs() <= 1)
}

/// Sentences within `reach` of token `i`'s sentence, as a token range.
fn around(text: &Text, i: usize, reach: usize) -> Range<usize> {
    let s = text.sentence[i];
    let first = s.saturating_sub(reach);
    let last = (s + reach).min(text.sentences.len() - 1);
    text.sentences[first].start..text.sentences[last].end
}

fn weigh(catalog: &Catalog, text: &Text, hits: &[Hit]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // Where accepted people and albums are, for the evidence of the next passes.
    let mut person_at: Vec<(Range<usize>, u32)> = Vec::new();
    let mut album_at: Vec<(Range<usize>, u32)> = Vec::new();

    let by_kind = |kinds: &[NameKind]| -> Vec<&Hit> {
        hits.iter()
            .filter(|h| kinds.contains(&catalog.names[h.name as usize].kind))
            .collect()
    };

    // 1. People whose names are not everyday words.
    let mut deferred_people: Vec<&Hit> = Vec::new();
    for h in by_kind(&[NameKind::Person]) {
        let name = &catalog.names[h.name as usize];
        let Of::Person(p) = name.of else { continue };
        let pl = place(text, h, name);
        if !pl.capital || pl.inside_title && name.tokens.len() < 2 {
            continue;
        }
        if name.ambiguous || name.tokens.len() == 1 {
            // One word ("Vangelis", "Phoenix") or an everyday one ("Air"): with context only.
            deferred_people.push(h);
            continue;
        }
        let (confidence, reason) = if h.fuzzy {
            (
                0.75,
                format!("a close spelling of {}", catalog.people[p as usize].name),
            )
        } else if name.tokens.len() == 1 {
            (0.8, "the name, with a capital".to_string())
        } else {
            (0.92, "the full name".to_string())
        };
        person_at.push((h.tokens.clone(), p));
        found.push(Found {
            tokens: h.tokens.clone(),
            of: name.of,
            confidence,
            reason,
        });
    }

    // 2. Albums and works.
    let title_hits = by_kind(&[NameKind::Title, NameKind::Franchise]);
    // Spans with an exact (non-franchise) title: a franchise name is only a fallback there.
    let titled_spans: HashSet<(usize, usize)> = title_hits
        .iter()
        .filter(|h| catalog.names[h.name as usize].kind == NameKind::Title)
        .map(|h| (h.tokens.start, h.tokens.end))
        .collect();
    let mut pending: Vec<(&Hit, Place, Evidence)> = Vec::new();
    for h in &title_hits {
        let name = &catalog.names[h.name as usize];
        let Of::Album(a) = name.of else { continue };
        let album = &catalog.albums[a as usize];
        if name.kind == NameKind::Franchise
            && titled_spans.contains(&(h.tokens.start, h.tokens.end))
        {
            continue;
        }
        let pl = place(text, h, name);
        if !pl.capital {
            continue;
        }
        if let Some(y) = pl.year {
            if !years_fit(&album.years, y) {
                continue;
            }
        }
        if sequel_follows(text, h.tokens.end) {
            // "Blade Runner 2049", "Jaws 2", "Rocky IV": another film of the series.
            continue;
        }
        let mut ev = Evidence::new();
        if pl.emphasized {
            ev.reasons.push("in italics or quotes");
        }
        if pl.entry_head {
            ev.reasons.push("a heading or list entry of its own");
        }
        if let Some(y) = pl.year {
            ev.extra.push(format!("the year ({y}) fits"));
        }
        if name.ambiguous && written_as_title(text, &h.tokens, &pl) {
            ev.reasons.push("written as a title");
        }
        let near = around(text, h.tokens.start, 1);
        if let Some((_, p)) = person_at
            .iter()
            .find(|(at, p)| near.contains(&at.start) && album.people.contains(p))
        {
            let p = *p;
            ev.extra
                .push(format!("{} nearby", catalog.people[p as usize].name));
        }
        if name.ambiguous {
            if pl.inside_title || ev.count() == 0 && pl.capital_uninformative {
                // An everyday word inside another title, or a capital that says nothing.
                if ev.count() == 0 {
                    continue;
                }
            }
            if pl.inside_title {
                continue;
            }
            pending.push((h, pl, ev));
            continue;
        }
        let mut confidence: f32 = match name.kind {
            NameKind::Franchise => 0.6,
            _ if h.fuzzy => 0.75,
            _ => 0.88,
        };
        if pl.inside_title {
            confidence -= 0.2;
        }
        confidence += 0.04 * ev.count().min(2) as f32;
        let mut reason = match name.kind {
            NameKind::Franchise => format!("the series title of {}", album.title),
            _ if h.fuzzy => format!("a close spelling of the title {}", album.title),
            _ => "the title".to_string(),
        };
        if pl.inside_title {
            reason.push_str(", inside a longer title");
        }
        if ev.count() > 0 {
            reason.push_str("; ");
            reason.push_str(&ev.describe());
        }
        album_at.push((h.tokens.clone(), a));
        found.push(Found {
            tokens: h.tokens.clone(),
            of: name.of,
            confidence: confidence.min(0.97),
            reason,
        });
    }
    // Everyday-word titles: backed by evidence, or listed among titles already found.
    for _round in 0..2 {
        let mut rest = Vec::new();
        for (h, pl, mut ev) in pending {
            let name = &catalog.names[h.name as usize];
            let Of::Album(a) = name.of else { continue };
            if listed_with(text, &h.tokens, &album_at) {
                ev.reasons.push("listed with other titles");
            }
            let informative = !pl.capital_uninformative || pl.entry_head;
            if ev.count() == 0 || (!informative && ev.count() < 1) {
                rest.push((h, pl, ev));
                continue;
            }
            let confidence = (0.55 + 0.12 * ev.count() as f32).min(0.92);
            album_at.push((h.tokens.clone(), a));
            found.push(Found {
                tokens: h.tokens.clone(),
                of: name.of,
                confidence,
                reason: format!("an everyday word, but {}", ev.describe()),
            });
        }
        pending = rest;
    }

    // 3. People whose names are everyday words (or single names opening a sentence): with
    // their album or track in the same paragraph, or listed with other people.
    let mut track_hits = by_kind(&[NameKind::Track]);
    let attributed = attributed_quotes(catalog, text, hits);
    for h in deferred_people {
        let name = &catalog.names[h.name as usize];
        let Of::Person(p) = name.of else { continue };
        let person = &catalog.people[p as usize];
        let pl = place(text, h, name);
        if pl.inside_title {
            continue;
        }
        let block = text.blocks[text.block[h.tokens.start]].clone();
        let mut ev = Evidence::new();
        if let Some((_, a)) = album_at
            .iter()
            .find(|(r, a)| block.contains(&r.start) && person.albums.contains(a))
        {
            ev.extra.push(format!(
                "their album {} in the same paragraph",
                catalog.albums[*a as usize].title
            ));
        }
        if attributed
            .iter()
            .any(|(at, q)| *at == h.tokens.end && q.person == p)
        {
            ev.reasons
                .push("followed by the title of one of their tracks");
        }
        if listed_with(text, &h.tokens, &person_at) {
            ev.reasons.push("listed with other artists");
        }
        if pl.emphasized {
            ev.reasons.push("in italics or quotes");
        }
        if !name.ambiguous && !pl.capital_uninformative && music_words_near(text, &h.tokens) {
            ev.reasons.push("music talk around it");
        }
        if ev.count() == 0 || (name.ambiguous && pl.capital_uninformative && ev.count() < 2) {
            continue;
        }
        person_at.push((h.tokens.clone(), p));
        found.push(Found {
            tokens: h.tokens.clone(),
            of: name.of,
            confidence: (0.6 + 0.1 * ev.count() as f32).min(0.9),
            reason: format!("the name {}, with {}", person.name, ev.describe()),
        });
    }

    // 4. Tracks: next to their album or an artist of theirs.
    track_hits.retain(|h| {
        let name = &catalog.names[h.name as usize];
        let Of::Track(t) = name.of else { return false };
        let album = &catalog.albums[catalog.tracks[t as usize].album as usize];
        !album.names.contains(&name.tokens)
    });
    for h in track_hits {
        let name = &catalog.names[h.name as usize];
        let Of::Track(t) = name.of else { continue };
        let track = &catalog.tracks[t as usize];
        let pl = place(text, h, name);
        if !pl.capital || pl.inside_title {
            continue;
        }
        if name.ambiguous && !pl.emphasized && !written_as_title(text, &h.tokens, &pl) {
            continue;
        }
        if let Some(f) = track_context(catalog, text, &h.tokens, track, &person_at, &album_at) {
            let mut confidence: f32 = if name.ambiguous { 0.7 } else { 0.82 };
            if pl.emphasized {
                confidence += 0.08;
            }
            found.push(Found {
                tokens: h.tokens.clone(),
                of: name.of,
                confidence,
                reason: format!(
                    "the track title{}; {f}",
                    if pl.emphasized {
                        " in quotes or italics"
                    } else {
                        ""
                    }
                ),
            });
        }
    }
    // A quoted title after an artist's possessive that starts one of their tracks.
    for (_, q) in attributed {
        if q.exact {
            continue;
        }
        found.push(Found {
            tokens: q.tokens.clone(),
            of: Of::Track(q.track),
            confidence: 0.72,
            reason: format!(
                "quoted after {}, the start of the title {}",
                catalog.people[q.person as usize].name, catalog.tracks[q.track as usize].title
            ),
        });
    }

    // 5. Labels: a name that is no everyday word, or one followed by "Records" or "label".
    for h in by_kind(&[NameKind::Label]) {
        let name = &catalog.names[h.name as usize];
        let pl = place(text, h, name);
        if !pl.capital || pl.inside_title || pl.capital_uninformative {
            continue;
        }
        let next = text.tokens.get(h.tokens.end).map(|t| t.norm.as_str());
        let labelled = matches!(next, Some("records" | "label" | "recordings"));
        if name.ambiguous && !labelled {
            continue;
        }
        found.push(Found {
            tokens: h.tokens.clone(),
            of: name.of,
            confidence: if labelled { 0.8 } else { 0.65 },
            reason: "the label's name".to_string(),
        });
    }
    found
}

/// A sequel number right after a title: digits or a Roman numeral, in the same phrase.
fn sequel_follows(text: &Text, end: usize) -> bool {
    let Some(t) = text.tokens.get(end) else {
        return false;
    };
    if t.gap != Gap::Space || text.block[end] != text.block[end - 1] {
        return false;
    }
    let raw = &text.text[t.range.clone()];
    (raw.len() <= 4 && raw.chars().all(|c| c.is_ascii_digit()))
        || matches!(
            raw,
            "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "IX" | "X" | "XI" | "XII"
        )
}

/// A name of two or more significant words, each capitalized, inside a sentence of ordinary
/// prose: "the sequel to Back to the Future", not "back to the future".
fn written_as_title(text: &Text, r: &Range<usize>, pl: &Place) -> bool {
    if pl.capital_uninformative {
        return false;
    }
    let sig: Vec<&Token> = text.tokens[r.clone()]
        .iter()
        .filter(|t| !is_function_word(&t.norm))
        .collect();
    sig.len() >= 2 && sig.iter().all(|t| t.capital)
}

/// Words that say the sentence is about music, for one-word names.
#[rustfmt::skip]
const MUSIC_WORDS: &[&str] = &[
    "album", "albums", "arrangement", "band", "composed", "composer", "composers", "composition",
    "conducted", "conductor", "cue", "cues", "duo", "ensemble", "group", "melody", "music",
    "musical", "musician", "orchestra", "performed", "played", "record", "recorded", "recording",
    "score", "scored", "scores", "sings", "singer", "song", "songs", "sound", "soundtrack",
    "soundtracks", "synth", "synths", "synthesizer", "synthesizers", "theme", "themes", "track",
    "tracks", "vocals",
];

fn music_words_near(text: &Text, r: &Range<usize>) -> bool {
    let s = &text.sentences[text.sentence[r.start]];
    text.tokens[s.clone()]
        .iter()
        .any(|t| MUSIC_WORDS.contains(&t.norm.as_str()))
}

/// Whether `r` stands in a list ("A, B and C") next to one of `spans`.
fn listed_with(text: &Text, r: &Range<usize>, spans: &[(Range<usize>, u32)]) -> bool {
    let toks = &text.tokens;
    // Neighbour before: "X, r" or "X and r" / "X, and r".
    let before = {
        let mut i = r.start;
        let mut ok = false;
        if i > 0 && matches!(toks[i].gap, Gap::Comma) {
            ok = true;
        } else if i > 0 && matches!(toks[i - 1].norm.as_str(), "and" | "or") {
            i -= 1;
            ok = true;
        }
        ok.then_some(i)
    };
    if let Some(i) = before {
        if spans
            .iter()
            .any(|(s, _)| s.end == i && text.block[s.start] == text.block[r.start])
        {
            return true;
        }
    }
    // Neighbour after: "r, X" or "r and X".
    let after = {
        let i = r.end;
        if i < toks.len() && matches!(toks[i].gap, Gap::Comma) {
            Some(i)
        } else if i + 1 < toks.len() && matches!(toks[i].norm.as_str(), "and" | "or") {
            Some(i + 1)
        } else {
            None
        }
    };
    if let Some(i) = after {
        if spans.iter().any(|(s, _)| {
            (s.start == i || (s.start + 1 == i && toks[s.start].norm == "the"))
                && text.block[s.start] == text.block[r.start]
        }) {
            return true;
        }
    }
    false
}

/// Why a track title counts here: its album or an artist of it nearby.
fn track_context(
    catalog: &Catalog,
    text: &Text,
    r: &Range<usize>,
    track: &TrackEntry,
    person_at: &[(Range<usize>, u32)],
    album_at: &[(Range<usize>, u32)],
) -> Option<String> {
    let near = around(text, r.start, 1);
    let block = text.blocks[text.block[r.start]].clone();
    let album = &catalog.albums[track.album as usize];
    if let Some((_, p)) = person_at.iter().find(|(at, p)| {
        near.contains(&at.start) && (track.people.contains(p) || album.people.contains(p))
    }) {
        return Some(format!(
            "by {}, named nearby",
            catalog.people[*p as usize].name
        ));
    }
    let window = if text.block_len(r.start) > 400 {
        near
    } else {
        block
    };
    if album_at
        .iter()
        .any(|(s, a)| *a == track.album && window.contains(&s.start))
    {
        return Some(format!("from {}, named nearby", album.title));
    }
    None
}

/// A quoted title right after "Artist's" (or before "by Artist") that names one of the
/// artist's tracks, whole or by its start.
#[derive(Debug, Clone)]
struct Attributed {
    tokens: Range<usize>,
    person: u32,
    track: u32,
    exact: bool,
}

fn attributed_quotes(catalog: &Catalog, text: &Text, hits: &[Hit]) -> Vec<(usize, Attributed)> {
    let mut out = Vec::new();
    for h in hits {
        let name = &catalog.names[h.name as usize];
        let Of::Person(p) = name.of else { continue };
        let last = &text.tokens[h.tokens.end - 1];
        if last.base.is_none() || h.tokens.end >= text.tokens.len() {
            continue;
        }
        // The quotation that starts right after the possessive.
        let start = h.tokens.end;
        let between = &text.text[last.range.end..text.tokens[start].range.start];
        if !between.contains(['"', '\u{201c}', '\u{2018}']) {
            continue;
        }
        let mut end = start + 1;
        while end < text.tokens.len() && text.tokens[end].gap <= Gap::Joiner {
            end += 1;
        }
        let quoted: Vec<String> = text.tokens[start..end]
            .iter()
            .map(|t| t.norm.clone())
            .collect();
        let person = &catalog.people[p as usize];
        let mut matches: Vec<(u32, bool)> = Vec::new();
        for &t in &person.tracks {
            let title = &catalog.tracks[t as usize].short;
            let n = title.len().min(quoted.len());
            if n == 0 || title[..n] != quoted[..n] {
                continue;
            }
            let exact = title.len() == quoted.len();
            if !matches
                .iter()
                .any(|(m, _)| catalog.tracks[*m as usize].short == *title)
            {
                matches.push((t, exact));
            }
        }
        if matches.len() == 1 {
            let (track, exact) = matches[0];
            let len = catalog.tracks[track as usize].short.len().min(quoted.len());
            out.push((
                h.tokens.end,
                Attributed {
                    tokens: start..start + len,
                    person: p,
                    track,
                    exact,
                },
            ));
        }
    }
    out
}

/// Groups accepted mentions by target, keeping the longest where spans overlap.
fn group(catalog: &Catalog, text: &Text, mut found: Vec<Found>) -> Vec<Suggestion> {
    // Longest first, then most confident: an overlapped shorter mention is part of a longer name.
    found.sort_by(|a, b| {
        b.tokens
            .len()
            .cmp(&a.tokens.len())
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.tokens.start.cmp(&b.tokens.start))
    });
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        let overlaps = taken
            .iter()
            .any(|t| t.start < f.tokens.end && f.tokens.start < t.end && *t != f.tokens);
        if overlaps {
            continue;
        }
        if !taken.contains(&f.tokens) {
            taken.push(f.tokens.clone());
        }
        kept.push(f);
    }
    // Several albums of different works behind one span: say so, and trust each less.
    let mut per_span: HashMap<(usize, usize), HashSet<Of>> = HashMap::new();
    for f in &kept {
        if let Of::Album(_) = f.of {
            per_span
                .entry((f.tokens.start, f.tokens.end))
                .or_default()
                .insert(f.of);
        }
    }
    let mut by_target: HashMap<Of, Suggestion> = HashMap::new();
    kept.sort_by_key(|f| f.tokens.start);
    for f in kept {
        let mut confidence = f.confidence;
        let mut reason = f.reason;
        if let Some(set) = per_span.get(&(f.tokens.start, f.tokens.end)) {
            if set.len() > 1 {
                confidence -= 0.2;
                reason.push_str(&format!("; {} albums answer to this title", set.len()));
            }
        }
        let mention = Mention {
            range: text.byte_range(&f.tokens),
            sentence: text.sentence_bytes(f.tokens.start),
            confidence,
            reason,
        };
        by_target
            .entry(f.of)
            .or_insert_with(|| Suggestion {
                target: catalog.target_of(f.of),
                label: catalog.label_of(f.of),
                confidence: 0.0,
                reason: String::new(),
                mentions: Vec::new(),
            })
            .mentions
            .push(mention);
    }
    let mut out: Vec<Suggestion> = by_target
        .into_values()
        .map(|mut s| {
            let best = s.best().clone();
            s.confidence = (best.confidence * 100.0).round() / 100.0;
            s.reason = best.reason;
            s
        })
        .filter(|s| s.confidence >= MIN_CONFIDENCE)
        .collect();
    out.sort_by(|a, b| {
        a.mentions[0]
            .range
            .start
            .cmp(&b.mentions[0].range.start)
            .then(a.target.cmp(&b.target))
    });
    out
}

/// Suggestions below this are not made.
pub const MIN_CONFIDENCE: f32 = 0.5;

/// Normalized words of a name, for callers that compare names the way detection does.
pub fn name_key(name: &str) -> Vec<String> {
    name_tokens(name).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::{read, Hint};

    fn album(id: i64, title: &str, work: &str, year: i32, people: &[&str]) -> AlbumInput {
        AlbumInput {
            id,
            title: title.into(),
            work: Some(work.into()),
            years: vec![year],
            people: people.iter().map(|s| s.to_string()).collect(),
            track_people: Vec::new(),
            label: None,
        }
    }

    fn inputs() -> (Vec<AlbumInput>, Vec<TrackInput>) {
        (
            vec![
                album(
                    1,
                    "Moon (Original Soundtrack)",
                    "Moon",
                    2009,
                    &["Clint Mansell"],
                ),
                album(
                    2,
                    "Up (Original Motion Picture Soundtrack)",
                    "Up",
                    2009,
                    &["Michael Giacchino"],
                ),
                album(
                    3,
                    "Tron (Original Motion Picture Soundtrack)",
                    "Tron",
                    1982,
                    &["Wendy Carlos"],
                ),
                album(
                    4,
                    "Tron: Legacy (Original Motion Picture Soundtrack)",
                    "Tron: Legacy",
                    2010,
                    &["Daft Punk"],
                ),
                album(
                    5,
                    "Girl with a Pearl Earring (Original Motion Picture Soundtrack)",
                    "Girl with a Pearl Earring",
                    2003,
                    &["Alexandre Desplat"],
                ),
                album(
                    6,
                    "Lost in Translation (Original Motion Picture Soundtrack)",
                    "Lost in Translation",
                    2003,
                    &["Various Artists"],
                ),
                album(
                    7,
                    "Drive (Original Motion Picture Soundtrack)",
                    "Drive",
                    2011,
                    &["Cliff Martinez"],
                ),
                album(
                    8,
                    "Garden State (Music from the Motion Picture)",
                    "Garden State",
                    2004,
                    &[],
                ),
                album(
                    9,
                    "The Talented Mr. Ripley (Music from the Motion Picture)",
                    "The Talented Mr. Ripley",
                    1999,
                    &["Gabriel Yared"],
                ),
                AlbumInput {
                    label: Some("Decca".into()),
                    ..album(
                        20,
                        "The Lion King (Original Motion Picture Soundtrack)",
                        "The Lion King",
                        1994,
                        &["Hans Zimmer"],
                    )
                },
                AlbumInput {
                    label: Some("Source".into()),
                    ..album(
                        21,
                        "Pride & Prejudice (Music from the Motion Picture)",
                        "Pride & Prejudice",
                        2005,
                        &["Dario Marianelli"],
                    )
                },
            ],
            vec![
                TrackInput {
                    id: 10,
                    album_id: 6,
                    title: "Alone in Kyoto".into(),
                    people: vec!["Air".into()],
                },
                TrackInput {
                    id: 11,
                    album_id: 6,
                    title: "Sometimes".into(),
                    people: vec!["My Bloody Valentine".into()],
                },
                TrackInput {
                    id: 12,
                    album_id: 7,
                    title: "Under Your Spell".into(),
                    people: vec!["Desire".into()],
                },
                TrackInput {
                    id: 13,
                    album_id: 1,
                    title: "Welcome to Lunar Industries".into(),
                    people: vec![],
                },
                TrackInput {
                    id: 14,
                    album_id: 6,
                    title: "Too Young".into(),
                    people: vec!["Phoenix".into()],
                },
                TrackInput {
                    id: 15,
                    album_id: 20,
                    title: "Circle of Life".into(),
                    people: vec!["Carmen Twillie & Lebo M.".into()],
                },
            ],
        )
    }

    fn catalog() -> Catalog {
        let (albums, tracks) = inputs();
        Catalog::build(albums, tracks)
    }

    fn found(text: &str) -> Vec<(Target, f32)> {
        let doc = read(text.as_bytes(), Hint::default()).unwrap();
        detect(&catalog(), &doc)
            .into_iter()
            .map(|s| (s.target, s.confidence))
            .collect()
    }

    fn targets(text: &str) -> Vec<Target> {
        found(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn everyday_titles_need_evidence() {
        assert!(targets("We looked up at the moon. Drive home. Her time is up.").is_empty());
        assert_eq!(
            targets("Clint Mansell proved his genius in Moon."),
            [Target::Person("Clint Mansell".into()), Target::Album(1)]
        );
        assert_eq!(targets("I adore _Up_ (2009), truly."), [Target::Album(2)]);
        assert_eq!(
            targets(
                "Films like Garden State, Lost in Translation, and Drive have a cult following."
            ),
            [Target::Album(8), Target::Album(6), Target::Album(7)]
        );
        assert!(targets("Up the stairs. Drive carefully, said Moon Unit.").is_empty());
    }

    #[test]
    fn years_pick_the_album() {
        assert_eq!(
            targets("Wendy Carlos scored _Tron_ (1982) on a synthesizer."),
            [Target::Person("Wendy Carlos".into()), Target::Album(3)]
        );
        assert_eq!(
            targets("Then came Tron: Legacy, louder."),
            [Target::Album(4)]
        );
    }

    #[test]
    fn misspellings_articles_and_abbreviations() {
        assert_eq!(
            targets("I love The Girl with the Pearl Earring so much."),
            [Target::Album(5)]
        );
        assert_eq!(
            targets("And The Talented Mr Ripley was next."),
            [Target::Album(9)]
        );
        assert_eq!(
            targets("Alexander Desplat wrote it."),
            [Target::Person("Alexandre Desplat".into())]
        );
    }

    #[test]
    fn tracks_need_their_album_or_artist() {
        assert!(targets("Sometimes it rains. \"Sometimes\" is a word.").is_empty());
        let t = targets("Then there's My Bloody Valentine's \"Sometimes.\" And Air's \"Alone.\" on Lost in Translation.");
        assert!(t.contains(&Target::Track(11)), "{t:?}");
        assert!(t.contains(&Target::Track(10)), "{t:?}");
        assert!(t.contains(&Target::Person("Air".into())), "{t:?}");
        assert!(t.contains(&Target::Album(6)), "{t:?}");
        assert!(targets("the character desire and the air we breathe").is_empty());
    }

    #[test]
    fn sequels_are_other_films() {
        assert!(
            targets("Then came Moon 2 and Tron 3 and Drive II, all by Clint Mansell.")
                .iter()
                .all(|t| matches!(t, Target::Person(_)))
        );
        assert_eq!(
            targets("Wendy Carlos made Tron sound new."),
            [Target::Person("Wendy Carlos".into()), Target::Album(3)]
        );
    }

    #[test]
    fn names_inside_longer_titles_are_not_mentions() {
        assert!(targets("Alex North scored _A Streetcar Named Desire_ in 1951.").is_empty());
    }

    #[test]
    fn everyday_words_written_as_a_title_count() {
        assert_eq!(
            targets("Nobody forgets the sequel to The Lion King, ever."),
            [Target::Album(20)]
        );
        assert!(targets("Nobody forgets the lion king of the savanna.").is_empty());
        assert_eq!(
            targets("I hum Pride and Prejudice daily."),
            [Target::Album(21)]
        );
    }

    #[test]
    fn one_word_names_need_music_around_them() {
        assert!(targets("We flew to Phoenix in June.").is_empty());
        assert_eq!(
            targets("The French band Phoenix recorded a song for it."),
            [Target::Person("Phoenix".into())]
        );
        let t = targets("Carmen Twillie sings Circle of Life on The Lion King.");
        assert!(
            t.contains(&Target::Track(15)) && t.contains(&Target::Album(20)),
            "{t:?}"
        );
        let t = targets("Carmen Twillie sings of the circle of life on The Lion King.");
        assert!(!t.contains(&Target::Track(15)), "{t:?}");
    }

    #[test]
    fn labels_link_by_name_and_everyday_ones_only_as_labels() {
        assert_eq!(
            targets("It came out on Decca in 1994."),
            [Target::Label("Decca".into())]
        );
        assert!(targets("The main Source of joy.").is_empty());
        assert_eq!(
            targets("It came out on Source Records that year."),
            [Target::Label("Source".into())]
        );
    }

    #[test]
    fn suggestions_carry_sentence_offsets_and_reasons() {
        let text = "Intro here. Clint Mansell proved his genius in Moon. The end.";
        let doc = read(text.as_bytes(), Hint::default()).unwrap();
        let full = doc.text();
        let s = detect(&catalog(), &doc);
        let moon = s.iter().find(|s| s.target == Target::Album(1)).unwrap();
        let m = moon.best();
        assert_eq!(&full[m.range.clone()], "Moon");
        assert_eq!(
            &full[m.sentence.clone()],
            "Clint Mansell proved his genius in Moon."
        );
        assert!(
            moon.reason.contains("Clint Mansell nearby"),
            "{}",
            moon.reason
        );
        assert!(moon.confidence >= MIN_CONFIDENCE && moon.confidence <= 1.0);
    }

    #[test]
    fn the_quoted_mention_is_a_sentence_rather_than_a_heading() {
        let text =
            "7. Moon\n\nAlthough many remember Clint Mansell for other scores, he proved his \
                    true genius in Moon. It is mesmerising.";
        let doc = read(text.as_bytes(), Hint::default()).unwrap();
        let full = doc.text();
        let s = detect(&catalog(), &doc);
        let moon = s.iter().find(|s| s.target == Target::Album(1)).unwrap();
        assert_eq!(moon.mentions.len(), 2, "{moon:?}");
        let quoted = moon.quoted();
        assert!(
            full[quoted.sentence.clone()].starts_with("Although many remember Clint Mansell"),
            "{:?}",
            &full[quoted.sentence.clone()]
        );
        assert!(quoted.confidence >= moon.confidence - 0.15);
    }

    #[test]
    fn edit_distance_counts_transpositions() {
        assert_eq!(edit_distance("alexander", "alexandre", 2), 1);
        assert!(close_enough("alexander", "alexandre"));
        assert!(!close_enough("mood", "moon"));
    }

    /// Texts of the tests above.
    const TEXTS: &[&str] = &[
        "We looked up at the moon. Drive home. Her time is up.",
        "Clint Mansell proved his genius in Moon.",
        "I adore _Up_ (2009), truly.",
        "Films like Garden State, Lost in Translation, and Drive have a cult following.",
        "Wendy Carlos scored _Tron_ (1982) on a synthesizer. Then came Tron: Legacy, louder.",
        "I love The Girl with the Pearl Earring so much. And The Talented Mr Ripley was next.",
        "Alexander Desplat wrote it.",
        "Then there's My Bloody Valentine's \"Sometimes.\" And Air's \"Alone.\" on Lost in Translation.",
        "Then came Moon 2 and Tron 3 and Drive II, all by Clint Mansell.",
        "Nobody forgets the sequel to The Lion King, ever. I hum Pride and Prejudice daily.",
        "The French band Phoenix recorded a song for it.",
        "Carmen Twillie sings Circle of Life on The Lion King.",
        "It came out on Decca in 1994, or on Source Records that year.",
    ];

    #[test]
    fn tracks_chosen_before_the_build_make_the_same_index() {
        let mut suggestions = 0;
        for text in TEXTS {
            let doc = read(text.as_bytes(), Hint::default()).unwrap();
            let body = doc.text();
            let (albums, tracks) = inputs();
            let vocabulary = Vocabulary::of([body.as_str()]);
            let unchecked = Catalog::build_for(albums.clone(), tracks.clone(), Some(vocabulary));
            let found = detect_in(&unchecked, &doc, &body);
            suggestions += found.len();
            let vocabulary = Vocabulary::of([body.as_str()]);
            let mentionable: Vec<TrackInput> = tracks
                .into_iter()
                .filter(|t| vocabulary.may_mention_track(t.title.trim()))
                .collect();
            let checked = Catalog::build_for_checked(albums, mentionable, vocabulary);
            assert_eq!(detect_in(&checked, &doc, &body), found, "{text}");
        }
        assert!(suggestions >= 20, "{suggestions}");
    }

    /// Names whose words fold in every way the quick vocabulary tests must follow.
    const TRICKY: &[&str] = &[
        "The Battle",
        "A Farewell",
        "An Ending",
        "Tide's Theme",
        "Schindler\u{2019}s List",
        "rock'n'roll",
        "Rock 'n' Roll",
        "ab''cd",
        "'Tis the Season",
        "Don't Look Back (Theme from Rocky)",
        "Gonna Fly Now (Theme from Rocky)",
        "Simon & Garfunkel",
        "&",
        "The &",
        "the the",
        "",
        "(Intro)",
        "Theme & Variations",
        "Mr. Blue Sky",
        "28 Days Later",
        "M83",
        "Tron: Legacy",
        "  Alone  ",
        "Alone in Kyoto",
        "Gonna Fly Nwo",
        "Fly Now - Live",
        "Supercalifragilisticexpialidociousandmorelettersthansixtyfourbytesinone theme",
        "Amélie & Nino",
        "Ludwig Göransson",
    ];

    #[test]
    fn quick_vocabulary_tests_agree_with_the_full_ones() {
        let vocabulary = |words: &[&str], quoted: &[&str]| Vocabulary {
            words: words.iter().map(|w| w.to_string()).collect(),
            quoted: quoted.iter().map(|w| w.to_string()).collect(),
        };
        let vocabularies = [
            Vocabulary::default(),
            vocabulary(
                &[
                    "the",
                    "battle",
                    "tides",
                    "theme",
                    "and",
                    "rock",
                    "n",
                    "roll",
                    "ab",
                    "cd",
                    "tis",
                    "season",
                    "dont",
                    "look",
                    "back",
                    "from",
                    "rocky",
                    "gonna",
                    "fly",
                    "now",
                    "simon",
                    "garfunkel",
                    "intro",
                    "mr",
                    "blue",
                    "sky",
                    "28",
                    "days",
                    "alone",
                ],
                &["alone", "and", "tis"],
            ),
            vocabulary(
                &[
                    "battle",
                    "farewell",
                    "ending",
                    "abcd",
                    "rocknroll",
                    "variations",
                    "later",
                    "m83",
                    "tron",
                    "legacy",
                    "alone",
                    "in",
                    "kyoto",
                    "live",
                    "amelie",
                    "nino",
                ],
                &["gonna"],
            ),
            Vocabulary::of([
                "The battle, Tide\u{2019}s theme and rock'n'roll: \"Alone\" (from Rocky); \
                 28 days, M83 & Tron. Gonna fly now, Schindler's list, Ludwig Goransson.",
            ]),
        ];
        for v in &vocabularies {
            for name in TRICKY {
                if let Some(quick) = name
                    .is_ascii()
                    .then(|| v.may_mention_ascii_track(name))
                    .flatten()
                {
                    assert_eq!(quick, v.may_mention(name), "{name:?}");
                }
                assert_eq!(v.may_mention_track(name), v.may_mention(name), "{name:?}");
                for misspelling in [false, true] {
                    if !v.may_admit(name, Split::Lexicon, misspelling) {
                        assert!(!v.admits(&name_tokens(name).0, misspelling), "{name:?}");
                    }
                    if !v.may_admit(name, Split::Quick, misspelling) {
                        assert!(!v.admits(&quick_words(name), misspelling), "{name:?}");
                    }
                }
            }
        }
        // The quick tests do refuse.
        let v = &vocabularies[1];
        assert!(!v.may_admit("Farewell Ending", Split::Lexicon, true));
        assert!(!v.may_admit("Battle Farewell", Split::Quick, false));
        assert!(v.may_admit("Battle Farewell", Split::Quick, true));
        assert_eq!(v.may_mention_ascii_track("Farewell"), Some(false));
        assert_eq!(v.may_mention_ascii_track("The Battle"), Some(true));
        assert_eq!(v.may_mention_ascii_track("Alone in Kyoto"), Some(true));
        assert_eq!(v.may_mention_ascii_track("Kyoto Alone"), Some(false));
        assert_eq!(v.may_mention_ascii_track("Theme & Variations"), Some(false));
    }

    #[test]
    fn credits_split_into_people() {
        assert_eq!(
            split_credit("John Williams featuring Itzhak Perlman"),
            [
                "John Williams featuring Itzhak Perlman",
                "John Williams",
                "Itzhak Perlman"
            ]
        );
        assert_eq!(
            split_credit("Trent Reznor; Atticus Ross"),
            ["Trent Reznor", "Atticus Ross"]
        );
        assert_eq!(split_credit("Various Artists"), Vec::<String>::new());
        assert_eq!(split_credit("  Vangelis "), ["Vangelis"]);
        assert_eq!(split_credit("  "), Vec::<String>::new());
        assert_eq!(
            split_credit("Matt Damon, Jude Law & Fiorello"),
            ["Matt Damon", "Jude Law", "Fiorello"]
        );
    }
}
