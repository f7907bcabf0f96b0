//! Articles in the library: import (file, URL, pasted text), storage, detection of mentions, the
//! collector's decisions, "mentioned in", annotations and ranked lists.
//!
//! Importing a source again (the same URL, file or text) updates the stored article in place:
//! its id, decisions, tags, rating and note stay. Detection runs after every import and can run
//! again at any time ([`detect_all`] after a scan): it refreshes suggestions and mentions, drops
//! suggestions it no longer makes, and never changes a confirmed or rejected link.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::detect::{self, Catalog, Suggestion, Target, Vocabulary};
use super::document::{BlockKind, Document, Format};
use super::fetch::{self, FetchError};
use super::ranked::{self, Order};
use super::{read, ArticleError, Hint, MAX_ARTICLE_BYTES};
use crate::annotate::{self, markdown};
use crate::db::{self, articles as store, DbError};
use crate::lists::{self, Item, ListError, Ranking};
use crate::Library;

/// Why an article operation failed. Messages name the file or URL and the problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArticlesError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("article storage failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Read(#[from] ArticleError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{0} has no readable text")]
    Empty(String),
    #[error("no article has id {0}")]
    NoSuchArticle(i64),
    #[error("no article link has id {0}")]
    NoSuchLink(i64),
    #[error("“{0}” is not a ranked list (no run of three or more numbered entries)")]
    NotRanked(String),
    #[error(transparent)]
    Annotate(#[from] annotate::AnnotateError),
    #[error(transparent)]
    List(#[from] ListError),
    #[error("the rating must be 0 to 5, not {0}")]
    BadRating(i64),
    #[error("the note is {bytes} bytes; notes hold at most {max}")]
    NoteTooLong { bytes: usize, max: usize },
}

/// Where an article comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a Path),
    Url(&'a str),
    /// Pasted or piped text; `name` for messages ("clipboard", "stdin").
    Text {
        text: &'a str,
        name: &'a str,
    },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub id: i64,
    /// False when the source was imported before and the article was updated.
    pub created: bool,
    pub title: String,
    /// Suggestions waiting for a decision.
    pub suggestions: usize,
    /// Entries of the ranked list the article is, if it is one.
    pub ranked_entries: Option<usize>,
}

/// A row of the article list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    /// The URL, else the file name.
    pub source: Option<String>,
    pub format: String,
    pub rating: Option<i64>,
    pub imported_at: i64,
    pub confirmed: i64,
    pub suggested: i64,
    pub words: i64,
}

/// One block of the readable text, as offsets into `ArticleView::body`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockView {
    /// `heading`, `paragraph`, `item` or `quote`.
    pub kind: &'static str,
    pub level: Option<u8>,
    pub ordinal: Option<u32>,
    pub start: usize,
    pub end: usize,
    /// Italic or quoted ranges, offsets into the body.
    pub emphasis: Vec<[usize; 2]>,
}

/// A link from the article to the collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    pub id: i64,
    /// `album`, `track`, `person` or `label`.
    pub kind: String,
    pub label: String,
    /// `suggested`, `confirmed` or `rejected`.
    pub status: String,
    pub confidence: f64,
    pub reason: String,
    pub excerpt: String,
    pub excerpt_start: i64,
    pub excerpt_end: i64,
    /// The last detection found it (a decided link may outlive its mention).
    pub found: bool,
    pub album_id: Option<i64>,
    pub track_id: Option<i64>,
    /// For a track: its album.
    pub track_album_id: Option<i64>,
    /// For a person or label: the name.
    pub name: Option<String>,
    pub mentions: usize,
}

/// One highlighted mention in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionView {
    pub link_id: i64,
    pub start: usize,
    pub end: usize,
    pub status: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedEntryView {
    pub rank: u32,
    pub title: String,
    pub year: Option<i32>,
    pub note: String,
    /// The owned album the entry names, if any; else it becomes a wishlist entry.
    pub album_id: Option<i64>,
    pub album_title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedView {
    /// `ascending` or `descending`.
    pub order: &'static str,
    pub entries: Vec<RankedEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagView {
    pub name: String,
    pub color: Option<String>,
}

/// Everything the reader shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub keywords: Vec<String>,
    pub locale: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub format: String,
    pub imported_at: i64,
    pub body: String,
    pub blocks: Vec<BlockView>,
    pub links: Vec<LinkView>,
    pub mentions: Vec<MentionView>,
    pub tags: Vec<TagView>,
    pub rating: Option<i64>,
    pub note: Option<String>,
    pub note_html: Option<String>,
    pub ranked: Option<RankedView>,
}

/// A confirmed link shown on the page of what it links to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionedIn {
    pub article_id: i64,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    pub excerpt: String,
    pub excerpt_start: i64,
    pub excerpt_end: i64,
}

