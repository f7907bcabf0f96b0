-- The album grid groups and sorts by composer: the album's first composer in track order, kept by
-- albums::refresh like its year and label.
ALTER TABLE albums ADD COLUMN composer TEXT;
UPDATE albums SET composer = (
    SELECT json_extract(t.composers, '$[0]') FROM tracks t
    WHERE t.album_id = albums.id AND json_array_length(t.composers) > 0
    ORDER BY t.missing_since IS NOT NULL, coalesce(t.disc_no, 1), t.track_no LIMIT 1);

-- The app's settings (preview length, start, loudness target, volume, first-run state): one JSON
-- value per key, read and written by src/settings.rs.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
