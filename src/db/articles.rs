//! `articles`, `article_tags`, `article_fts`, `article_links` and `article_mentions`: imported
//! articles, what they mention, and the collector's decisions. Also the collection's names as the
//! mention detector reads them.
//!
//! Invariants: `article_fts` has exactly one row per article (rowid = id), rewritten by
//! [`index`] whenever the title, author, keywords, text or note change. A link's `target_key` is
//! `subject:<id>` for albums and tracks and the folded name for people and labels.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::articles::detect::{AlbumInput, FxBuild, TrackInput};

/// One stored article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub id: i64,
    pub source_key: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub format: String,
    pub title: String,
    pub description: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    /// JSON array.
    pub keywords: Option<String>,
    pub locale: Option<String>,
    pub category: Option<String>,
    /// JSON object.
    pub extra: Option<String>,
    /// JSON blocks.
    pub blocks: String,
    pub body: String,
    pub text_hash: String,
    pub rating: Option<i64>,
    pub note: Option<String>,
    pub imported_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, source_key, url, file_name, format, title, description, author,
    published, updated, keywords, locale, category, extra, blocks, body, text_hash, rating, note,
    imported_at, updated_at";

fn map_article(r: &Row) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        source_key: r.get(1)?,
        url: r.get(2)?,
        file_name: r.get(3)?,
        format: r.get(4)?,
        title: r.get(5)?,
        description: r.get(6)?,
        author: r.get(7)?,
        published: r.get(8)?,
        updated: r.get(9)?,
        keywords: r.get(10)?,
        locale: r.get(11)?,
        category: r.get(12)?,
        extra: r.get(13)?,
        blocks: r.get(14)?,
        body: r.get(15)?,
        text_hash: r.get(16)?,
        rating: r.get(17)?,
        note: r.get(18)?,
        imported_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ArticleRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM articles WHERE id = ?1"))?
        .query_row([id], map_article)
        .optional()
}

/// The article imported from this source, or with this text, if any.
pub fn find_source(
    conn: &Connection,
    source_key: &str,
    text_hash: &str,
) -> rusqlite::Result<Option<i64>> {
    let by_key: Option<i64> = conn
        .prepare_cached("SELECT id FROM articles WHERE source_key = ?1")?
        .query_row([source_key], |r| r.get(0))
        .optional()?;
    if by_key.is_some() {
        return Ok(by_key);
    }
    conn.prepare_cached("SELECT id FROM articles WHERE text_hash = ?1 ORDER BY id LIMIT 1")?
        .query_row([text_hash], |r| r.get(0))
        .optional()
}

/// Inserts (`row.id == 0`) or rewrites an article's source, metadata and text; keeps its rating,
/// note and tags. Returns the id.
pub fn save(conn: &Connection, row: &ArticleRow) -> rusqlite::Result<i64> {
    if row.id == 0 {
        conn.prepare_cached(
            "INSERT INTO articles (source_key, url, file_name, format, title, description, author,
                published, updated, keywords, locale, category, extra, blocks, body, text_hash,
                rating, note, imported_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20)",
        )?
        .execute(params![
            row.source_key,
            row.url,
            row.file_name,
            row.format,
            row.title,
            row.description,
            row.author,
            row.published,
            row.updated,
            row.keywords,
            row.locale,
            row.category,
            row.extra,
            row.blocks,
            row.body,
            row.text_hash,
            row.rating,
            row.note,
            row.imported_at,
            row.updated_at,
        ])?;
        return Ok(conn.last_insert_rowid());
    }
    conn.prepare_cached(
        "UPDATE articles SET source_key = ?2, url = ?3, file_name = ?4, format = ?5, title = ?6,
            description = ?7, author = ?8, published = ?9, updated = ?10, keywords = ?11,
            locale = ?12, category = ?13, extra = ?14, blocks = ?15, body = ?16, text_hash = ?17,
            updated_at = ?18
         WHERE id = ?1",
    )?
    .execute(params![
        row.id,
        row.source_key,
        row.url,
        row.file_name,
        row.format,
        row.title,
        row.description,
        row.author,
        row.published,
        row.updated,
        row.keywords,
        row.locale,
        row.category,
        row.extra,
        row.blocks,
        row.body,
        row.text_hash,
        row.updated_at,
    ])?;
    Ok(row.id)
}

