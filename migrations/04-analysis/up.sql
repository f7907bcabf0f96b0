-- Preview analysis, one row per distinct audio payload: loudness, peak, waveform and the smart
-- preview start, measured once by preview::analysis and shared by every copy of the same audio.
-- Keyed by content identity (tracks.content_id), not by track, so a moved, renamed or retagged
-- file keeps its analysis and a changed file is analyzed again. No foreign key: a row outlives
-- a track that goes missing and serves it again when it returns.
CREATE TABLE track_analysis (
    content_id      TEXT    PRIMARY KEY,    -- tracks.content_id
    version         INTEGER NOT NULL,       -- preview::analysis::ANALYSIS_VERSION that wrote the row;
                                            -- rows of another version are redone
    duration_ms     INTEGER,                -- decoded length
    integrated_lufs REAL,                   -- EBU R128 integrated loudness; NULL for digital silence
    true_peak_dbtp  REAL,                   -- EBU R128 true peak, dBTP (-120 for digital silence)
    smart_start_ms  INTEGER,                -- where a preview starts
    unavailable     TEXT,                   -- why the audio cannot be analyzed or previewed (no
                                            -- decoder, damaged); NULL when analyzed, and then every
                                            -- measurement column above is set
    analyzed_at     INTEGER NOT NULL,       -- unix seconds
    -- Last, so reading the other columns never walks the blob's overflow pages.
    -- preview::analysis::WAVEFORM_BUCKETS (min, max) pairs over all channels, each value a
    -- little-endian i16 scaled by 32767 (4 bytes per bucket); NULL when unavailable.
    waveform        BLOB
);
