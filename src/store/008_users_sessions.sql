-- Issue 11: the people who may use `narisumashi serve`, and their login sessions.

-- One row per person. `password` is an argon2id PHC string; the password itself is never stored.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    role                TEXT NOT NULL CHECK (role IN ('staff', 'approver')),
    password            TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- A logged-in browser. The cookie holds a random token; only its SHA-256 is kept here, so a
-- copy of the database does not let anyone in. Times are Unix seconds (expiry arithmetic).
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created      INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
