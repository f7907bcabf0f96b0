//! SQL for the search language: a parsed [`Query`] becomes a WHERE clause with bound parameters
//! over `tracks t`, `albums a` and `works w` (see [`crate::db::tracks::ROW_FROM`]).

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use crate::db::albums::{self, AlbumRow};
use crate::db::tracks::{self, TrackRow};
use crate::search::query::{fts_expression, Query, Term};

/// Builds `(where_sql, params)`; the SQL is "1" for an empty query.
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
                (
                    "t.id IN (SELECT rowid FROM track_fts WHERE track_fts MATCH ?)".into(),
                    vec![Value::Text(expr)],
                )
            }
            Term::Year { from, to } => (
                "coalesce(t.year, 0) BETWEEN ? AND ?".into(),
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
                "coalesce(w.kind, '') = ?".into(),
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
        parts.insert(
            0,
            "t.id IN (SELECT rowid FROM track_fts WHERE track_fts MATCH ?)".into(),
        );
        params.insert(0, Value::Text(positive_fts.join(" AND ")));
    }
    if parts.is_empty() {
        ("1".into(), params)
    } else {
        (parts.join(" AND "), params)
    }
}

/// Tracks matching `q`, in album, disc and track order.
pub fn tracks(
    conn: &Connection,
    q: &Query,
    limit: usize,
    offset: usize,
) -> rusqlite::Result<Vec<TrackRow>> {
    let (cond, mut params) = where_clause(q);
    let sql = format!(
        "SELECT {} FROM {} WHERE {cond}
         ORDER BY coalesce(a.title, t.album_title) COLLATE NOCASE, t.album_id, coalesce(t.disc_no, 1), t.track_no, t.path
         LIMIT ? OFFSET ?",
        tracks::ROW_COLUMNS,
        tracks::ROW_FROM
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), tracks::map_row)?;
    rows.collect()
}

pub fn count_tracks(conn: &Connection, q: &Query) -> rusqlite::Result<i64> {
    let (cond, params) = where_clause(q);
    let sql = format!("SELECT count(*) FROM {} WHERE {cond}", tracks::ROW_FROM);
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
        "SELECT {} FROM {} WHERE a.id IN (SELECT t.album_id FROM {} WHERE {cond})
         ORDER BY a.title COLLATE NOCASE, a.id LIMIT ? OFFSET ?",
        albums::ROW_COLUMNS,
        albums::ROW_FROM,
        tracks::ROW_FROM
    );
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), albums::map_row)?;
    rows.collect()
}
