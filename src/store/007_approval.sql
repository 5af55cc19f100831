-- Issue 11: the 決裁. A confirmed impostor is published only once an approver has approved
-- it; the approval is kept on the suspect (who, when, with what note) and in the audit log
-- as an event of kind 'approve'.
ALTER TABLE suspects ADD COLUMN approved_at TEXT;
ALTER TABLE suspects ADD COLUMN approved_by TEXT;
ALTER TABLE suspects ADD COLUMN approval_note TEXT;

-- Before this migration every confirmed impostor was published the moment it was confirmed,
-- and a withdrawn one had been published before its correction. They count as approved, so
-- an existing notice (or correction) does not vanish on upgrade; the audit log says so.
UPDATE suspects
   SET approved_at = status_changed_at,
       approved_by = 'narisumashi (schema 007)',
       approval_note = 'published before approvals were recorded'
 WHERE status IN ('confirmed', 'reported', 'removed', 'withdrawn');
INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind)
SELECT id, approved_at, approved_by, status, status, approval_note, 'approve'
  FROM suspects
 WHERE approved_at IS NOT NULL;