/// What "mentioned in" is asked about.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Subject {
    Album { id: i64 },
    Track { id: i64 },
    Person { name: String },
    Label { name: String },
}

/// The collector's decision on links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Confirm,
    Reject,
    /// Back to a suggestion.
    Undecide,
}

impl Decision {
    fn status(self) -> &'static str {
        match self {
            Decision::Confirm => "confirmed",
            Decision::Reject => "rejected",
            Decision::Undecide => "suggested",
        }
    }
}

/// Largest note on an article, as for every other note.
const MAX_NOTE_BYTES: usize = 1 << 20;

fn write<T>(
    lib: &Library,
    f: impl FnOnce(&Connection, i64) -> Result<T, ArticlesError>,
) -> Result<T, ArticlesError> {
    let mut conn = lib.writer()?;
    let tx = conn.transaction()?;
    let out = f(&tx, db::now_secs())?;
    tx.commit()?;
    Ok(out)
}

/// The collection's names, read from the catalog.
///
/// # Errors
/// When the catalog cannot be read.
pub fn catalog(conn: &Connection) -> Result<Catalog, ArticlesError> {
    let (albums, tracks) = store::catalog_names(conn, &|_| true)?;
    Ok(Catalog::build(albums, tracks))
}

/// The collection's names that `texts` can mention: what detection on them needs, read much
/// faster than the whole [`catalog`] of a large library.
///
/// # Errors
/// When the catalog cannot be read.
pub fn catalog_for<'a>(
    conn: &Connection,
    texts: impl IntoIterator<Item = &'a str>,
) -> Result<Catalog, ArticlesError> {
    let vocabulary = Vocabulary::of(texts);
    let (albums, tracks) =
        store::catalog_names(conn, &|title| vocabulary.may_mention_track(title.trim()))?;
    Ok(Catalog::build_for_checked(albums, tracks, vocabulary))
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Markdown => "markdown",
        Format::Html => "html",
        Format::PlainText => "text",
    }
}

#[derive(Serialize, Deserialize)]
struct StoredBlock {
    k: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u32>,
    t: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    e: Vec<[usize; 2]>,
}

fn store_blocks(doc: &Document) -> String {
    let blocks: Vec<StoredBlock> = doc
        .blocks
        .iter()
        .map(|b| {
            let (k, n) = match b.kind {
                BlockKind::Heading(l) => (format!("h{l}"), None),
                BlockKind::Paragraph => ("p".to_string(), None),
                BlockKind::ListItem { ordinal } => ("li".to_string(), ordinal),
                BlockKind::Quote => ("q".to_string(), None),
            };
            StoredBlock {
                k,
                n,
                t: b.text.clone(),
                e: b.emphasis.iter().map(|r| [r.start, r.end]).collect(),
            }
        })
        .collect();
    serde_json::to_string(&blocks).expect("blocks serialize")
}

/// The stored article as a document again.
fn document(row: &store::ArticleRow) -> Document {
    let format = match row.format.as_str() {
        "markdown" => Format::Markdown,
        "html" => Format::Html,
        _ => Format::PlainText,
    };
    let mut doc = Document::new(format);
    doc.title = Some(row.title.clone());
    let blocks: Vec<StoredBlock> = serde_json::from_str(&row.blocks).unwrap_or_default();
    doc.blocks = blocks
        .into_iter()
        .map(|b| super::document::Block {
            kind: match b.k.as_str() {
                "p" => BlockKind::Paragraph,
                "li" => BlockKind::ListItem { ordinal: b.n },
                "q" => BlockKind::Quote,
                h => BlockKind::Heading(h.trim_start_matches('h').parse().unwrap_or(2)),
            },
            emphasis: b
                .e
                .iter()
                .filter(|[s, e]| {
                    s < e && *e <= b.t.len() && b.t.is_char_boundary(*s) && b.t.is_char_boundary(*e)
                })
                .map(|[s, e]| *s..*e)
                .collect(),
            text: b.t,
        })
        .collect();
    doc
}

/// Blocks from a backup, checked, as stored JSON and readable text.
pub struct RestoredBlocks {
    pub json: String,
    pub body: String,
}