pub fn set_imported_at(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE articles SET imported_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    Ok(())
}

/// Rewrites the article's full-text row.
pub fn index(conn: &Connection, id: i64, note_text: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM article_fts WHERE rowid = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "INSERT INTO article_fts (rowid, title, author, keywords, body, note)
         SELECT id, title, coalesce(author, ''), coalesce(keywords, ''), body, ?2
         FROM articles WHERE id = ?1",
    )?
    .execute(params![id, note_text.unwrap_or("")])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<Vec<i64>> {
    let subjects: Vec<i64> = conn
        .prepare_cached(
            "SELECT DISTINCT subject_id FROM article_links
             WHERE article_id = ?1 AND subject_id IS NOT NULL",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached("DELETE FROM article_fts WHERE rowid = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM articles WHERE id = ?1")?
        .execute([id])?;
    Ok(subjects)
}

pub fn set_rating(
    conn: &Connection,
    id: i64,
    rating: Option<i64>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE articles SET rating = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, rating, now])?;
    Ok(())
}

pub fn set_note(conn: &Connection, id: i64, note: Option<&str>, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE articles SET note = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, note, now])?;
    Ok(())
}

/// A row of the article list.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub format: String,
    pub rating: Option<i64>,
    pub imported_at: i64,
    pub confirmed: i64,
    pub suggested: i64,
    pub words: i64,
}

const SUMMARY_COLUMNS: &str = "a.id, a.title, a.author, a.published, a.url, a.file_name,
    a.format, a.rating, a.imported_at,
    (SELECT count(*) FROM article_links l WHERE l.article_id = a.id AND l.status = 'confirmed'),
    (SELECT count(*) FROM article_links l WHERE l.article_id = a.id AND l.status = 'suggested'
        AND l.found = 1),
    length(a.body) - length(replace(a.body, ' ', '')) + 1";

fn map_summary(r: &Row) -> rusqlite::Result<SummaryRow> {
    Ok(SummaryRow {
        id: r.get(0)?,
        title: r.get(1)?,
        author: r.get(2)?,
        published: r.get(3)?,
        url: r.get(4)?,
        file_name: r.get(5)?,
        format: r.get(6)?,
        rating: r.get(7)?,
        imported_at: r.get(8)?,
        confirmed: r.get(9)?,
        suggested: r.get(10)?,
        words: r.get(11)?,
    })
}

/// Every article, newest import first.
pub fn summaries(conn: &Connection) -> rusqlite::Result<Vec<SummaryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a ORDER BY a.imported_at DESC, a.id DESC"
    ))?
    .query_map([], map_summary)?
    .collect()
}

/// Articles whose title, author, keywords, text or note match an FTS5 query, best first.
pub fn search(conn: &Connection, fts_query: &str) -> rusqlite::Result<Vec<SummaryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM article_fts f JOIN articles a ON a.id = f.rowid
         WHERE article_fts MATCH ?1 ORDER BY bm25(article_fts, 8.0, 4.0, 4.0, 1.0, 2.0)"
    ))?
    .query_map([fts_query], map_summary)?
    .collect()
}

pub fn ids(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached("SELECT id FROM articles ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect()
}

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM articles")?
        .query_row([], |r| r.get(0))
}

// --- tags ---

pub fn tags_of(conn: &Connection, id: i64) -> rusqlite::Result<Vec<(String, Option<String>)>> {
    conn.prepare_cached(
        "SELECT t.name, t.color FROM article_tags a JOIN tags t ON t.id = a.tag_id
         WHERE a.article_id = ?1 ORDER BY t.name COLLATE NOCASE",
    )?
    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

pub fn add_tag(conn: &Connection, id: i64, tag_id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?1, ?2)")?
        .execute([id, tag_id])?
        > 0)
}

pub fn remove_tag(conn: &Connection, id: i64, tag_id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM article_tags WHERE article_id = ?1 AND tag_id = ?2")?
        .execute([id, tag_id])?
        > 0)
}

// --- links ---

/// One link from an article to a target.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRow {
    pub id: i64,
    pub article_id: i64,
    pub kind: String,
    pub subject_id: Option<i64>,
    pub target_key: String,
    pub label: String,
    pub status: String,
    pub confidence: f64,
    pub reason: String,
    pub excerpt: String,
    pub excerpt_start: i64,
    pub excerpt_end: i64,
    pub found: bool,
    pub decided_at: Option<i64>,
}

