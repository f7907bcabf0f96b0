//! SQL for the search language: a parsed [`Query`] becomes a WHERE clause with bound parameters
//! over `tracks t`, and a page of results is read with whichever plan visits fewer rows.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use crate::db::albums::{self, AlbumRow};
use crate::db::tracks::{self, TrackRow};
use crate::search::query::{fts_expression, Query, Term};
use crate::search::{Arrangement, TrackSort, TrackSortKey};

/// Builds `(where_sql, params)` over `tracks t`; the SQL is "1" for an empty query.
pub fn where_clause(q: &Query) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut positive_fts: Vec<String> = Vec::new();
    for clause in &q.clauses {
        let (sql, values): (String, Vec<Value>) = match &clause.term {
            Term::Text {
                field,
                text,
                prefix,
            } => {
                let Some(expr) = fts_expression(*field, text, *prefix) else {
                    continue;
                };
                if !clause.negated {
                    positive_fts.push(expr);
                    continue;
                }
                (WORDS.into(), vec![Value::Text(expr)])
            }
            Term::Year { from, to } => (
                // A track without a year is in no range, and so in every negated one.
                if clause.negated {
                    "coalesce(t.year, 0) BETWEEN ? AND ?"
                } else {
                    "t.year BETWEEN ? AND ?"
                }
                .into(),
                vec![
                    Value::Integer(from.unwrap_or(1).into()),
                    Value::Integer(to.unwrap_or(9999).into()),
                ],
            ),
            Term::Format(f) => (
                "(t.format = ? OR coalesce(t.codec, '') = ?)".into(),
                vec![Value::Text(f.clone()), Value::Text(f.clone())],
            ),
            Term::Kind(k) => (
                "t.album_id IN (SELECT a.id FROM albums a
                                JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
                                WHERE w.kind = ?)"
                    .into(),
                vec![Value::Text(k.clone())],
            ),
            Term::Tag(name) => (TAGGED.into(), vec![Value::Text(name.clone()); 3]),
            Term::Rating(Some((from, to))) => (
                RATED.into(),
                vec![
                    Value::Integer((*from).into()),
                    Value::Integer((*to).into()),
                    Value::Integer((*from).into()),
                    Value::Integer((*to).into()),
                ],
            ),
            Term::Rating(None) => (UNRATED.into(), vec![]),
            Term::Note { text, prefix } => {
                let Some(expr) = fts_expression(None, text, *prefix) else {
                    continue;
                };
                (NOTED.into(), vec![Value::Text(expr); 3])
            }
            Term::Cue(cue) => (
                "t.content_id IN (SELECT content_id FROM subjects
                                  WHERE kind = 'track' AND json_extract(fields, '$.cue') = ? COLLATE NOCASE)"
                    .into(),
                vec![Value::Text(cue.clone())],
            ),
            Term::Missing(true) => ("t.missing_since IS NOT NULL".into(), vec![]),
            Term::Missing(false) => ("t.missing_since IS NULL".into(), vec![]),
        };
        parts.push(if clause.negated {
            format!("NOT ({sql})")
        } else {
            sql
        });
        params.extend(values);
    }
    if !positive_fts.is_empty() {
        parts.insert(0, WORDS.into());
        params.insert(0, Value::Text(positive_fts.join(" AND ")));
    }
    if parts.is_empty() {
        ("1".into(), params)
    } else {
        (parts.join(" AND "), params)
    }
}

/// A tag applies to a track when the track, its album or its work carries it (tag names compare
/// without case through the column's collation).
const TAGGED: &str = "(t.content_id IN (SELECT s.content_id FROM tags g JOIN subject_tags st ON st.tag_id = g.id
                         JOIN subjects s ON s.id = st.subject_id WHERE g.name = ? AND s.kind = 'track')
     OR t.album_id IN (SELECT s.album_id FROM tags g JOIN subject_tags st ON st.tag_id = g.id
                         JOIN subjects s ON s.id = st.subject_id WHERE g.name = ? AND s.kind = 'album')
     OR t.album_id IN (SELECT a.id FROM tags g JOIN subject_tags st ON st.tag_id = g.id
                         JOIN subjects s ON s.id = st.subject_id AND s.kind = 'work'
                         JOIN works w ON w.sort_key = s.work_key
                         JOIN albums a ON w.id = coalesce(a.user_work_id, a.work_id)
                       WHERE g.name = ?))";

/// A track's rating is its own, else its album's. Set-based, so a broad query does not probe
/// the subjects once per track.
const RATED: &str = "(t.content_id IN (SELECT content_id FROM subjects WHERE kind = 'track' AND rating BETWEEN ? AND ?)
     OR (t.album_id IN (SELECT album_id FROM subjects WHERE kind = 'album' AND rating BETWEEN ? AND ?)
         AND t.content_id NOT IN (SELECT content_id FROM subjects WHERE kind = 'track' AND rating IS NOT NULL)))";

