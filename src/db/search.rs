//! SQL for the search language: a parsed [`Query`] becomes a WHERE clause with bound parameters
//! over `tracks t`, and a page of results is read with whichever plan visits fewer rows.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use crate::db::albums::{self, AlbumRow};
use crate::db::tracks::{self, TrackRow};
use crate::search::query::{fts_expression, Query, Term};

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
pub fn tracks(
    conn: &Connection,
    q: &Query,
    matches: i64,
    limit: usize,
    offset: usize,
) -> rusqlite::Result<Vec<TrackRow>> {
    // Row ids are dense enough for an estimate, and max(id) costs one index probe.
    let rows: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM tracks", [], |r| r.get(0))?;
    let walk = ((offset + limit) as f64) * (rows as f64) / (matches.max(1) as f64) < matches as f64;
    let (cond, mut params) = where_clause(q);
    let from = if walk {
        tracks::ROW_FROM.replacen("tracks t", "tracks t INDEXED BY tracks_listing", 1)
    } else {
        tracks::ROW_FROM.to_string()
    };
    let sql = format!(
        "SELECT {} FROM {from} WHERE {cond} ORDER BY {LISTING_ORDER} LIMIT ? OFFSET ?",
        tracks::ROW_COLUMNS,
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), tracks::map_row)?;
    rows.collect()
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