/// Checks a backup's blocks and gives them back with the text they make; `None` when they are
/// not blocks.
pub fn backup_blocks(value: &serde_json::Value) -> Option<RestoredBlocks> {
    let blocks: Vec<StoredBlock> = serde_json::from_value(value.clone()).ok()?;
    if blocks.is_empty() {
        return None;
    }
    let texts: Vec<&str> = blocks.iter().map(|b| b.t.as_str()).collect();
    let body = texts.join(super::BLOCK_SEPARATOR);
    Some(RestoredBlocks {
        json: serde_json::to_string(&blocks).ok()?,
        body,
    })
}

/// The title an article is shown under: its own title, its first heading, the file's name, or
/// (for pasted text and web pages without one) the opening words of its first paragraph.
fn fallback_title(doc: &Document, file_name: Option<&str>) -> String {
    if let Some(t) = doc
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return t.to_string();
    }
    if let Some(h) = doc
        .blocks
        .iter()
        .find(|b| matches!(b.kind, BlockKind::Heading(_)))
    {
        return h.text.clone();
    }
    if let Some(stem) = file_name
        .and_then(|n| Path::new(n).file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
    {
        return stem;
    }
    opening_words(doc.blocks.first().map_or("", |b| b.text.as_str()), 80)
}

/// Words whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "vol", "op", "feat", "ft",
];

/// The first sentence of `text`, cut at a word boundary with "…" when longer than `max` characters.
fn opening_words(text: &str, max: usize) -> String {
    let text = text.trim();
    let sentence_end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
                && !(c == '.' && {
                    let word = text[..i]
                        .rsplit(|c: char| !c.is_alphanumeric())
                        .next()
                        .unwrap_or("");
                    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
                })
        })
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    let sentence = &text[..sentence_end];
    if sentence.chars().count() <= max {
        return sentence.to_string();
    }
    let cut = sentence
        .char_indices()
        .nth(max)
        .map_or(sentence.len(), |(i, _)| i);
    let head = &sentence[..cut];
    let head = head
        .rfind(char::is_whitespace)
        .filter(|&i| i > max / 2)
        .map_or(head, |i| &head[..i]);
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-'))
    )
}

/// Imports an article, links it, and returns what happened.
///
/// # Errors
/// An unreadable file, a URL that cannot be fetched, text that is too large, binary or empty, or
/// a catalog that cannot be written; the message names the source. Nothing is stored then.
pub fn import(
    lib: &Library,
    source: Source,
    cancel: &AtomicBool,
) -> Result<Imported, ArticlesError> {
    let (bytes, content_type, name, url, file_name, source_key) = match source {
        Source::File(path) => {
            let shown = path.display().to_string();
            let io = |error| ArticlesError::Io {
                path: shown.clone(),
                error,
            };
            let size = std::fs::metadata(path).map_err(io)?.len() as usize;
            if size > MAX_ARTICLE_BYTES {
                return Err(ArticleError::TooLarge {
                    name: shown,
                    size,
                    limit: MAX_ARTICLE_BYTES,
                }
                .into());
            }
            let bytes = std::fs::read(path).map_err(io)?;
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                bytes,
                None,
                shown,
                None,
                file_name,
                format!("file:{}", canonical.display()),
            )
        }
        Source::Url(url) => {
            let url = url.trim();
            let fetched = fetch::fetch(url, &fetch::Limits::default(), cancel)?;
            let key = url.split('#').next().unwrap_or(url).to_string();
            (
                fetched.bytes,
                fetched.content_type,
                url.to_string(),
                Some(key.clone()),
                None,
                format!("url:{key}"),
            )
        }
        Source::Text { text, name } => (
            text.as_bytes().to_vec(),
            None,
            name.to_string(),
            None,
            None,
            String::new(),
        ),
    };
    let hint = Hint {
        file_name: file_name.as_deref(),
        content_type: content_type.as_deref(),
        url: url.as_deref(),
    };
    let hint = Hint {
        file_name: hint.file_name.or(Some(&name)),
        ..hint
    };
    let mut doc = read(&bytes, hint)?;
    if doc.blocks.is_empty() {
        return Err(ArticlesError::Empty(name.clone()));
    }
    if doc.source_url.is_none() {
        doc.source_url = url.clone();
    }
    let body = doc.text();
    let text_hash = blake3::hash(body.as_bytes()).to_hex().to_string();
    let source_key = if source_key.is_empty() {
        format!("text:{text_hash}")
    } else {
        source_key
    };
    let ranked_entries = ranked::ranked(&doc).map(|r| r.entries.len());
    let catalog = catalog_for(&lib.reader()?, [body.as_str()])?;
    write(lib, |conn, now| {
        let existing = store::find_source(conn, &source_key, &text_hash)?;
        let previous = existing
            .map(|id| store::get(conn, id))
            .transpose()?
            .flatten();
        let file_name = file_name
            .clone()
            .or(previous.as_ref().and_then(|p| p.file_name.clone()));
        let title = fallback_title(&doc, file_name.as_deref());
        let row = store::ArticleRow {
            id: existing.unwrap_or(0),
            source_key: previous
                .as_ref()
                .filter(|p| !p.source_key.starts_with("text:") || source_key.starts_with("text:"))
                .map_or(source_key.clone(), |p| {
                    // A pasted copy of an imported URL or file keeps the better source.
                    if source_key.starts_with("text:") {
                        p.source_key.clone()
                    } else {
                        source_key.clone()
                    }
                }),
            url: doc
                .source_url
                .clone()
                .or(previous.as_ref().and_then(|p| p.url.clone())),
            file_name,
            format: format_name(doc.format).to_string(),
            title: title.clone(),
            description: doc.description.clone(),
            author: doc.author.clone(),
            published: doc.published.clone(),
            updated: doc.updated.clone(),
            keywords: (!doc.keywords.is_empty())
                .then(|| serde_json::to_string(&doc.keywords).expect("strings serialize")),
            locale: doc.locale.clone(),
            category: doc.category.clone(),
            extra: (!doc.extra.is_empty())
                .then(|| serde_json::to_string(&doc.extra).expect("strings serialize")),
            blocks: store_blocks(&doc),
            body: body.clone(),
            text_hash: text_hash.clone(),
            rating: None,
            note: None,
            imported_at: now,
            updated_at: now,
        };
        let id = store::save(conn, &row)?;
        let note = previous.as_ref().and_then(|p| p.note.clone());
        store::index(
            conn,
            id,
            note.as_deref().map(markdown::plain_text).as_deref(),
        )?;
        let suggestions = detect::detect_in(&catalog, &doc, &body);
        let waiting = save_links(conn, id, &body, &suggestions, now)?;
        Ok(Imported {
            id,
            created: existing.is_none(),
            title,
            suggestions: waiting,
            ranked_entries,
        })
    })
}

