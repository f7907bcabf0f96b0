-- Catalog: library roots, works, albums, tracks, covers, problems and the track search index.
-- Append-only: later changes go in new migration folders.

CREATE TABLE roots (
    id            INTEGER PRIMARY KEY,
    path          BLOB    NOT NULL UNIQUE,      -- exact OS bytes of the folder path
    added_at      INTEGER NOT NULL,             -- unix seconds
    last_scan_at  INTEGER,
    offline_since INTEGER                       -- set while the folder is not reachable
);

-- A work is the film, game or show an album belongs to.
-- source 'derived' rows are computed from album titles by the scanner; 'user' rows are set by hand
-- (a later feature) and are never touched by a scan.
CREATE TABLE works (
    id       INTEGER PRIMARY KEY,
    title    TEXT    NOT NULL,
    sort_key TEXT    NOT NULL,                  -- normalized title (folded case/accents, no leading article)
    kind     TEXT    CHECK (kind IN ('film', 'game', 'tv')),
    year     INTEGER,
    source   TEXT    NOT NULL DEFAULT 'derived' CHECK (source IN ('derived', 'user')),
    UNIQUE (sort_key, source)
);

CREATE TABLE covers (
    hash   TEXT    PRIMARY KEY,                 -- blake3 of the image bytes
    mime   TEXT    NOT NULL,
    width  INTEGER,
    height INTEGER,
    bytes  INTEGER NOT NULL
);

CREATE TABLE albums (
    id            INTEGER PRIMARY KEY,
    album_key     TEXT    NOT NULL UNIQUE,      -- grouping key derived from tags (see catalog::album)
    title         TEXT    NOT NULL,
    album_artist  TEXT,
    year          INTEGER,
    original_year INTEGER,
    label         TEXT,
    catalog_numbers TEXT,                       -- JSON array
    barcode       TEXT,
    edition       TEXT,                         -- release comment
    release_type  TEXT,
    mb_album_id   TEXT,
    compilation   INTEGER NOT NULL DEFAULT 0,
    disc_total    INTEGER,
    folder        BLOB,                         -- common folder of the album's files
    work_id       INTEGER REFERENCES works(id) ON DELETE SET NULL,        -- derived
    user_work_id  INTEGER REFERENCES works(id) ON DELETE SET NULL,        -- set by the user; wins
    release_kind  TEXT,                         -- score / soundtrack / ... derived from the title
    cover_hash    TEXT    REFERENCES covers(hash) ON DELETE SET NULL,
    added_at      INTEGER NOT NULL
);
CREATE INDEX albums_work ON albums(work_id);
CREATE INDEX albums_user_work ON albums(user_work_id);

CREATE TABLE tracks (
    id            INTEGER PRIMARY KEY,
    content_id    TEXT    NOT NULL,             -- identity of the audio payload; survives retag/move
    root_id       INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    path          BLOB    NOT NULL UNIQUE,      -- exact OS bytes
    file_size     INTEGER NOT NULL,
    file_mtime    INTEGER NOT NULL,             -- nanoseconds since the epoch
    album_id      INTEGER REFERENCES albums(id) ON DELETE SET NULL,
    title         TEXT,
    artists       TEXT,                         -- JSON array
    album_title   TEXT,
    album_artist  TEXT,
    composers     TEXT,                         -- JSON array
    conductors    TEXT,                         -- JSON array
    orchestrators TEXT,                         -- JSON array (arrangers/orchestrators)
    performers    TEXT,                         -- JSON array
    date          TEXT,
    original_date TEXT,
    year          INTEGER,
    genre         TEXT,
    track_no      INTEGER,
    track_total   INTEGER,
    disc_no       INTEGER,
    disc_total    INTEGER,
    disc_subtitle TEXT,
    label         TEXT,
    catalog_numbers TEXT,                       -- JSON array
    barcode       TEXT,
    release_type  TEXT,
    release_comment TEXT,
    comment       TEXT,
    compilation   INTEGER NOT NULL DEFAULT 0,
    mb_track_id   TEXT,
    mb_recording_id TEXT,
    mb_album_id   TEXT,
    mb_artist_id  TEXT,
    mb_album_artist_id TEXT,
    mb_release_group_id TEXT,
    rg_track_gain REAL,
    rg_track_peak REAL,
    rg_album_gain REAL,
    rg_album_peak REAL,
    duration_ms   INTEGER,
    sample_rate   INTEGER,
    bit_depth     INTEGER,
    channels      INTEGER,
    bitrate       INTEGER,                      -- kbit/s
    format        TEXT    NOT NULL,             -- container: mp3, flac, ogg, opus, m4a, wav, ...
    codec         TEXT,                         -- audio codec inside: aac, alac, vorbis, ...
    cover_hash    TEXT    REFERENCES covers(hash) ON DELETE SET NULL,
    added_at      INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    missing_since INTEGER                       -- set when the file vanished from an online root
);
CREATE INDEX tracks_content ON tracks(content_id);
CREATE INDEX tracks_album ON tracks(album_id, disc_no, track_no);
CREATE INDEX tracks_root ON tracks(root_id);

-- Files that could not be cataloged, with the reason. Cleared when the file reads fine or vanishes.
CREATE TABLE problems (
    path     BLOB    PRIMARY KEY,
    root_id  INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    reason   TEXT    NOT NULL,
    file_size  INTEGER,
    file_mtime INTEGER,
    seen_at  INTEGER NOT NULL
);

-- Accent-insensitive full-text index of tracks; rowid = tracks.id. Maintained by db::search.
CREATE VIRTUAL TABLE track_fts USING fts5(
    title, album, work, artists, composers, people, label, catalog,
    tokenize = 'unicode61 remove_diacritics 2'
);
