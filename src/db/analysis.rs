//! `track_analysis`: the preview analysis of each distinct audio payload, keyed by content identity.
//!
//! A row is either an analysis (every measurement set, `unavailable` NULL) or the reason the audio
//! cannot be analyzed (`unavailable` set, measurements NULL). Rows carry the analysis version that
//! wrote them; readers ask for one version, so rows of another version read as absent and are
//! redone. The waveform is stored as little-endian `i16` pairs scaled by 32767.

use rusqlite::{params, Connection, OptionalExtension};

use crate::preview::analysis::Analysis;

/// A track whose audio has no analysis of the current version yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTrack {
    pub content_id: String,
    /// Exact OS bytes of the path.
    pub path: Vec<u8>,
    /// `tracks.format`.
    pub format: String,
}

/// What a preview of one track needs to find and decode its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackAudio {
    pub content_id: String,
    pub path: Vec<u8>,
    pub format: String,
    pub missing: bool,
}

/// Present tracks whose content has no row of `version`, one track per content identity (the
/// oldest), oldest first.
pub fn pending(conn: &Connection, version: i64) -> rusqlite::Result<Vec<PendingTrack>> {
    let mut stmt = conn.prepare(
        "SELECT t.content_id, t.path, t.format FROM tracks t
         WHERE t.id IN (SELECT min(id) FROM tracks WHERE missing_since IS NULL GROUP BY content_id)
           AND NOT EXISTS (SELECT 1 FROM track_analysis a
                           WHERE a.content_id = t.content_id AND a.version = ?1)
         ORDER BY t.id",
    )?;
    let rows = stmt.query_map([version], |r| {
        Ok(PendingTrack {
            content_id: r.get(0)?,
            path: r.get(1)?,
            format: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The file of track `id`, or `None` when there is no such track.
pub fn track_audio(conn: &Connection, id: i64) -> rusqlite::Result<Option<TrackAudio>> {
    conn.prepare_cached(
        "SELECT content_id, path, format, missing_since IS NOT NULL FROM tracks WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(TrackAudio {
            content_id: r.get(0)?,
            path: r.get(1)?,
            format: r.get(2)?,
            missing: r.get(3)?,
        })
    })
    .optional()
}

/// The stored analysis of `content_id` written by `version`: `Some(Ok)` when analyzed,
/// `Some(Err(reason))` when recorded as unavailable, `None` when there is no such row.
pub fn load(
    conn: &Connection,
    content_id: &str,
    version: i64,
) -> rusqlite::Result<Option<Result<Analysis, String>>> {
    conn.prepare_cached(
        "SELECT unavailable, duration_ms, integrated_lufs, true_peak_dbtp, smart_start_ms, waveform
         FROM track_analysis WHERE content_id = ?1 AND version = ?2",
    )?
    .query_row(params![content_id, version], |r| {
        if let Some(reason) = r.get::<_, Option<String>>(0)? {
            return Ok(Err(reason));
        }
        let waveform: Option<Vec<u8>> = r.get(5)?;
        Ok(Ok(Analysis {
            content_id: content_id.to_string(),
            duration_ms: r.get::<_, Option<i64>>(1)?.unwrap_or(0).max(0) as u64,
            integrated_lufs: r.get(2)?,
            true_peak_dbtp: r.get::<_, Option<f64>>(3)?.unwrap_or(0.0),
            smart_start_ms: r.get::<_, Option<i64>>(4)?.unwrap_or(0).max(0) as u64,
            waveform: waveform.as_deref().map(decode_waveform).unwrap_or_default(),
        }))
    })
    .optional()
}

/// Stores (or replaces) the analysis of `a.content_id`.
pub fn store(conn: &Connection, a: &Analysis, version: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO track_analysis (content_id, version, duration_ms, integrated_lufs,
             true_peak_dbtp, smart_start_ms, unavailable, analyzed_at, waveform)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)",
    )?
    .execute(params![
        a.content_id,
        version,
        i64::try_from(a.duration_ms).unwrap_or(i64::MAX),
        a.integrated_lufs,
        a.true_peak_dbtp,
        i64::try_from(a.smart_start_ms).unwrap_or(i64::MAX),
        now,
        encode_waveform(&a.waveform),
    ])?;
    Ok(())
}

/// Records (or replaces with) the reason the audio of `content_id` cannot be analyzed.
pub fn store_unavailable(
    conn: &Connection,
    content_id: &str,
    reason: &str,
    version: i64,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO track_analysis (content_id, version, unavailable, analyzed_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![content_id, version, reason, now])?;
    Ok(())
}