const LINK_COLUMNS: &str = "l.id, l.article_id, l.kind, l.subject_id, l.target_key, l.label,
    l.status, l.confidence, l.reason, l.excerpt, l.excerpt_start, l.excerpt_end, l.found,
    l.decided_at";

fn map_link(r: &Row) -> rusqlite::Result<LinkRow> {
    Ok(LinkRow {
        id: r.get(0)?,
        article_id: r.get(1)?,
        kind: r.get(2)?,
        subject_id: r.get(3)?,
        target_key: r.get(4)?,
        label: r.get(5)?,
        status: r.get(6)?,
        confidence: r.get(7)?,
        reason: r.get(8)?,
        excerpt: r.get(9)?,
        excerpt_start: r.get(10)?,
        excerpt_end: r.get(11)?,
        found: r.get(12)?,
        decided_at: r.get(13)?,
    })
}

/// An article's links, most confident first.
pub fn links(conn: &Connection, article_id: i64) -> rusqlite::Result<Vec<LinkRow>> {
    conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM article_links l WHERE l.article_id = ?1
         ORDER BY l.confidence DESC, l.id"
    ))?
    .query_map([article_id], map_link)?
    .collect()
}

pub fn link(conn: &Connection, id: i64) -> rusqlite::Result<Option<LinkRow>> {
    conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM article_links l WHERE l.id = ?1"
    ))?
    .query_row([id], map_link)
    .optional()
}

/// What detection says about one target; [`upsert_link`] stores it.
pub struct NewLink<'a> {
    pub kind: &'a str,
    pub subject_id: Option<i64>,
    pub target_key: &'a str,
    pub label: &'a str,
    pub confidence: f64,
    pub reason: &'a str,
    pub excerpt: &'a str,
    pub excerpt_start: i64,
    pub excerpt_end: i64,
}

/// Inserts a suggestion or refreshes an existing link's detection facts, keeping its status.
/// Returns the link id.
pub fn upsert_link(conn: &Connection, article_id: i64, l: &NewLink) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO article_links (article_id, kind, subject_id, target_key, label, confidence,
            reason, excerpt, excerpt_start, excerpt_end, found)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)
         ON CONFLICT (article_id, kind, target_key) DO UPDATE SET
            subject_id = coalesce(excluded.subject_id, subject_id), label = excluded.label,
            confidence = excluded.confidence, reason = excluded.reason, excerpt = excluded.excerpt,
            excerpt_start = excluded.excerpt_start, excerpt_end = excluded.excerpt_end, found = 1",
    )?
    .execute(params![
        article_id,
        l.kind,
        l.subject_id,
        l.target_key,
        l.label,
        l.confidence,
        l.reason,
        l.excerpt,
        l.excerpt_start,
        l.excerpt_end,
    ])?;
    conn.prepare_cached(
        "SELECT id FROM article_links WHERE article_id = ?1 AND kind = ?2 AND target_key = ?3",
    )?
    .query_row(params![article_id, l.kind, l.target_key], |r| r.get(0))
}

/// Before a detection: every link unfound, every mention gone.
pub fn reset_found(conn: &Connection, article_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM article_mentions WHERE link_id IN
            (SELECT id FROM article_links WHERE article_id = ?1)",
    )?
    .execute([article_id])?;
    conn.prepare_cached("UPDATE article_links SET found = 0 WHERE article_id = ?1")?
        .execute([article_id])?;
    Ok(())
}

