-- Articles: what the collector reads, its readable text, and its links to the collection.
--
-- An article is found again by its source: the URL it came from, else its text. Importing the
-- same source again updates the row in place, so its links, decisions, tags and notes stay.
-- A link to an album or track points at its subject (migration 07), so it follows the album or
-- recording through rescans, moves and retags exactly as annotations do; a link to a person or a
-- label is by folded name. The user's decision (confirmed or rejected) is kept on the link, so
-- detecting again after the library changes never loses it.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    -- 'url:<url>' or 'text:<blake3 of the readable text>': what makes a re-import an update.
    source_key   TEXT    NOT NULL UNIQUE,
    url          TEXT,
    file_name    TEXT,
    format       TEXT    NOT NULL CHECK (format IN ('markdown', 'html', 'text')),
    title        TEXT    NOT NULL,
    description  TEXT,
    author       TEXT,
    published    TEXT,                       -- YYYY-MM-DD when known, else as written
    updated      TEXT,
    keywords     TEXT,                       -- JSON array
    locale       TEXT,
    category     TEXT,
    extra        TEXT,                       -- JSON object of other front matter
    blocks       TEXT    NOT NULL,           -- JSON: the structure (kind, text, emphasis)
    body         TEXT    NOT NULL,           -- the readable text: blocks joined by blank lines
    text_hash    TEXT    NOT NULL,
    rating       INTEGER CHECK (rating BETWEEN 0 AND 5),
    note         TEXT,                       -- Markdown
    imported_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX articles_text_hash ON articles(text_hash);

CREATE TABLE article_tags (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id);

-- Title, author, keywords, text and note; rowid = articles.id. Maintained by db::articles.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, author, keywords, body, note,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE article_links (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('album', 'track', 'person', 'label')),
    subject_id  INTEGER REFERENCES subjects(id),
    -- album/track: 'subject:<id>' (kept when the subject is forgotten); person/label: folded name.
    target_key  TEXT    NOT NULL,
    label       TEXT    NOT NULL,            -- the title or name as last seen
    status      TEXT    NOT NULL DEFAULT 'suggested'
                        CHECK (status IN ('suggested', 'confirmed', 'rejected')),
    confidence  REAL    NOT NULL,
    reason      TEXT    NOT NULL,
    excerpt     TEXT    NOT NULL,            -- the best mention's sentence
    -- Where the best mention sits in the excerpt (byte offsets).
    excerpt_start INTEGER NOT NULL DEFAULT 0,
    excerpt_end   INTEGER NOT NULL DEFAULT 0,
    found       INTEGER NOT NULL DEFAULT 1,  -- 0: the last detection no longer finds it
    decided_at  INTEGER,
    UNIQUE (article_id, kind, target_key)
);
CREATE INDEX article_links_subject ON article_links(subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX article_links_target ON article_links(kind, target_key);

CREATE TABLE article_mentions (
    link_id     INTEGER NOT NULL REFERENCES article_links(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,            -- byte offsets in articles.body
    end         INTEGER NOT NULL,
    confidence  REAL    NOT NULL,
    reason      TEXT    NOT NULL
);
CREATE INDEX article_mentions_link ON article_mentions(link_id);

-- Forgetting a subject keeps the article's link with its last label, detached.
CREATE TRIGGER subjects_forget_in_articles BEFORE DELETE ON subjects
BEGIN
    UPDATE article_links SET subject_id = NULL WHERE subject_id = OLD.id;
END;
