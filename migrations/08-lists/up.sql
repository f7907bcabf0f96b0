-- Lists: the collector's annotated lists and saved queries.
--
-- An entry that is an album or a track points at its subject (migration 07), so it follows the
-- album or recording through rescans, moves and retags exactly as annotations do. A placeholder
-- (a wishlist entry) has no subject, only the title, artist and year the collector gave. Every
-- entry also keeps the title, artist and year it was last seen with, so an entry whose subject is
-- forgotten becomes a placeholder instead of vanishing.

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    note        TEXT,                        -- Markdown
    -- How entries are numbered: from the top, counted down to 1, or not at all.
    ranking     TEXT    NOT NULL DEFAULT 'none' CHECK (ranking IN ('none', 'ascending', 'descending')),
    -- A smart list: a saved query (JSON: scope, query, sort or arrangement, limit); its entries
    -- are whatever the query finds now. NULL for a list of chosen entries.
    query       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE list_entries (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,            -- 0-based order within the list
    kind        TEXT    NOT NULL CHECK (kind IN ('album', 'track', 'placeholder')),
    subject_id  INTEGER REFERENCES subjects(id),
    title       TEXT    NOT NULL,
    artist      TEXT,
    year        INTEGER,
    note        TEXT,                        -- Markdown
    created_at  INTEGER NOT NULL,
    CHECK ((kind = 'placeholder') = (subject_id IS NULL))
);
CREATE UNIQUE INDEX list_entries_order ON list_entries(list_id, position);
CREATE INDEX list_entries_subject ON list_entries(subject_id) WHERE subject_id IS NOT NULL;

-- Forgetting a subject turns its list entries into placeholders, with what they last showed.
CREATE TRIGGER subjects_forget_in_lists BEFORE DELETE ON subjects
BEGIN
    UPDATE list_entries SET kind = 'placeholder', subject_id = NULL WHERE subject_id = OLD.id;
END;

-- A placeholder the collector said a scanned album is not: not offered again.
CREATE TABLE placeholder_declines (
    entry_id    INTEGER NOT NULL REFERENCES list_entries(id) ON DELETE CASCADE,
    album_id    INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, album_id)
) WITHOUT ROWID;
CREATE INDEX placeholder_declines_album ON placeholder_declines(album_id);
