-- Issue 10: a second avatar descriptor (a normalised 16×16 lightness thumbnail of the central
-- part, 256 bytes) beside the DCT-sign and gradient hashes. The table is a cache; the bumped
-- algorithm tag makes rows without it recomputed.
ALTER TABLE avatar_hashes ADD COLUMN fine BLOB;
