-- Issue 10: the account facts the platform reported when a snapshot was taken (creation date
-- RFC 3339 in UTC, post and follower counts, the platform's verification flag as 0/1).
ALTER TABLE evidence ADD COLUMN account_created_at TEXT;
ALTER TABLE evidence ADD COLUMN posts_count INTEGER;
ALTER TABLE evidence ADD COLUMN followers_count INTEGER;
ALTER TABLE evidence ADD COLUMN verified INTEGER;