/// After a detection: suggestions it no longer makes go; decided links stay. Returns the
/// subjects of the links that went.
pub fn drop_unfound_suggestions(conn: &Connection, article_id: i64) -> rusqlite::Result<Vec<i64>> {
    let subjects: Vec<i64> = conn
        .prepare_cached(
            "SELECT subject_id FROM article_links WHERE article_id = ?1 AND found = 0
               AND status = 'suggested' AND subject_id IS NOT NULL",
        )?
        .query_map([article_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached(
        "DELETE FROM article_links WHERE article_id = ?1 AND found = 0 AND status = 'suggested'",
    )?
    .execute([article_id])?;
    Ok(subjects)
}

pub fn add_mention(
    conn: &Connection,
    link_id: i64,
    start: i64,
    end: i64,
    confidence: f64,
    reason: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO article_mentions (link_id, start, end, confidence, reason)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![link_id, start, end, confidence, reason])?;
    Ok(())
}

/// (link id, start, end) of every mention in an article, in text order.
pub fn mentions(conn: &Connection, article_id: i64) -> rusqlite::Result<Vec<(i64, i64, i64)>> {
    conn.prepare_cached(
        "SELECT m.link_id, m.start, m.end FROM article_mentions m
         JOIN article_links l ON l.id = m.link_id
         WHERE l.article_id = ?1 ORDER BY m.start, m.end DESC",
    )?
    .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

pub fn set_status(
    conn: &Connection,
    link_id: i64,
    status: &str,
    now: Option<i64>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE article_links SET status = ?2, decided_at = ?3 WHERE id = ?1")?
        .execute(params![link_id, status, now])?;
    Ok(())
}

/// A confirmed link as shown on the page of what it links to.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionedRow {
    pub article_id: i64,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    pub excerpt: String,
    pub excerpt_start: i64,
    pub excerpt_end: i64,
}

fn map_mentioned(r: &Row) -> rusqlite::Result<MentionedRow> {
    Ok(MentionedRow {
        article_id: r.get(0)?,
        title: r.get(1)?,
        author: r.get(2)?,
        published: r.get(3)?,
        excerpt: r.get(4)?,
        excerpt_start: r.get(5)?,
        excerpt_end: r.get(6)?,
    })
}

/// Confirmed links to a subject (album or track) or to a person or label by folded name.
pub fn mentioned_in(
    conn: &Connection,
    subject_id: Option<i64>,
    kind: &str,
    target_key: &str,
) -> rusqlite::Result<Vec<MentionedRow>> {
    conn.prepare_cached(
        "SELECT a.id, a.title, a.author, a.published, l.excerpt, l.excerpt_start, l.excerpt_end
         FROM article_links l JOIN articles a ON a.id = l.article_id
         WHERE l.status = 'confirmed'
           AND ((?1 IS NOT NULL AND l.subject_id = ?1) OR (l.kind = ?2 AND l.target_key = ?3))
         ORDER BY coalesce(a.published, '') DESC, a.id DESC",
    )?
    .query_map(params![subject_id, kind, target_key], map_mentioned)?
    .collect()
}

/// Every link, for backups.
pub fn all_links(conn: &Connection) -> rusqlite::Result<Vec<LinkRow>> {
    conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM article_links l ORDER BY l.id"
    ))?
    .query_map([], map_link)?
    .collect()
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<ArticleRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM articles ORDER BY id"))?
        .query_map([], map_article)?
        .collect()
}

/// Sets a restored link's decision (status and when), creating the link when missing.
pub fn restore_link(
    conn: &Connection,
    article_id: i64,
    l: &NewLink,
    status: &str,
    decided_at: Option<i64>,
) -> rusqlite::Result<i64> {
    let id = upsert_link(conn, article_id, l)?;
    conn.prepare_cached(
        "UPDATE article_links SET status = ?2, decided_at = ?3,
            found = CASE WHEN excerpt = '' THEN 0 ELSE found END WHERE id = ?1",
    )?
    .execute(params![id, status, decided_at])?;
    Ok(id)
}

// --- the collection's names, for detection ---

/// Parses each distinct JSON array of names once: credit arrays repeat track after track.
#[derive(Default)]
struct Credits {
    ids: HashMap<String, u32, FxBuild>,
    lists: Vec<Vec<String>>,
}

impl Credits {
    fn id(&mut self, json: &str) -> u32 {
        if let Some(&id) = self.ids.get(json) {
            return id;
        }
        let id = self.lists.len() as u32;
        self.lists
            .push(serde_json::from_str(json).unwrap_or_default());
        self.ids.insert(json.to_string(), id);
        id
    }
}

/// Reads the database file through a memory map while it lives: a read of every track row then
/// neither copies each page nor fills the page cache with pages read once. Puts the connection's
/// setting back when dropped.
struct MemoryMapped<'c> {
    conn: &'c Connection,
    before: i64,
}

impl<'c> MemoryMapped<'c> {
    /// More than any catalog needs; SQLite caps it at its own maximum (2 GB) and reads past the
    /// map as usual.
    const SIZE: i64 = 1 << 31;

