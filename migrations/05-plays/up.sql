-- Full plays of a track (previews are never counted). A play counts once the listener has heard
-- half the track or it played to its end.
CREATE TABLE plays (
    id         INTEGER PRIMARY KEY,
    track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    played_at  INTEGER NOT NULL                -- unix seconds
);
CREATE INDEX plays_track ON plays(track_id, played_at);