const UNRATED: &str = "(t.content_id NOT IN (SELECT content_id FROM subjects WHERE kind = 'track' AND rating IS NOT NULL)
     AND coalesce(t.album_id, 0) NOT IN (SELECT album_id FROM subjects
                                         WHERE kind = 'album' AND rating IS NOT NULL AND album_id IS NOT NULL))";

/// Words in the notes of the track, its album or its work.
const NOTED: &str = "(t.content_id IN (SELECT s.content_id FROM subjects s WHERE s.kind = 'track'
                        AND s.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?))
     OR t.album_id IN (SELECT s.album_id FROM subjects s WHERE s.kind = 'album'
                        AND s.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?))
     OR t.album_id IN (SELECT a.id FROM subjects s JOIN works w ON w.sort_key = s.work_key
                        JOIN albums a ON w.id = coalesce(a.user_work_id, a.work_id)
                       WHERE s.kind = 'work' AND s.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?)))";

/// Words are matched by collecting the search index's matches once.
const WORDS: &str = "t.id IN (SELECT rowid FROM track_fts WHERE track_fts MATCH ?)";

/// The order of track listings: album title, album, disc, track. It is exactly the key of the
/// `tracks_listing` index (rowid last), so a listing can be read in order from the index.
const LISTING_ORDER: &str = "t.album_sort COLLATE NOCASE, t.album_id, coalesce(t.disc_no, 1), \
    t.track_no IS NULL, t.track_no, t.id";

/// Tracks matching `q`, in listing order. `matches` is what [`count_tracks`] returned for `q`;
/// it chooses between two plans. Walking the listing index visits rows in order and stops after
/// the page, about `(offset + limit) * tracks / matches` rows, each checked against the query;
/// fetching and sorting costs about one step per match. Words are checked against the search
/// index's matches collected once: asking it about one row at a time costs far more, worst of
/// all for a prefix ("the*"), which it would expand again for every row.
///
/// Any other `sort` than album order sorts the matches, ties broken by listing order.
pub fn tracks(
    conn: &Connection,
    q: &Query,
    matches: i64,
    sort: TrackSort,
    limit: usize,
    offset: usize,
) -> rusqlite::Result<Vec<TrackRow>> {
    let listing = sort.key == TrackSortKey::Album && !sort.descending;
    // Row ids are dense enough for an estimate, and max(id) costs one index probe.
    let rows: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM tracks", [], |r| r.get(0))?;
    let walk = listing
        && ((offset + limit) as f64) * (rows as f64) / (matches.max(1) as f64) < matches as f64;
    let (cond, mut params) = where_clause(q);
    let from = if walk {
        tracks::ROW_FROM.replacen("tracks t", "tracks t INDEXED BY tracks_listing", 1)
    } else {
        tracks::ROW_FROM.to_string()
    };
    let order = sort_order(sort);
    let sql = format!(
        "SELECT {} FROM {from} WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
        tracks::ROW_COLUMNS,
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), tracks::map_row)?;
    rows.collect()
}

/// The ORDER BY of a track listing: unknown values last either way, then listing order.
fn sort_order(sort: TrackSort) -> String {
    let dir = if sort.descending { "DESC" } else { "ASC" };
    let column = match sort.key {
        TrackSortKey::Album if !sort.descending => return LISTING_ORDER.to_string(),
        TrackSortKey::Album => {
            return format!("t.album_sort COLLATE NOCASE DESC, t.album_id DESC, {LISTING_ORDER}")
        }
        TrackSortKey::Title => "t.title COLLATE NOCASE",
        TrackSortKey::Composer => "json_extract(t.composers, '$[0]') COLLATE NOCASE",
        TrackSortKey::Year => "t.year",
        TrackSortKey::Duration => "t.duration_ms",
        TrackSortKey::Format => "t.format",
        TrackSortKey::Added => "t.added_at",
        TrackSortKey::Cue => "ts.cue_sort",
        TrackSortKey::Rating => "ts.rating",
    };
    let bare = column.trim_end_matches(" COLLATE NOCASE");
    format!("{bare} IS NULL, {column} {dir}, {LISTING_ORDER}")
}

/// How many tracks match `q`, reading no more than the query needs: the row count for an empty
/// query and the search index alone for words only.
pub fn count_tracks(conn: &Connection, q: &Query) -> rusqlite::Result<i64> {
    let (cond, params) = where_clause(q);
    let sql = if cond == "1" {
        "SELECT count(*) FROM tracks".to_string()
    } else if q
        .clauses
        .iter()
        .all(|c| !c.negated && matches!(c.term, Term::Text { .. }))
    {
        // Every track has exactly one row in the index, so its matches are the answer.
        "SELECT count(*) FROM track_fts WHERE track_fts MATCH ?".to_string()
    } else {
        format!("SELECT count(*) FROM tracks t WHERE {cond}")
    };
    conn.prepare_cached(&sql)?
        .query_row(params_from_iter(params), |r| r.get(0))
}

