-- Annotations: what the collector adds to the catalog. They hang on identities a scan never
-- recreates, not on catalog rows: a track's audio identity (tracks.content_id), an album's member
-- tracks, a work's sort key. Nothing here cascades from tracks or works, so no rescan, move,
-- retag, missing disk or removed folder deletes an annotation; src/annotate/ reattaches them.

-- Something the collector annotated: an album, a track or a work.
CREATE TABLE subjects (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('album', 'track', 'work')),
    content_id  TEXT,                        -- track: its audio identity, the key
    album_id    INTEGER REFERENCES albums(id) ON DELETE SET NULL,
                                             -- album: where it is attached now; NULL while orphaned
    work_key    TEXT,                        -- work: works.sort_key, the key
    -- What the subject looked like when last seen (JSON: title, album, artist, disc and track
    -- numbers, MusicBrainz ids, and for an album the content ids of its tracks): how an album is
    -- found again, how a re-encoded track is proposed for relinking, how orphans are described.
    anchor      TEXT    NOT NULL DEFAULT '{}',
    rating      INTEGER CHECK (rating BETWEEN 0 AND 5),
    note        TEXT,                        -- Markdown
    fields      TEXT,                        -- JSON object: soundtrack field overrides
    cue_sort    TEXT,                        -- natural sort key of the track's cue number
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((kind = 'track') = (content_id IS NOT NULL)),
    CHECK ((kind = 'work') = (work_key IS NOT NULL)),
    CHECK (kind = 'album' OR album_id IS NULL)
);
CREATE UNIQUE INDEX subjects_track ON subjects(content_id) WHERE kind = 'track';
CREATE UNIQUE INDEX subjects_album ON subjects(album_id) WHERE kind = 'album';
CREATE UNIQUE INDEX subjects_work ON subjects(work_key) WHERE kind = 'work';

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    color       TEXT,                        -- '#rrggbb'
    created_at  INTEGER NOT NULL
);

CREATE TABLE subject_tags (
    subject_id  INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (subject_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX subject_tags_tag ON subject_tags(tag_id, subject_id);

-- Time-coded notes on a track ("1:42 — the theme returns in the brass").
CREATE TABLE cue_notes (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    at_ms       INTEGER NOT NULL CHECK (at_ms >= 0),
    text        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX cue_notes_subject ON cue_notes(subject_id, at_ms);

-- Full text of each subject's note and time-coded notes; rowid = subjects.id. Maintained by
-- db::subjects.
CREATE VIRTUAL TABLE note_fts USING fts5(
    text,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- An album subject is found again by its tracks' contents: which albums hold them. Answered from
-- the index alone, also when one recording sits on many albums. It serves every lookup by
-- content, so it replaces the content-only index.
CREATE INDEX tracks_content_album ON tracks(content_id, album_id);
DROP INDEX tracks_content;
