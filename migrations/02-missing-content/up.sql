-- Moved files are matched against missing tracks by content identity. Generated and real libraries
-- hold many copies of one audio payload, so the lookup needs an index over missing rows only.
CREATE INDEX tracks_missing_content ON tracks(content_id) WHERE missing_since IS NOT NULL;
