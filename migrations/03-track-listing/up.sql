-- Track listings (search results, the app's track table) are ordered by album title, album, disc
-- and track. The album title is copied onto its tracks so that one index holds that order and a
-- broad search reads its first page from the index instead of sorting every match.
ALTER TABLE tracks ADD COLUMN album_sort TEXT NOT NULL DEFAULT '';
UPDATE tracks SET album_sort = coalesce((SELECT title FROM albums WHERE albums.id = tracks.album_id), '');
CREATE INDEX tracks_listing ON tracks(
    album_sort COLLATE NOCASE, album_id, coalesce(disc_no, 1), track_no IS NULL, track_no
);

-- Year ranges and formats are searched without words; this index answers them without reading
-- whole track rows.
CREATE INDEX tracks_facets ON tracks(year, format, codec);