/// Stores detection results for an article: refreshes links (keeping decisions) and mentions.
/// Returns how many suggestions wait for a decision.
fn save_links(
    conn: &Connection,
    article_id: i64,
    body: &str,
    suggestions: &[Suggestion],
    now: i64,
) -> Result<usize, ArticlesError> {
    store::reset_found(conn, article_id)?;
    for s in suggestions {
        let (kind, subject, key) = match &s.target {
            Target::Album(id) => {
                let subject = annotate::ensure_subject_on(conn, annotate::Target::Album(*id), now)?;
                ("album", Some(subject), format!("subject:{subject}"))
            }
            Target::Track(id) => {
                let subject = annotate::ensure_subject_on(conn, annotate::Target::Track(*id), now)?;
                ("track", Some(subject), format!("subject:{subject}"))
            }
            Target::Person(name) => ("person", None, crate::text::fold(name)),
            Target::Label(name) => ("label", None, crate::text::fold(name)),
        };
        let quoted = s.quoted();
        let (excerpt, es, ee) = excerpt(body, &quoted.sentence, &quoted.range);
        let link = store::upsert_link(
            conn,
            article_id,
            &store::NewLink {
                kind,
                subject_id: subject,
                target_key: &key,
                label: &s.label,
                confidence: f64::from(s.confidence),
                reason: &s.reason,
                excerpt: &excerpt,
                excerpt_start: es as i64,
                excerpt_end: ee as i64,
            },
        )?;
        for m in &s.mentions {
            store::add_mention(
                conn,
                link,
                m.range.start as i64,
                m.range.end as i64,
                f64::from(m.confidence),
                &m.reason,
            )?;
        }
    }
    for subject in store::drop_unfound_suggestions(conn, article_id)? {
        db::subjects::delete_if_empty(conn, subject)?;
    }
    Ok(store::links(conn, article_id)?
        .iter()
        .filter(|l| l.status == "suggested" && l.found)
        .count())
}

