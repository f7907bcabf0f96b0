//! Backup and restore of everything the collector added, as one versioned JSON file.
//!
//! The format is documented in `docs/backup.md`. Version 1 holds tags and subjects (ratings,
//! notes, field overrides, tags, time-coded notes) keyed by the same identities the catalog
//! uses, so a backup restores into the library it came from, into a fresh one before or after
//! its first scan, or into one that already holds annotations. Restoring is idempotent: the
//! backup's ratings, notes and fields win, tags and time-coded notes are added once. A bad
//! entry is skipped with a message naming it; the rest is restored.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{
    album_anchor, apply_album, clean_tag_name, markdown, parse_fields, reindex_notes, to_json,
    AlbumAnchor, Fields,
};
use crate::db::subjects::{self, Kind};
use crate::db::{self, tags, DbError};
use crate::Library;

pub const FORMAT: &str = "cuebook-backup";
/// The format version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Backups larger than this are refused before reading (a library of a million annotations
/// stays far below it).
const MAX_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("annotation storage failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("{0} is {1} bytes; a Cuebook backup is at most 1 GiB")]
    TooLarge(PathBuf, u64),
    #[error("{0} is not a Cuebook backup: {1}")]
    NotABackup(PathBuf, String),
    #[error(
        "{0} was made by a newer Cuebook (backup version {1}; this one reads up to {VERSION})"
    )]
    TooNew(PathBuf, u32),
    #[error(transparent)]
    Annotate(#[from] super::AnnotateError),
    #[error("finding article links after the restore failed: {0}")]
    Articles(String),
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// Always `cuebook-backup`.
    pub format: String,
    pub version: u32,
    /// Unix seconds.
    pub created_at: i64,
    /// The Cuebook version that wrote it.
    pub app_version: String,
    #[serde(default)]
    pub tags: Vec<BackupTag>,
    #[serde(default)]
    pub subjects: Vec<BackupSubject>,
    /// The collector's lists; their album and track entries name a subject by its index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<BackupList>,
    /// Imported articles with their annotations and links; album and track links name a
    /// subject by its index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<BackupArticle>,
}

/// One imported article: its source, metadata and readable text, the collector's rating, note
/// and tags, and its links with their decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupArticle {
    /// `url:…`, `file:…` or `text:…`: what makes a later import of the same source an update.
    pub source_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `markdown`, `html` or `text`.
    pub format: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
    /// The text's structure (headings, paragraphs, entries, quotes, emphasis).
    pub blocks: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<BackupLink>,
    #[serde(default)]
    pub imported_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

/// One link from an article and the collector's decision on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupLink {
    /// `album`, `track`, `person` or `label`.
    pub kind: String,
    /// Albums and tracks: the index of their subject in `subjects`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<usize>,
    /// People and labels: the name.
    pub label: String,
    /// `suggested`, `confirmed` or `rejected`.
    pub status: String,
    #[serde(default)]
    pub confidence: f64,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub excerpt: String,
    #[serde(default)]
    pub excerpt_start: i64,
    #[serde(default)]
    pub excerpt_end: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<i64>,
}

/// One list with its entries in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupList {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `none`, `ascending` or `descending`.
    #[serde(default = "ranking_none")]
    pub ranking: String,
    /// A smart list's saved query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<BackupEntry>,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

fn ranking_none() -> String {
    "none".into()
}

