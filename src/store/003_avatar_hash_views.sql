-- The avatar hash became four DCT-sign hashes of views of the picture (lightness whole,
-- central 88 %, central 64 %, and luma) plus a gradient hash (and its mirror image). The table is only a cache: recreate it with columns
-- named for what they hold.
DROP TABLE avatar_hashes;
CREATE TABLE avatar_hashes (
    sha256         TEXT PRIMARY KEY,
    algorithm      TEXT NOT NULL,
    lightness      INTEGER NOT NULL,
    lightness_c88  INTEGER NOT NULL,
    lightness_c64  INTEGER NOT NULL,
    luma           INTEGER NOT NULL,
    gradient          INTEGER NOT NULL,
    gradient_mirrored INTEGER NOT NULL,
    information    REAL NOT NULL,
    computed_at    TEXT NOT NULL
);
-- (observations.avatar_phash and suspects.avatar_phash now hold the whole-picture lightness
-- hash; they are compared only with values written by the same algorithm.)