    /// `None` when the connection cannot say or change its setting: the read then goes as usual
    /// (the setting makes reads faster or slower, never different).
    fn new(conn: &'c Connection) -> Option<Self> {
        let before = conn
            .pragma_query_value(None, "mmap_size", |r| r.get(0))
            .ok()?;
        conn.pragma_update(None, "mmap_size", Self::SIZE).ok()?;
        Some(MemoryMapped { conn, before })
    }
}

impl Drop for MemoryMapped<'_> {
    fn drop(&mut self) {
        // Only speed depends on it: nothing to report.
        let _ = self.conn.pragma_update(None, "mmap_size", self.before);
    }
}

/// Every album that has tracks, with its title, work, years, credits (album artist, composer,
/// and the conductors its titled tracks credit) and label; and every track on an album whose
/// title `keep` accepts, with its credits (artists, then composers); the other tracks' credits
/// stay on their album as its `track_people`. One pass over the tracks, in the order of the table.
pub fn catalog_names(
    conn: &Connection,
    keep: &dyn Fn(&str) -> bool,
) -> rusqlite::Result<(Vec<AlbumInput>, Vec<TrackInput>)> {
    let _mapped = MemoryMapped::new(conn);
    let mut stmt = conn.prepare_cached(
        "SELECT album_id, title, id, artists, composers, conductors FROM tracks
         WHERE album_id IS NOT NULL",
    )?;
    // Albums that have a track, and the conductor arrays of each album's titled tracks.
    let mut albums_with_tracks: HashSet<i64, FxBuild> = HashSet::default();
    let mut conductors: HashMap<i64, Vec<u32>, FxBuild> = HashMap::default();
    // The artist and composer arrays of each album's tracks that `keep` turned away.
    let mut other_credits: HashMap<i64, Vec<u32>, FxBuild> = HashMap::default();
    let mut credits = Credits::default();
    let mut last_album = None;
    let mut last_conductors = None;
    let mut tracks = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let album_id: i64 = r.get(0)?;
        if last_album != Some(album_id) {
            last_album = Some(album_id);
            last_conductors = None;
            albums_with_tracks.insert(album_id);
        }
        let Some(title) = r.get_ref(1)?.as_str_or_null()?.filter(|t| !t.is_empty()) else {
            continue;
        };
        if let Some(json) = r.get_ref(5)?.as_str_or_null()? {
            let id = credits.id(json);
            if last_conductors != Some(id) {
                last_conductors = Some(id);
                let ids = conductors.entry(album_id).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        if !keep(title) {
            // Its people may still be named: the album keeps their credits.
            for col in [3, 4] {
                if let Some(json) = r.get_ref(col)?.as_str_or_null()? {
                    let id = credits.id(json);
                    let ids = other_credits.entry(album_id).or_default();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            continue;
        }
        let title = title.to_string();
        let mut people = Vec::new();
        for col in [3, 4] {
            if let Some(json) = r.get_ref(col)?.as_str_or_null()? {
                let id = credits.id(json);
                people.extend_from_slice(&credits.lists[id as usize]);
            }
        }
        tracks.push(TrackInput {
            id: r.get(2)?,
            album_id,
            title,
            people,
        });
    }
    drop(rows);

    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.title, w.title, a.year, a.original_year, w.year, a.album_artist,
                a.composer, a.label
         FROM albums a LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)",
    )?;
    let mut albums = Vec::with_capacity(albums_with_tracks.len());
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !albums_with_tracks.contains(&id) {
            continue;
        }
        let years: Vec<i32> = [r.get::<_, Option<i32>>(3)?, r.get(4)?, r.get(5)?]
            .into_iter()
            .flatten()
            .collect();
        let mut people: Vec<String> = [r.get::<_, Option<String>>(6)?, r.get(7)?]
            .into_iter()
            .flatten()
            .collect();
        // Each conductor once, in the order the album's tracks credit them.
        let mut conducting: Vec<&String> = Vec::new();
        for &list in conductors.get(&id).map_or(&[][..], Vec::as_slice) {
            for c in &credits.lists[list as usize] {
                if !conducting.contains(&c) {
                    conducting.push(c);
                }
            }
        }
        people.extend(conducting.into_iter().cloned());
        let mut track_people: Vec<String> = Vec::new();
        for &list in other_credits.get(&id).map_or(&[][..], Vec::as_slice) {
            for c in &credits.lists[list as usize] {
                if !people.contains(c) && !track_people.contains(c) {
                    track_people.push(c.clone());
                }
            }
        }
        albums.push(AlbumInput {
            id,
            title: r.get(1)?,
            work: r.get(2)?,
            years,
            people,
            track_people,
            label: r.get(8)?,
        });
    }
    Ok((albums, tracks))
}