/// One list entry: an album or track (by its index in `subjects`) or a wishlist placeholder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupEntry {
    /// `album`, `track` or `placeholder`.
    pub kind: String,
    /// Albums and tracks: the index of their subject in `subjects`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<usize>,
    /// What the entry shows (a placeholder: what the collector wrote).
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupTag {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// One annotated album, track or work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupSubject {
    pub kind: Kind,
    /// Tracks: the audio identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
    /// Works: the normalized title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_key: Option<String>,
    /// What it was (titles, numbers, MusicBrainz ids; an album's track content ids).
    #[serde(default)]
    pub anchor: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cue_notes: Vec<BackupCueNote>,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupCueNote {
    pub at_ms: i64,
    pub text: String,
}

/// Everything the collector added, as a [`Backup`].
///
/// # Errors
/// When the catalog cannot be read.
pub fn collect(lib: &Library) -> Result<Backup, BackupError> {
    let conn = lib.reader()?;
    let tags = tags::list(&conn)?
        .into_iter()
        .map(|t| BackupTag {
            name: t.name,
            color: t.color,
        })
        .collect();
    let mut out = Vec::new();
    let mut index_of = std::collections::HashMap::new();
    for s in subjects::all(&conn, None)? {
        index_of.insert(s.id, out.len());
        out.push(BackupSubject {
            kind: s.kind,
            content_id: s.content_id.clone(),
            work_key: s.work_key.clone(),
            anchor: serde_json::from_str(&s.anchor).unwrap_or(serde_json::Value::Null),
            rating: s.rating,
            note: s.note.clone(),
            fields: s.fields.as_deref().map(|f| parse_fields(Some(f))),
            tags: tags::of_subject(&conn, s.id)?
                .into_iter()
                .map(|t| t.name)
                .collect(),
            cue_notes: subjects::cue_notes(&conn, s.id)?
                .into_iter()
                .map(|c| BackupCueNote {
                    at_ms: c.at_ms,
                    text: c.text,
                })
                .collect(),
            created_at: s.created_at,
            updated_at: s.updated_at,
        });
    }
    let mut lists = Vec::new();
    for l in db::lists::all(&conn)? {
        let entries = db::lists::entries(&conn, l.id)?
            .into_iter()
            .map(|e| BackupEntry {
                subject: e.subject_id.and_then(|s| index_of.get(&s).copied()),
                kind: e.kind,
                title: e.title,
                artist: e.artist,
                year: e.year,
                note: e.note,
            })
            .collect();
        lists.push(BackupList {
            name: l.name,
            note: l.note,
            ranking: l.ranking,
            query: l.query.and_then(|q| serde_json::from_str(&q).ok()),
            entries,
            created_at: l.created_at,
            updated_at: l.updated_at,
        });
    }
    let articles = collect_articles(&conn, &index_of)?;
    Ok(Backup {
        format: FORMAT.into(),
        version: VERSION,
        created_at: db::now_secs(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        tags,
        subjects: out,
        lists,
        articles,
    })
}

/// Writes the backup to `path` atomically (a temp file beside it, synced, then renamed).
/// Returns how many subjects it holds.
///
/// # Errors
/// When the catalog cannot be read or the file cannot be written.
pub fn write(lib: &Library, path: &Path) -> Result<usize, BackupError> {
    let backup = collect(lib)?;
    let err = |e| BackupError::Write(path.to_path_buf(), e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".cuebook-backup-")
        .tempfile_in(dir)
        .map_err(err)?;
    serde_json::to_writer_pretty(std::io::BufWriter::new(tmp.as_file_mut()), &backup)
        .map_err(|e| err(e.into()))?;
    tmp.as_file_mut().write_all(b"\n").map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(backup.subjects.len())
}

/// What a restore did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    pub tags_created: usize,
    /// Subjects that did not exist and were created.
    pub subjects_created: usize,
    /// Subjects that existed and took the backup's values.
    pub subjects_updated: usize,
    pub cue_notes_added: usize,
    pub lists_created: usize,
    /// Lists that existed (the same name and creation time) and took the backup's entries.
    pub lists_updated: usize,
    pub articles_created: usize,
    /// Articles that existed (the same source or text) and took the backup's annotations.
    pub articles_updated: usize,
    /// Restored subjects that match nothing in the catalog yet (they attach when their files
    /// are scanned).
    pub orphans: usize,
    /// Entries skipped, each with the reason.
    pub skipped: Vec<String>,
}

/// Reads and checks a backup file.
///
/// # Errors
/// When the file cannot be read, is too large, is not a backup, or is of a newer version.
pub fn read(path: &Path) -> Result<Backup, BackupError> {
    let meta = std::fs::metadata(path).map_err(|e| BackupError::Read(path.into(), e))?;
    if meta.len() > MAX_BYTES {
        return Err(BackupError::TooLarge(path.into(), meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| BackupError::Read(path.into(), e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<u32>,
    }
    let head: Head = serde_json::from_slice(bytes)
        .map_err(|e| BackupError::NotABackup(path.into(), e.to_string()))?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(BackupError::NotABackup(
            path.into(),
            format!("its \"format\" is not {FORMAT:?}"),
        ));
    }
    match head.version {
        Some(v) if v > VERSION => return Err(BackupError::TooNew(path.into(), v)),
        Some(_) => {}
        None => {
            return Err(BackupError::NotABackup(
                path.into(),
                "it has no \"version\"".into(),
            ))
        }
    }
    serde_json::from_slice(bytes).map_err(|e| BackupError::NotABackup(path.into(), e.to_string()))
}

/// Restores a backup file into the library (see the module docs for the rules).
///
/// # Errors
/// When the file cannot be read or is not a backup (then nothing changes), or the catalog
/// cannot be written.
pub fn restore(lib: &Library, path: &Path) -> Result<RestoreReport, BackupError> {
    let backup = read(path)?;
    restore_backup(lib, &backup)
}

/// Restores an already-read backup.
///
/// # Errors
/// When the catalog cannot be written.
pub fn restore_backup(lib: &Library, backup: &Backup) -> Result<RestoreReport, BackupError> {
    let mut report = RestoreReport::default();
    let mut conn = lib.writer()?;
    let tx = conn.transaction()?;
    let now = db::now_secs();
    for t in &backup.tags {
        let Ok(name) = clean_tag_name(&t.name) else {
            report
                .skipped
                .push(format!("tag {:?}: not a valid tag name", short(&t.name)));
            continue;
        };
        let color = match super::clean_color(t.color.as_deref()) {
            Ok(c) => c,
            Err(e) => {
                report
                    .skipped
                    .push(format!("tag {name:?}: {e}; restored without a color"));
                None
            }
        };
        match tags::by_name(&tx, &name)? {
            Some((id, _)) => {
                if color.is_some() {
                    tags::set_color(&tx, id, color.as_deref())?;
                }
            }
            None => {
                tags::insert(&tx, &name, color.as_deref(), now)?;
                report.tags_created += 1;
            }
        }
    }
    let mut restored = Vec::with_capacity(backup.subjects.len());
    for (i, s) in backup.subjects.iter().enumerate() {
        match restore_subject(&tx, s, now, &mut report) {
            Ok(id) => restored.push(Some(id)),
            Err(why) => {
                report
                    .skipped
                    .push(format!("entry {} ({}): {why}", i + 1, s.kind.as_str()));
                restored.push(None);
            }
        }
    }
    for (i, l) in backup.lists.iter().enumerate() {
        if let Err(why) = restore_list(&tx, l, &restored, now, &mut report) {
            report
                .skipped
                .push(format!("list {} ({:?}): {why}", i + 1, short(&l.name)));
        }
    }
    for (i, a) in backup.articles.iter().enumerate() {
        if let Err(why) = restore_article(&tx, a, &restored, now, &mut report) {
            report
                .skipped
                .push(format!("article {} ({:?}): {why}", i + 1, short(&a.title)));
        }
    }
    tx.commit()?;
    report.orphans = subjects::orphans(&conn)?.len();
    drop(conn);
    if !backup.articles.is_empty() {
        // Mentions and suggestions come back from the text; decisions are already restored.
        crate::articles::detect_all(lib).map_err(|e| BackupError::Articles(e.to_string()))?;
    }
    Ok(report)
}

fn collect_articles(
    conn: &Connection,
    index_of: &std::collections::HashMap<i64, usize>,
) -> Result<Vec<BackupArticle>, BackupError> {
    let links = db::articles::all_links(conn)?;
    let mut out = Vec::new();
    for a in db::articles::all(conn)? {
        let article_links = links
            .iter()
            .filter(|l| l.article_id == a.id)
            .filter_map(|l| {
                let subject = l.subject_id.and_then(|s| index_of.get(&s).copied());
                if matches!(l.kind.as_str(), "album" | "track") && subject.is_none() {
                    return None;
                }
                Some(BackupLink {
                    kind: l.kind.clone(),
                    subject,
                    label: l.label.clone(),
                    status: l.status.clone(),
                    confidence: l.confidence,
                    reason: l.reason.clone(),
                    excerpt: l.excerpt.clone(),
                    excerpt_start: l.excerpt_start,
                    excerpt_end: l.excerpt_end,
                    decided_at: l.decided_at,
                })
            })
            .collect();
        out.push(BackupArticle {
            tags: db::articles::tags_of(conn, a.id)?
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
            source_key: a.source_key,
            url: a.url,
            file_name: a.file_name,
            format: a.format,
            title: a.title,
            description: a.description,
            author: a.author,
            published: a.published,
            updated: a.updated,
            keywords: a
                .keywords
                .as_deref()
                .and_then(|k| serde_json::from_str(k).ok())
                .unwrap_or_default(),
            locale: a.locale,
            category: a.category,
            extra: a
                .extra
                .as_deref()
                .and_then(|e| serde_json::from_str(e).ok()),
            blocks: serde_json::from_str(&a.blocks).unwrap_or(serde_json::Value::Null),
            rating: a.rating.and_then(|r| u8::try_from(r).ok()),
            note: a.note,
            links: article_links,
            imported_at: a.imported_at,
            updated_at: a.updated_at,
        });
    }
    Ok(out)
}

/// Restores one article: the article of the same source (or text) takes the backup's rating,
/// note and decisions and gains its tags; else it is created from the backup's text.
fn restore_article(
    conn: &Connection,
    b: &BackupArticle,
    restored: &[Option<i64>],
    now: i64,
    report: &mut RestoreReport,
) -> Result<(), Skip> {
    let sql = |e: rusqlite::Error| e.to_string();
    if !matches!(b.format.as_str(), "markdown" | "html" | "text") {
        return Err(format!("format {:?} is unknown", short(&b.format)));
    }
    if b.rating.is_some_and(|r| r > 5) {
        return Err(format!(
            "rating {} is not 0 to 5",
            b.rating.unwrap_or_default()
        ));
    }
    if b.note
        .as_ref()
        .is_some_and(|n| n.len() > markdown::MAX_NOTE_BYTES)
    {
        return Err("the note is over 1 MiB".into());
    }
    let blocks = crate::articles::backup_blocks(&b.blocks).ok_or("its text is unreadable")?;
    let body = blocks.body;
    if body.len() > crate::articles::MAX_ARTICLE_BYTES {
        return Err("its text is over the article size limit".into());
    }
    let title: String = b
        .title
        .chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect();
    if title.trim().is_empty() {
        return Err("it has no title".into());
    }
    let text_hash = blake3::hash(body.as_bytes()).to_hex().to_string();
    let existing = db::articles::find_source(conn, &b.source_key, &text_hash).map_err(sql)?;
    let id = match existing {
        Some(id) => {
            report.articles_updated += 1;
            id
        }
        None => {
            let row = db::articles::ArticleRow {
                id: 0,
                source_key: b.source_key.clone(),
                url: b.url.clone(),
                file_name: b.file_name.clone(),
                format: b.format.clone(),
                title,
                description: b.description.clone(),
                author: b.author.clone(),
                published: b.published.clone(),
                updated: b.updated.clone(),
                keywords: (!b.keywords.is_empty()).then(|| to_json(&b.keywords)),
                locale: b.locale.clone(),
                category: b.category.clone(),
                extra: b.extra.as_ref().map(to_json),
                blocks: blocks.json,
                body,
                text_hash,
                rating: None,
                note: None,
                imported_at: b.imported_at,
                updated_at: b.updated_at,
            };
            report.articles_created += 1;
            db::articles::save(conn, &row).map_err(sql)?
        }
    };
    db::articles::set_rating(conn, id, b.rating.map(i64::from), now).map_err(sql)?;
    db::articles::set_note(conn, id, b.note.as_deref(), now).map_err(sql)?;
    db::articles::index(
        conn,
        id,
        b.note.as_deref().map(markdown::plain_text).as_deref(),
    )
    .map_err(sql)?;
    for name in &b.tags {
        let Ok(clean) = clean_tag_name(name) else {
            continue;
        };
        let tag = match tags::by_name(conn, &clean).map_err(sql)? {
            Some((t, _)) => t,
            None => tags::insert(conn, &clean, None, now).map_err(sql)?,
        };
        db::articles::add_tag(conn, id, tag).map_err(sql)?;
    }
    for l in &b.links {
        if !matches!(l.status.as_str(), "suggested" | "confirmed" | "rejected") {
            report.skipped.push(format!(
                "article {:?}: a link with status {:?}",
                short(&b.title),
                short(&l.status)
            ));
            continue;
        }
        let (subject, key) = match l.kind.as_str() {
            "album" | "track" => match l.subject.and_then(|s| restored.get(s).copied().flatten()) {
                Some(s) => (Some(s), format!("subject:{s}")),
                None => {
                    report.skipped.push(format!(
                        "article {:?}: the link to {:?} names no restored album or track",
                        short(&b.title),
                        short(&l.label)
                    ));
                    continue;
                }
            },
            "person" | "label" => (None, crate::text::fold(&l.label)),
            other => {
                report.skipped.push(format!(
                    "article {:?}: a link of kind {:?}",
                    short(&b.title),
                    short(other)
                ));
                continue;
            }
        };
        db::articles::restore_link(
            conn,
            id,
            &db::articles::NewLink {
                kind: &l.kind,
                subject_id: subject,
                target_key: &key,
                label: &l.label,
                confidence: l.confidence.clamp(0.0, 1.0),
                reason: &l.reason,
                excerpt: &l.excerpt,
                excerpt_start: l.excerpt_start,
                excerpt_end: l.excerpt_end,
            },
            &l.status,
            l.decided_at,
        )
        .map_err(sql)?;
    }
    Ok(())
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Why an entry was skipped.
type Skip = String;

/// Restores one list: the list of the same name and creation time takes the backup's fields and
/// entries, else a new list is made. An entry whose subject was skipped keeps its place as a
/// placeholder with the title it showed.
fn restore_list(
    conn: &Connection,
    b: &BackupList,
    restored: &[Option<i64>],
    now: i64,
    report: &mut RestoreReport,
) -> Result<(), Skip> {
    use crate::lists::{clean_name, clean_note, SmartQuery};
    let sql = |e: rusqlite::Error| e.to_string();
    let name = clean_name(&b.name).map_err(|e| e.to_string())?;
    let note = clean_note(b.note.as_deref()).map_err(|e| e.to_string())?;
    if !matches!(b.ranking.as_str(), "none" | "ascending" | "descending") {
        return Err(format!(
            "ranking {:?} is not none, ascending or descending",
            short(&b.ranking)
        ));
    }
    let query = match &b.query {
        Some(q) => {
            let q: SmartQuery =
                serde_json::from_value(q.clone()).map_err(|e| format!("smart list query: {e}"))?;
            Some(to_json(&q))
        }
        None => None,
    };
    let mut entries = Vec::new();
    for (i, e) in b.entries.iter().enumerate() {
        let subject = match e.kind.as_str() {
            "album" | "track" => e.subject.and_then(|s| restored.get(s).copied().flatten()),
            "placeholder" => None,
            other => {
                return Err(format!(
                    "entry {}: kind {:?} is unknown",
                    i + 1,
                    short(other)
                ))
            }
        };
        let note =
            clean_note(e.note.as_deref()).map_err(|err| format!("entry {}: {err}", i + 1))?;
        let title: String = e
            .title
            .chars()
            .filter(|c| !c.is_control())
            .take(500)
            .collect();
        if title.trim().is_empty() {
            return Err(format!("entry {} has no title", i + 1));
        }
        entries.push((subject, title, e, note));
    }
    let existing = db::lists::all(conn)
        .map_err(sql)?
        .into_iter()
        .find(|l| l.name == name && l.created_at == b.created_at);
    let id = match existing {
        Some(l) => {
            db::lists::update(
                conn,
                l.id,
                &name,
                note.as_deref(),
                &b.ranking,
                query.as_deref(),
                now,
            )
            .map_err(sql)?;
            for e in db::lists::entries(conn, l.id).map_err(sql)? {
                db::lists::delete_entry(conn, e.id).map_err(sql)?;
            }
            report.lists_updated += 1;
            l.id
        }
        None => {
            let id = db::lists::insert(
                conn,
                &name,
                note.as_deref(),
                &b.ranking,
                query.as_deref(),
                now,
            )
            .map_err(sql)?;
            db::lists::set_created_at(conn, id, b.created_at).map_err(sql)?;
            report.lists_created += 1;
            id
        }
    };
    let mut held = std::collections::HashSet::new();
    let mut position = 0;
    for (subject, title, e, note) in entries {
        if subject.is_some_and(|s| !held.insert(s)) {
            continue;
        }
        let kind = match subject {
            Some(_) => e.kind.as_str(),
            None => "placeholder",
        };
        let entry = db::lists::NewEntry {
            kind,
            subject_id: subject,
            title: &title,
            artist: e.artist.as_deref(),
            year: e.year,
            note: note.as_deref(),
        };
        db::lists::insert_entry(conn, id, position, &entry, now).map_err(sql)?;
        position += 1;
    }
    Ok(())
}

fn restore_subject(
    conn: &Connection,
    b: &BackupSubject,
    now: i64,
    report: &mut RestoreReport,
) -> Result<i64, Skip> {
    // Check everything before touching the catalog, so a bad entry changes nothing.
    if b.rating.is_some_and(|r| r > 5) {
        return Err(format!(
            "rating {} is not 0 to 5",
            b.rating.unwrap_or_default()
        ));
    }
    if b.note
        .as_ref()
        .is_some_and(|n| n.len() > markdown::MAX_NOTE_BYTES)
    {
        return Err("the note is over 1 MiB".into());
    }
    let fields = match &b.fields {
        Some(f) => Some(f.clone().validated().map_err(|e| e.to_string())?),
        None => None,
    };
    if let Some(f) = &fields {
        let cue_only = f.cue.is_some()
            && Fields {
                cue: None,
                ..f.clone()
            }
            .is_empty();
        let wrong = match b.kind {
            Kind::Track => !cue_only,
            Kind::Album => f.cue.is_some(),
            Kind::Work => !f.is_empty(),
        };
        if wrong {
            return Err(format!(
                "fields that do not belong on a {}",
                b.kind.as_str()
            ));
        }
    }
    let tag_names = b
        .tags
        .iter()
        .map(|t| clean_tag_name(t).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    for c in &b.cue_notes {
        if c.at_ms < 0 || c.text.trim().is_empty() || c.text.chars().count() > 2000 {
            return Err(format!("time-coded note at {} ms is out of shape", c.at_ms));
        }
    }
    let sql = |e: rusqlite::Error| e.to_string();

    // Albums: where the entry's tracks are now, found once.
    let mut album: Option<i64> = None;
    let existing = match b.kind {
        Kind::Track => {
            let content = b
                .content_id
                .as_deref()
                .filter(|c| !c.is_empty() && c.len() <= 128)
                .ok_or("a track entry needs its content_id")?;
            subjects::of_track(conn, content).map_err(sql)?
        }
        Kind::Work => {
            let key = b
                .work_key
                .as_deref()
                .filter(|k| !k.is_empty() && k.len() <= 1000)
                .ok_or("a work entry needs its work_key")?;
            subjects::of_work(conn, key).map_err(sql)?
        }
        Kind::Album => {
            let anchor: AlbumAnchor = serde_json::from_value(b.anchor.clone())
                .map_err(|e| format!("album anchor: {e}"))?;
            album = super::attach::find_album(conn, &anchor).map_err(|e| e.to_string())?;
            match album {
                Some(album) => subjects::of_album(conn, album).map_err(sql)?,
                None => {
                    // Not in the catalog (yet): the same orphan restored before, if any.
                    let wanted = sorted(&anchor.contents);
                    subjects::all(conn, Some(Kind::Album))
                        .map_err(sql)?
                        .into_iter()
                        .filter(|s| s.album_id.is_none())
                        .find(|s| {
                            serde_json::from_str::<AlbumAnchor>(&s.anchor)
                                .is_ok_and(|a| !wanted.is_empty() && sorted(&a.contents) == wanted)
                        })
                }
            }
        }
    };
    let id = match existing {
        Some(s) => {
            report.subjects_updated += 1;
            s.id
        }
        None => {
            report.subjects_created += 1;
            let anchor = b.anchor.to_string();
            match b.kind {
                Kind::Track => subjects::insert(
                    conn,
                    Kind::Track,
                    b.content_id.as_deref(),
                    None,
                    None,
                    &anchor,
                    now,
                ),
                Kind::Work => subjects::insert(
                    conn,
                    Kind::Work,
                    None,
                    None,
                    b.work_key.as_deref(),
                    &anchor,
                    now,
                ),
                Kind::Album => {
                    let anchor = match album {
                        Some(a) => to_json(&album_anchor(conn, a).map_err(|e| e.to_string())?),
                        None => anchor,
                    };
                    subjects::insert(conn, Kind::Album, None, album, None, &anchor, now)
                }
            }
            .map_err(sql)?
        }
    };
    if b.rating.is_some() {
        subjects::set_rating(conn, id, b.rating, now).map_err(sql)?;
    }
    if let Some(note) = b.note.as_deref().filter(|n| !n.trim().is_empty()) {
        subjects::set_note(conn, id, Some(note.trim_end()), now).map_err(sql)?;
    }
    if let Some(f) = fields.filter(|f| !f.is_empty()) {
        let current = subjects::get(conn, id).map_err(sql)?.and_then(|s| s.fields);
        let mut merged = parse_fields(current.as_deref());
        for name in super::fields::FIELD_NAMES {
            if let Some(v) = f.get(name) {
                merged.set(name, &v).map_err(|e| e.to_string())?;
            }
        }
        let cue_sort = merged.cue.as_deref().map(super::cue_sort_key);
        subjects::set_fields(conn, id, Some(&to_json(&merged)), cue_sort.as_deref(), now)
            .map_err(sql)?;
    }
    for name in tag_names {
        let tag = match tags::by_name(conn, &name).map_err(sql)? {
            Some((tag, _)) => tag,
            None => {
                report.tags_created += 1;
                tags::insert(conn, &name, None, now).map_err(sql)?
            }
        };
        tags::add(conn, id, tag).map_err(sql)?;
    }
    // Each distinct note as many times as the backup holds it, counting what is there already.
    let mut wanted: Vec<((i64, &str), usize)> = Vec::new();
    for c in &b.cue_notes {
        let key = (c.at_ms, c.text.trim());
        match wanted.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => wanted.push((key, 1)),
        }
    }
    for ((at_ms, text), n) in wanted {
        let have = subjects::count_cue_note(conn, id, at_ms, text).map_err(sql)?;
        for _ in have..n {
            subjects::add_cue_note(conn, id, at_ms, text, now).map_err(sql)?;
            report.cue_notes_added += 1;
        }
    }
    reindex_notes(conn, id).map_err(|e| e.to_string())?;
    let s = subjects::get(conn, id)
        .map_err(sql)?
        .ok_or("the entry vanished")?;
    if let (Kind::Album, Some(album)) = (s.kind, s.album_id) {
        let f = parse_fields(s.fields.as_deref());
        if !f.is_empty() {
            apply_album(conn, album, &f).map_err(|e| e.to_string())?;
        }
    }
    Ok(id)
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}
