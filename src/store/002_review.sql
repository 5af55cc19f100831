-- Issue 5: the review workflow's evidence, staff descriptions, removal re-checks and the kind
-- of each audit entry.

-- Avatar images as seen, stored once by the SHA-256 of their bytes. Never deleted by a scan.
CREATE TABLE avatar_blobs (
    sha256      TEXT PRIMARY KEY,
    bytes       BLOB NOT NULL,
    first_seen  TEXT NOT NULL
);

-- A profile as a scan saw it: at first detection and whenever it changed. Never deleted by a
-- scan.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    suspect_id    INTEGER NOT NULL REFERENCES suspects(id),
    scan_id       INTEGER REFERENCES scans(id),
    captured_at   TEXT NOT NULL,
    source        TEXT NOT NULL,
    handle        TEXT NOT NULL,
    display_name  TEXT,
    bio           TEXT,
    url           TEXT,
    avatar_ref    TEXT,
    avatar_sha256 TEXT REFERENCES avatar_blobs(sha256),
    platform_id   TEXT,
    fingerprint   TEXT NOT NULL
);
CREATE INDEX evidence_suspect ON evidence(suspect_id, id);

-- What staff know of an impostor (how it lures people), shown on the notice.
ALTER TABLE suspects ADD COLUMN description TEXT;
-- Removal re-checks: consecutive scans in which the platform said the account is gone.
ALTER TABLE suspects ADD COLUMN gone_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE suspects ADD COLUMN last_checked_at TEXT;
ALTER TABLE suspects ADD COLUMN last_check TEXT;
-- 'status' for a change of status, 'describe' for a new description, 'reopen' when a scan
-- brings a dismissed account back because its profile changed.
ALTER TABLE suspect_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
