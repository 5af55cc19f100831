-- Scans, the profiles each scan saw, one row per suspect account, its history, and the cache
-- of official avatar hashes.
CREATE TABLE scans (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    candidates   INTEGER NOT NULL,
    suspects     INTEGER NOT NULL,
    errors       TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE observations (
    id            INTEGER PRIMARY KEY,
    scan_id       INTEGER NOT NULL REFERENCES scans(id),
    platform      TEXT NOT NULL,
    handle        TEXT NOT NULL,
    display_name  TEXT,
    bio           TEXT,
    url           TEXT,
    avatar        TEXT,
    avatar_phash  INTEGER,
    platform_id   TEXT,
    source        TEXT NOT NULL,
    verdict       TEXT NOT NULL,
    score         REAL NOT NULL
);
CREATE INDEX observations_account ON observations(platform, handle);

CREATE TABLE suspects (
    id                INTEGER PRIMARY KEY,
    platform          TEXT NOT NULL,
    handle            TEXT NOT NULL,
    handle_key        TEXT NOT NULL,
    display_name      TEXT,
    bio               TEXT,
    url               TEXT,
    avatar            TEXT,
    avatar_phash      INTEGER,
    status            TEXT NOT NULL DEFAULT 'new',
    score             REAL NOT NULL,
    matched_platform  TEXT,
    matched_handle    TEXT,
    signals           TEXT NOT NULL,
    reasons           TEXT NOT NULL,
    first_seen        TEXT NOT NULL,
    last_seen         TEXT NOT NULL,
    first_scan        INTEGER REFERENCES scans(id),
    last_scan         INTEGER REFERENCES scans(id),
    status_changed_at TEXT NOT NULL,
    UNIQUE (platform, handle_key)
);

CREATE TABLE suspect_events (
    id          INTEGER PRIMARY KEY,
    suspect_id  INTEGER NOT NULL REFERENCES suspects(id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT
);

CREATE TABLE avatar_hashes (
    sha256            TEXT PRIMARY KEY,
    algorithm         TEXT NOT NULL,
    phash             INTEGER NOT NULL,
    gradient          INTEGER NOT NULL,
    phash_mirrored    INTEGER NOT NULL,
    gradient_mirrored INTEGER NOT NULL,
    information       REAL NOT NULL,
    computed_at       TEXT NOT NULL
);