/// The sentence around a mention, cut to about 320 bytes around it, and where the mention sits.
fn excerpt(
    body: &str,
    sentence: &std::ops::Range<usize>,
    mention: &std::ops::Range<usize>,
) -> (String, usize, usize) {
    const REACH: usize = 160;
    let mut start = sentence.start;
    let mut end = sentence.end.min(body.len());
    let mut lead = "";
    let mut tail = "";
    if mention.start.saturating_sub(start) > REACH {
        start = mention.start - REACH;
        while !body.is_char_boundary(start) {
            start += 1;
        }
        if let Some(space) = body[start..mention.start].find(' ') {
            start += space + 1;
        }
        lead = "…";
    }
    if end.saturating_sub(mention.end) > REACH {
        end = mention.end + REACH;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(space) = body[mention.end..end].rfind(' ') {
            end = mention.end + space;
        }
        tail = "…";
    }
    let text = format!("{lead}{}{tail}", &body[start..end]);
    let s = lead.len() + mention.start - start;
    (text, s, s + mention.end - mention.start)
}

/// Runs detection again on one article (after the library changed). Decisions are kept.
///
/// # Errors
/// No such article, or a catalog that cannot be written.
pub fn detect_again(lib: &Library, id: i64) -> Result<usize, ArticlesError> {
    let reader = lib.reader()?;
    let row = store::get(&reader, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
    let catalog = catalog_for(&reader, [row.body.as_str()])?;
    drop(reader);
    write(lib, |conn, now| detect_on(conn, &catalog, id, now))
}

fn detect_on(
    conn: &Connection,
    catalog: &Catalog,
    id: i64,
    now: i64,
) -> Result<usize, ArticlesError> {
    let row = store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
    let doc = document(&row);
    let suggestions = detect::detect_in(catalog, &doc, &row.body);
    save_links(conn, id, &row.body, &suggestions, now)
}

/// Runs detection again on every article, for example after a scan. Returns the suggestions
/// waiting for a decision.
///
/// # Errors
/// A catalog that cannot be read or written.
pub fn detect_all(lib: &Library) -> Result<usize, ArticlesError> {
    let reader = lib.reader()?;
    if store::count(&reader)? == 0 {
        return Ok(0);
    }
    let bodies: Vec<String> = store::all(&reader)?.into_iter().map(|a| a.body).collect();
    let catalog = catalog_for(&reader, bodies.iter().map(String::as_str))?;
    drop(reader);
    write(lib, |conn, now| {
        let mut waiting = 0;
        for id in store::ids(conn)? {
            waiting += detect_on(conn, &catalog, id, now)?;
        }
        Ok(waiting)
    })
}

/// [`detect_all`] inside a scan, on the scan's writer connection: runs only when there are
/// articles. Returns the suggestions waiting for a decision.
///
/// # Errors
/// A catalog that cannot be read or written.
pub(crate) fn after_scan(conn: &mut Connection) -> Result<usize, ArticlesError> {
    if store::count(conn)? == 0 {
        return Ok(0);
    }
    let bodies: Vec<String> = store::all(conn)?.into_iter().map(|a| a.body).collect();
    let catalog = catalog_for(conn, bodies.iter().map(String::as_str))?;
    let tx = conn.transaction()?;
    let now = db::now_secs();
    let mut waiting = 0;
    for id in store::ids(&tx)? {
        waiting += detect_on(&tx, &catalog, id, now)?;
    }
    tx.commit()?;
    Ok(waiting)
}

fn summary(r: store::SummaryRow) -> ArticleSummary {
    ArticleSummary {
        id: r.id,
        title: r.title,
        author: r.author,
        published: r.published,
        source: r.url.or(r.file_name),
        format: r.format,
        rating: r.rating,
        imported_at: r.imported_at,
        confirmed: r.confirmed,
        suggested: r.suggested,
        words: r.words,
    }
}

/// Every article, newest first; with `query`, the articles whose title, author, keywords, text
/// or note hold every word of it, best first.
///
/// # Errors
/// A catalog that cannot be read.
pub fn list(lib: &Library, query: Option<&str>) -> Result<Vec<ArticleSummary>, ArticlesError> {
    let conn = lib.reader()?;
    let rows = match query.map(fts_query).filter(|q| !q.is_empty()) {
        Some(q) => store::search(&conn, &q)?,
        None => store::summaries(&conn)?,
    };
    Ok(rows.into_iter().map(summary).collect())
}

/// Every word as a quoted prefix term: user text never reaches FTS5 syntax.
fn fts_query(q: &str) -> String {
    q.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn block_views(doc: &Document) -> Vec<BlockView> {
    let mut offset = 0;
    doc.blocks
        .iter()
        .map(|b| {
            let start = offset;
            offset += b.text.len() + super::BLOCK_SEPARATOR.len();
            let (kind, level, ordinal) = match b.kind {
                BlockKind::Heading(l) => ("heading", Some(l), None),
                BlockKind::Paragraph => ("paragraph", None, None),
                BlockKind::ListItem { ordinal } => ("item", None, ordinal),
                BlockKind::Quote => ("quote", None, None),
            };
            BlockView {
                kind,
                level,
                ordinal,
                start,
                end: start + b.text.len(),
                emphasis: b
                    .emphasis
                    .iter()
                    .map(|r| [start + r.start, start + r.end])
                    .collect(),
            }
        })
        .collect()
}

/// (album id, track id, track's album id).
type Place = (Option<i64>, Option<i64>, Option<i64>);

/// Where a subject is in the catalog now.
fn subject_place(conn: &Connection, subject: Option<i64>) -> Result<Place, ArticlesError> {
    let Some(id) = subject else {
        return Ok((None, None, None));
    };
    let Some(s) = db::subjects::get(conn, id)? else {
        return Ok((None, None, None));
    };
    if let Some(content) = s.content_id.as_deref() {
        let track: Option<(i64, Option<i64>)> = conn
            .prepare_cached(
                "SELECT id, album_id FROM tracks WHERE content_id = ?1 ORDER BY album_id IS NULL, id LIMIT 1",
            )?
            .query_row([content], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        return Ok((None, track.map(|t| t.0), track.and_then(|t| t.1)));
    }
    Ok((s.album_id, None, None))
}

fn link_view(
    conn: &Connection,
    l: store::LinkRow,
    mentions: usize,
) -> Result<LinkView, ArticlesError> {
    let (album_id, track_id, track_album_id) = subject_place(conn, l.subject_id)?;
    let name = matches!(l.kind.as_str(), "person" | "label").then(|| l.label.clone());
    Ok(LinkView {
        id: l.id,
        kind: l.kind,
        label: l.label,
        status: l.status,
        confidence: l.confidence,
        reason: l.reason,
        excerpt: l.excerpt,
        excerpt_start: l.excerpt_start,
        excerpt_end: l.excerpt_end,
        found: l.found,
        album_id,
        track_id,
        track_album_id,
        name,
        mentions,
    })
}

/// The article as the reader shows it.
///
/// # Errors
/// No such article, or a catalog that cannot be read.
pub fn get(lib: &Library, id: i64) -> Result<ArticleView, ArticlesError> {
    let conn = lib.reader()?;
    let row = store::get(&conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
    let doc = document(&row);
    let links = store::links(&conn, id)?;
    let mentions = store::mentions(&conn, id)?;
    let mut per_link: HashMap<i64, usize> = HashMap::new();
    for (l, _, _) in &mentions {
        *per_link.entry(*l).or_default() += 1;
    }
    let status: HashMap<i64, (String, String)> = links
        .iter()
        .map(|l| (l.id, (l.status.clone(), l.kind.clone())))
        .collect();
    let mention_views = mentions
        .iter()
        .filter_map(|(l, s, e)| {
            let (status, kind) = status.get(l)?;
            Some(MentionView {
                link_id: *l,
                start: *s as usize,
                end: *e as usize,
                status: status.clone(),
                kind: kind.clone(),
            })
        })
        .collect();
    let link_views = links
        .into_iter()
        .map(|l| {
            let n = per_link.get(&l.id).copied().unwrap_or(0);
            link_view(&conn, l, n)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ranked = ranked_view(&conn, id, &doc, &row.body)?;
    let keywords: Vec<String> = row
        .keywords
        .as_deref()
        .and_then(|k| serde_json::from_str(k).ok())
        .unwrap_or_default();
    Ok(ArticleView {
        id,
        title: row.title,
        description: row.description,
        author: row.author,
        published: row.published,
        updated: row.updated,
        keywords,
        locale: row.locale,
        category: row.category,
        url: row.url,
        file_name: row.file_name,
        format: row.format,
        imported_at: row.imported_at,
        blocks: block_views(&doc),
        body: row.body,
        links: link_views,
        mentions: mention_views,
        tags: store::tags_of(&conn, id)?
            .into_iter()
            .map(|(name, color)| TagView { name, color })
            .collect(),
        rating: row.rating,
        note_html: row.note.as_deref().map(markdown::render),
        note: row.note,
        ranked,
    })
}

/// The ranked list with each entry's owned album: a confirmed or suggested album link whose
/// mention sits in the entry's heading.
fn ranked_view(
    conn: &Connection,
    id: i64,
    doc: &Document,
    body: &str,
) -> Result<Option<RankedView>, ArticlesError> {
    let Some(r) = ranked::ranked(doc) else {
        return Ok(None);
    };
    let _ = body;
    let links = store::links(conn, id)?;
    let mentions = store::mentions(conn, id)?;
    let blocks = block_views(doc);
    let mut entries = Vec::new();
    for e in &r.entries {
        let b = &blocks[e.block];
        let album = mentions
            .iter()
            .filter(|(_, s, en)| *s as usize >= b.start && *en as usize <= b.end)
            .find_map(|(l, _, _)| {
                links
                    .iter()
                    .find(|x| x.id == *l && x.kind == "album" && x.status != "rejected")
            });
        let (album_id, album_title) = match album {
            Some(l) => (subject_place(conn, l.subject_id)?.0, Some(l.label.clone())),
            None => (None, None),
        };
        entries.push(RankedEntryView {
            rank: e.rank,
            title: e.title.clone(),
            year: e.year,
            note: e.note.clone(),
            album_title: album_id.and(album_title),
            album_id,
        });
    }
    Ok(Some(RankedView {
        order: match r.order {
            Order::Ascending => "ascending",
            Order::Descending => "descending",
        },
        entries,
    }))
}

/// Confirms, rejects or un-decides links.
///
/// # Errors
/// A link that does not exist (then nothing changes).
pub fn decide(lib: &Library, link_ids: &[i64], decision: Decision) -> Result<(), ArticlesError> {
    write(lib, |conn, now| {
        for &id in link_ids {
            store::link(conn, id)?.ok_or(ArticlesError::NoSuchLink(id))?;
            let at = (decision != Decision::Undecide).then_some(now);
            store::set_status(conn, id, decision.status(), at)?;
        }
        Ok(())
    })
}

/// Decides every waiting suggestion of the article at or above `min_confidence`. Returns how many.
///
/// # Errors
/// No such article, or a catalog that cannot be written.
pub fn decide_above(
    lib: &Library,
    article_id: i64,
    min_confidence: f64,
    decision: Decision,
) -> Result<usize, ArticlesError> {
    write(lib, |conn, now| {
        store::get(conn, article_id)?.ok_or(ArticlesError::NoSuchArticle(article_id))?;
        let mut n = 0;
        for l in store::links(conn, article_id)? {
            if l.status == "suggested" && l.found && l.confidence + 1e-9 >= min_confidence {
                store::set_status(conn, l.id, decision.status(), Some(now))?;
                n += 1;
            }
        }
        Ok(n)
    })
}

/// Confirmed links to an album, track, person or label, newest article first.
///
/// # Errors
/// A catalog that cannot be read.
pub fn mentioned_in(lib: &Library, subject: &Subject) -> Result<Vec<MentionedIn>, ArticlesError> {
    let conn = lib.reader()?;
    let (subject_id, kind, key) = match subject {
        Subject::Album { id } => (
            annotate::subject_id_of(&conn, annotate::Target::Album(*id))?,
            "album",
            String::new(),
        ),
        Subject::Track { id } => (
            annotate::subject_id_of(&conn, annotate::Target::Track(*id))?,
            "track",
            String::new(),
        ),
        Subject::Person { name } => (None, "person", crate::text::fold(name)),
        Subject::Label { name } => (None, "label", crate::text::fold(name)),
    };
    if subject_id.is_none() && key.is_empty() {
        return Ok(Vec::new());
    }
    Ok(store::mentioned_in(&conn, subject_id, kind, &key)?
        .into_iter()
        .map(|r| MentionedIn {
            article_id: r.article_id,
            title: r.title,
            author: r.author,
            published: r.published,
            excerpt: r.excerpt,
            excerpt_start: r.excerpt_start,
            excerpt_end: r.excerpt_end,
        })
        .collect())
}

/// Turns a ranked article into a list: its entries in the article's order, numbered as the
/// article numbers them, each with its paragraph as the note, linked to the owned album or kept
/// as a wishlist entry. Returns the new list's id.
///
/// # Errors
/// No such article, an article that is no ranked list, or a catalog that cannot be written.
pub fn to_list(lib: &Library, id: i64, name: Option<&str>) -> Result<i64, ArticlesError> {
    let view = get(lib, id)?;
    let ranked = view
        .ranked
        .ok_or_else(|| ArticlesError::NotRanked(view.title.clone()))?;
    let ranking = match ranked.order {
        "ascending" => Ranking::Ascending,
        _ => Ranking::Descending,
    };
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(&view.title)
        .chars()
        .take(200)
        .collect::<String>();
    let items: Vec<Item> = ranked
        .entries
        .iter()
        .map(|e| {
            let note = (!e.note.is_empty()).then(|| e.note.clone());
            match e.album_id {
                Some(id) => Item::Album { id, note },
                None => Item::Placeholder {
                    title: e.title.clone(),
                    artist: None,
                    year: e.year.map(i64::from),
                    note,
                },
            }
        })
        .collect();
    let list = lists::create(lib, &name, ranking)?;
    let mut source = String::from("From the article");
    if let Some(url) = view.url.as_deref() {
        source = format!("From the article <{url}>");
    }
    lists::update(
        lib,
        list.id,
        &lists::ListChange {
            note: Some(format!("{source} “{}”.", view.title)),
            ..lists::ListChange::default()
        },
    )?;
    if let Err(e) = lists::add(lib, list.id, &items, None) {
        let _ = lists::delete(lib, list.id);
        return Err(e.into());
    }
    Ok(list.id)
}

/// Sets or clears an article's rating (0–5).
///
/// # Errors
/// No such article or a rating out of range.
pub fn rate(lib: &Library, id: i64, rating: Option<i64>) -> Result<(), ArticlesError> {
    if let Some(r) = rating.filter(|r| !(0..=5).contains(r)) {
        return Err(ArticlesError::BadRating(r));
    }
    write(lib, |conn, now| {
        store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
        store::set_rating(conn, id, rating, now)?;
        Ok(())
    })
}

/// Sets (or, empty, clears) an article's Markdown note; it is searchable.
///
/// # Errors
/// No such article or a note over 1 MiB.
pub fn set_note(lib: &Library, id: i64, note: &str) -> Result<Option<String>, ArticlesError> {
    if note.len() > MAX_NOTE_BYTES {
        return Err(ArticlesError::NoteTooLong {
            bytes: note.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    let note = Some(note).filter(|n| !n.trim().is_empty());
    write(lib, |conn, now| {
        store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
        store::set_note(conn, id, note, now)?;
        store::index(conn, id, note.map(markdown::plain_text).as_deref())?;
        Ok(note.map(markdown::render))
    })
}

/// Adds tags (created when new) to an article.
///
/// # Errors
/// No such article or a bad tag name.
pub fn tag(lib: &Library, id: i64, names: &[String]) -> Result<(), ArticlesError> {
    write(lib, |conn, now| {
        store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
        for name in names {
            let clean = annotate::clean_tag_name(name)?;
            let tag = match db::tags::by_name(conn, &clean)? {
                Some((t, _)) => t,
                None => db::tags::insert(conn, &clean, None, now)?,
            };
            store::add_tag(conn, id, tag)?;
        }
        Ok(())
    })
}

/// Removes tags from an article (tags it does not carry are ignored).
///
/// # Errors
/// No such article.
pub fn untag(lib: &Library, id: i64, names: &[String]) -> Result<(), ArticlesError> {
    write(lib, |conn, _| {
        store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
        for name in names {
            if let Some((t, _)) = db::tags::by_name(conn, name.trim())? {
                store::remove_tag(conn, id, t)?;
            }
        }
        Ok(())
    })
}

/// Deletes an article with its links. The albums and tracks keep their annotations.
///
/// # Errors
/// No such article.
pub fn delete(lib: &Library, id: i64) -> Result<(), ArticlesError> {
    write(lib, |conn, _| {
        store::get(conn, id)?.ok_or(ArticlesError::NoSuchArticle(id))?;
        for subject in store::delete(conn, id)? {
            db::subjects::delete_if_empty(conn, subject)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::opening_words;

    #[test]
    fn a_title_from_the_opening_words_ends_at_the_sentence_or_a_word() {
        assert_eq!(
            opening_words("Moon is good. So is Up.", 80),
            "Moon is good."
        );
        assert_eq!(
            opening_words("  No full stop here  ", 80),
            "No full stop here"
        );
        assert_eq!(
            opening_words("Mr. Mansell wrote it. Then more.", 80),
            "Mr. Mansell wrote it."
        );
        let long = "John Williams has recently celebrated his 80s birthday making blogs, \
                    websites and magazines focus on his great works.";
        assert_eq!(
            opening_words(long, 80),
            "John Williams has recently celebrated his 80s birthday making blogs, websites…"
        );
        // One long word is cut inside it rather than left whole.
        assert_eq!(
            opening_words(&"a".repeat(100), 10),
            format!("{}…", "a".repeat(10))
        );
        assert_eq!(opening_words("Café, à la carte", 6), "Café…");
    }
}