/// Album id → its subject id, for albums that have one.
pub fn album_subject(conn: &Connection, album_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM subjects WHERE kind = 'album' AND album_id = ?1")?
        .query_row([album_id], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn album(conn: &Connection, id: i64, title: &str, work: Option<&str>, label: Option<&str>) {
        if let Some(work) = work {
            conn.execute(
                "INSERT INTO works (id, title, sort_key, year) VALUES (?1, ?2, ?2, 2001)",
                params![id, work],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO albums (id, album_key, title, album_artist, composer, year, label,
                                 work_id, added_at)
             VALUES (?1, ?2, ?2, 'Artist ' || ?1, 'Composer ' || ?1, 1999, ?3, ?4, 0)",
            params![id, title, label, work.map(|_| id)],
        )
        .unwrap();
    }

    fn track(conn: &Connection, album: Option<i64>, title: Option<&str>, conductors: Option<&str>) {
        conn.execute(
            "INSERT OR IGNORE INTO roots (id, path, added_at) VALUES (1, x'2f', 0)",
            [],
        )
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
            .unwrap();
        conn.execute(
            "INSERT INTO tracks (content_id, root_id, path, file_size, file_mtime, format,
                                 added_at, updated_at, album_id, title, artists, composers,
                                 conductors)
             VALUES (?1, 1, ?1, 1, 1, 'flac', 0, 0, ?2, ?3, '[\"A\",\"B\"]', '[\"C\"]', ?4)",
            params![format!("t{n}"), album, title, conductors],
        )
        .unwrap();
    }

    #[test]
    fn the_catalog_names_are_the_albums_with_tracks_and_the_kept_tracks() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open_writer(&dir.path().join("library.sqlite")).unwrap();
        album(&conn, 1, "First Album", Some("First"), Some("Label"));
        album(&conn, 2, "Empty Album", None, None);
        album(&conn, 3, "Untitled Tracks", None, None);
        track(&conn, Some(1), Some("Keep Me"), Some("[\"Y\",\"X\"]"));
        track(&conn, Some(1), Some("Drop Me"), Some("[\"X\",\"Z\"]"));
        track(&conn, Some(1), None, Some("[\"Nobody\"]"));
        track(&conn, Some(1), Some(""), Some("[\"Nobody\"]"));
        track(&conn, Some(1), Some("Keep Me Too"), Some("[\"Y\",\"X\"]"));
        track(&conn, Some(3), None, None);
        track(&conn, None, Some("Keep Me, Alone"), None);
        conn.execute(
            "UPDATE tracks SET artists = '[\"D\",\"Artist 1\"]' WHERE title = 'Drop Me'",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "mmap_size", 4096).unwrap();

        let (albums, tracks) = catalog_names(&conn, &|t| t.starts_with("Keep")).unwrap();

        let ids: Vec<i64> = albums.iter().map(|a| a.id).collect();
        assert_eq!(ids, [1, 3], "albums with a track, titled or not");
        let first = &albums[0];
        assert_eq!(first.work.as_deref(), Some("First"));
        assert_eq!(first.years, [1999, 2001]);
        assert_eq!(first.label.as_deref(), Some("Label"));
        assert_eq!(
            first.people,
            ["Artist 1", "Composer 1", "Y", "X", "Z"],
            "each conductor of a titled track once, in track order"
        );
        assert_eq!(albums[1].people, ["Artist 3", "Composer 3"]);
        assert_eq!(
            first.track_people,
            ["D", "C"],
            "a turned-away track's people stay on its album, each once, not its own credits"
        );
        assert!(
            albums[1].track_people.is_empty(),
            "untitled tracks name no one"
        );
        let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Keep Me", "Keep Me Too"]);
        assert!(tracks
            .iter()
            .all(|t| t.album_id == 1 && t.people == ["A", "B", "C"]));
        let mmap: i64 = conn
            .pragma_query_value(None, "mmap_size", |r| r.get(0))
            .unwrap();
        assert_eq!(mmap, 4096, "the connection's setting is put back");
    }
}
