-- Issue 8: a log of personal-data requests (erasures), which keeps that a request was
-- handled and what was done, never the erased data itself; and an index for the retention
-- purge of old observations.
CREATE TABLE privacy_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX observations_scan ON observations(scan_id);