/// `(min, max)` pairs as little-endian `i16` pairs scaled by 32767.
pub fn encode_waveform(pairs: &[(f32, f32)]) -> Vec<u8> {
    let quantize = |x: f32| ((x.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes();
    let mut bytes = Vec::with_capacity(pairs.len() * 4);
    for &(lo, hi) in pairs {
        bytes.extend_from_slice(&quantize(lo));
        bytes.extend_from_slice(&quantize(hi));
    }
    bytes
}

/// The inverse of [`encode_waveform`]; a trailing partial pair is ignored.
pub fn decode_waveform(bytes: &[u8]) -> Vec<(f32, f32)> {
    let value = |b: &[u8]| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32767.0;
    bytes
        .chunks_exact(4)
        .map(|p| (value(&p[0..2]), value(&p[2..4])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_memory;

    fn analysis(id: &str) -> Analysis {
        Analysis {
            content_id: id.into(),
            duration_ms: 125_000,
            integrated_lufs: Some(-18.25),
            true_peak_dbtp: -0.5,
            waveform: vec![(-0.5, 0.5), (0.0, 0.0), (-1.0, 1.0)],
            smart_start_ms: 60_000,
        }
    }

    fn add_track(conn: &Connection, content_id: &str, path: &str, missing: bool) -> i64 {
        conn.execute(
            "INSERT OR IGNORE INTO roots (id, path, added_at) VALUES (1, x'2f', 0)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO tracks (content_id, root_id, path, file_size, file_mtime, format,
                                 added_at, updated_at, missing_since)
             VALUES (?1, 1, ?2, 1, 1, 'flac', 0, 0, ?3)",
            params![content_id, path.as_bytes(), missing.then_some(5)],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    #[test]
    fn a_stored_analysis_reads_back_with_its_waveform() {
        let conn = open_memory().unwrap();
        let a = analysis("c1");
        store(&conn, &a, 1, 10).unwrap();
        let back = load(&conn, "c1", 1).unwrap().unwrap().unwrap();
        assert_eq!(back.duration_ms, 125_000);
        assert_eq!(back.integrated_lufs, Some(-18.25));
        assert_eq!(back.smart_start_ms, 60_000);
        assert_eq!(back.waveform.len(), 3);
        for (got, want) in back.waveform.iter().zip(&a.waveform) {
            assert!((got.0 - want.0).abs() < 1e-4 && (got.1 - want.1).abs() < 1e-4);
        }
        assert_eq!(
            load(&conn, "c1", 2).unwrap(),
            None,
            "another version reads as absent"
        );
        assert_eq!(load(&conn, "c2", 1).unwrap(), None);
    }

    #[test]
    fn an_unavailable_row_gives_its_reason() {
        let conn = open_memory().unwrap();
        store_unavailable(&conn, "c1", "wv: WavPack audio has no decoder here", 1, 10).unwrap();
        assert_eq!(
            load(&conn, "c1", 1).unwrap(),
            Some(Err("wv: WavPack audio has no decoder here".into()))
        );
    }

    #[test]
    fn pending_lists_each_present_content_once_until_analyzed() {
        let conn = open_memory().unwrap();
        add_track(&conn, "a", "/a1.flac", false);
        add_track(&conn, "a", "/a2.flac", false);
        add_track(&conn, "b", "/b.flac", true);
        add_track(&conn, "c", "/c.flac", false);
        let ids: Vec<String> = pending(&conn, 1)
            .unwrap()
            .into_iter()
            .map(|p| p.content_id)
            .collect();
        assert_eq!(
            ids,
            ["a", "c"],
            "missing tracks wait; copies are analyzed once"
        );
        store(&conn, &analysis("a"), 1, 10).unwrap();
        store_unavailable(&conn, "c", "reason", 0, 10).unwrap();
        let ids: Vec<String> = pending(&conn, 1)
            .unwrap()
            .into_iter()
            .map(|p| p.content_id)
            .collect();
        assert_eq!(ids, ["c"], "a row of an older version does not count");
    }

    #[test]
    fn track_audio_finds_the_file_of_a_track() {
        let conn = open_memory().unwrap();
        let id = add_track(&conn, "a", "/a.flac", true);
        let t = track_audio(&conn, id).unwrap().unwrap();
        assert_eq!(t.path, b"/a.flac");
        assert!(t.missing);
        assert_eq!(track_audio(&conn, id + 1).unwrap(), None);
    }
}