/// Albums with at least one track matching `q`, by title.
pub fn albums(
    conn: &Connection,
    q: &Query,
    limit: usize,
    offset: usize,
) -> rusqlite::Result<Vec<AlbumRow>> {
    let (cond, mut params) = where_clause(q);
    let sql = format!(
        "SELECT {} FROM {} WHERE a.id IN (SELECT t.album_id FROM tracks t WHERE {cond})
         ORDER BY a.title COLLATE NOCASE, a.id LIMIT ? OFFSET ?",
        albums::ROW_COLUMNS,
        albums::ROW_FROM,
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), albums::map_row)?;
    rows.collect()
}

/// How the album grid is grouped and ordered (see [`crate::search::Arrangement`]): the heading
/// of an album, and the order that keeps each heading's albums together.
fn arrangement_sql(arrange: Arrangement) -> (&'static str, &'static str) {
    match arrange {
        Arrangement::Title => (
            "CASE WHEN upper(substr(a.title, 1, 1)) BETWEEN 'A' AND 'Z' THEN upper(substr(a.title, 1, 1))
                  WHEN unicode(a.title) < 128 THEN '#' ELSE substr(a.title, 1, 1) END",
            "a.title COLLATE NOCASE, a.id",
        ),
        Arrangement::Work => (
            "w.title",
            "w.title IS NULL, w.title COLLATE NOCASE, w.id, a.year, a.title COLLATE NOCASE, a.id",
        ),
        Arrangement::Composer => (
            "a.composer",
            "a.composer IS NULL, a.composer COLLATE NOCASE, a.year, a.title COLLATE NOCASE, a.id",
        ),
        Arrangement::Label => (
            "a.label",
            "a.label IS NULL, a.label COLLATE NOCASE, a.year, a.title COLLATE NOCASE, a.id",
        ),
        Arrangement::Year => (
            "a.year",
            "a.year IS NULL, a.year DESC, a.title COLLATE NOCASE, a.id",
        ),
        Arrangement::Added => (
            "strftime('%Y-%m', a.added_at, 'unixepoch', 'localtime')",
            "a.added_at DESC, a.title COLLATE NOCASE, a.id",
        ),
    }
}

/// The filter of an album query over `albums a LEFT JOIN works w`.
fn album_filter(q: &Query, kind: Option<&str>) -> (String, Vec<Value>) {
    let (cond, mut params) = where_clause(q);
    let mut parts = Vec::new();
    if cond != "1" {
        parts.push(format!(
            "a.id IN (SELECT t.album_id FROM tracks t WHERE {cond})"
        ));
    }
    if let Some(kind) = kind {
        parts.push("w.kind = ?".to_string());
        params.push(Value::Text(kind.to_string()));
    }
    if parts.is_empty() {
        ("1".into(), params)
    } else {
        (parts.join(" AND "), params)
    }
}

/// The headings of albums matching `q` (and of `kind`) in `arrange` order: each heading's value
/// (`None` for albums without one) and how many consecutive albums it holds.
pub fn album_groups(
    conn: &Connection,
    q: &Query,
    kind: Option<&str>,
    arrange: Arrangement,
) -> rusqlite::Result<Vec<(Option<String>, i64)>> {
    let (group, order) = arrangement_sql(arrange);
    let (cond, params) = album_filter(q, kind);
    let sql = format!(
        "SELECT {group} FROM {} WHERE {cond} ORDER BY {order}",
        albums::ROW_FROM
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut groups: Vec<(Option<String>, i64)> = Vec::new();
    while let Some(r) = rows.next()? {
        let value: Option<String> = match r.get_ref(0)? {
            rusqlite::types::ValueRef::Null => None,
            rusqlite::types::ValueRef::Integer(i) => Some(i.to_string()),
            v => Some(String::from_utf8_lossy(v.as_bytes()?).into_owned()),
        };
        match groups.last_mut() {
            Some((last, n)) if *last == value => *n += 1,
            _ => groups.push((value, 1)),
        }
    }
    Ok(groups)
}

/// Albums `offset..offset + limit` of [`album_groups`]' order.
pub fn album_range(
    conn: &Connection,
    q: &Query,
    kind: Option<&str>,
    arrange: Arrangement,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<AlbumRow>> {
    let (_, order) = arrangement_sql(arrange);
    let (cond, mut params) = album_filter(q, kind);
    // The page's ids first, then their rows: SQLite computes the select list (three counting
    // subqueries per album) for every row an OFFSET skips, which made deep pages slow.
    let sql = format!(
        "SELECT a.id FROM {} WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
        albums::ROW_FROM,
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let ids: Vec<i64> = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(&ids).expect("ids serialize");
    let sql = format!(
        "SELECT {} FROM {} WHERE a.id IN (SELECT value FROM json_each(?1))",
        albums::ROW_COLUMNS,
        albums::ROW_FROM,
    );
    let mut rows: Vec<AlbumRow> = conn
        .prepare_cached(&sql)?
        .query_map([list], albums::map_row)?
        .collect::<rusqlite::Result<_>>()?;
    let position: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|a| position[&a.id]);
    Ok(rows)
}
