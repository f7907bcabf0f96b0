//! Aggregates over the catalog for `cuebook stats` and the statistics view.

use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    pub tracks: i64,
    pub missing: i64,
    pub albums: i64,
    pub works: i64,
    pub composers: i64,
    pub duration_ms: i64,
    pub bytes: i64,
    pub covers: i64,
    pub problems: i64,
    pub roots: i64,
    pub roots_offline: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    pub key: String,
    pub tracks: i64,
    pub albums: i64,
}

pub fn totals(conn: &Connection) -> rusqlite::Result<Totals> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM tracks),
                (SELECT count(*) FROM tracks WHERE missing_since IS NOT NULL),
                (SELECT count(*) FROM albums),
                (SELECT count(*) FROM works),
                (SELECT count(DISTINCT j.value) FROM tracks t, json_each(t.composers) j),
                (SELECT coalesce(sum(duration_ms), 0) FROM tracks),
                (SELECT coalesce(sum(file_size), 0) FROM tracks),
                (SELECT count(*) FROM covers),
                (SELECT count(*) FROM problems),
                (SELECT count(*) FROM roots),
                (SELECT count(*) FROM roots WHERE offline_since IS NOT NULL)",
        [],
        |r| {
            Ok(Totals {
                tracks: r.get(0)?,
                missing: r.get(1)?,
                albums: r.get(2)?,
                works: r.get(3)?,
                composers: r.get(4)?,
                duration_ms: r.get(5)?,
                bytes: r.get(6)?,
                covers: r.get(7)?,
                problems: r.get(8)?,
                roots: r.get(9)?,
                roots_offline: r.get(10)?,
            })
        },
    )
}

/// Groupings `stats` knows; each yields (key, tracks, albums) sorted by tracks descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Format,
    Decade,
    Composer,
    Label,
}

pub fn grouped(conn: &Connection, by: Grouping, limit: usize) -> rusqlite::Result<Vec<Count>> {
    let sql = match by {
        Grouping::Format => {
            "SELECT format, count(*), count(DISTINCT album_id) FROM tracks GROUP BY format ORDER BY 2 DESC, 1 LIMIT ?1"
        }
        Grouping::Decade => {
            "SELECT coalesce((year / 10 * 10) || 's', 'unknown'), count(*), count(DISTINCT album_id) FROM tracks
             GROUP BY 1 ORDER BY 1 LIMIT ?1"
        }
        Grouping::Composer => {
            "SELECT j.value, count(*), count(DISTINCT t.album_id) FROM tracks t, json_each(t.composers) j
             GROUP BY j.value ORDER BY 2 DESC, 1 LIMIT ?1"
        }
        Grouping::Label => {
            "SELECT label, count(*), count(DISTINCT album_id) FROM tracks WHERE label IS NOT NULL
             GROUP BY label ORDER BY 2 DESC, 1 LIMIT ?1"
        }
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(Count {
            key: r.get(0)?,
            tracks: r.get(1)?,
            albums: r.get(2)?,
        })
    })?;
    rows.collect()
}
