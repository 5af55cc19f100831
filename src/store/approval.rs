//! The approver's 決裁 in the store (issue 11): who approved a confirmed impostor for the
//! public pages, when and with what note, kept on the suspect and in the audit log. The rules
//! (who may approve, when approval is needed at all) live in `crate::review::approval`; this
//! file only records, and refuses a second approval atomically.

use super::{Status, Store, SuspectRecord};
use anyhow::{bail, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// An approver's decision to publish a confirmed impostor.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Approval {
    pub by: String,
    pub at: String,
    pub note: Option<String>,
}

/// The approval of a suspect row from its three columns; a row without a date is unapproved.
pub(super) fn from_columns(
    at: Option<String>,
    by: Option<String>,
    note: Option<String>,
) -> Option<Approval> {
    at.map(|at| Approval {
        by: by.unwrap_or_default(),
        at,
        note,
    })
}

impl Store {
    /// Records an approval and its audit entry (kind `approve`, the status unchanged). Refuses,
    /// without writing, a suspect that is not a confirmed impostor or is already approved; the
    /// check and the write are one statement, so two approvers at once cannot both succeed.
    pub fn approve(
        &self,
        id: i64,
        by: &str,
        note: Option<&str>,
        at: &str,
    ) -> Result<SuspectRecord> {
        let current = self.suspect(id)?;
        let tx = self.conn.unchecked_transaction()?;
        let changed = tx.execute(
            "UPDATE suspects SET approved_at = ?1, approved_by = ?2, approval_note = ?3 WHERE id = ?4 AND approved_at IS NULL AND status IN ('confirmed', 'reported', 'removed')",
            params![at, by, note, id],
        )?;
        if changed == 0 {
            match &current.approval {
                Some(a) => bail!("suspect {id} was already approved by {} on {}", a.by, a.at),
                None => bail!(
                    "suspect {id} is {}; only a confirmed impostor can be approved",
                    current.status
                ),
            }
        }
        tx.execute(
            "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind) VALUES (?1, ?2, ?3, ?4, ?4, ?5, 'approve')",
            params![id, at, by, current.status.as_str(), note],
        )?;
        tx.commit()?;
        self.suspect(id)
    }

    /// Who last confirmed a suspect (the actor of its latest change to `confirmed`).
    pub fn confirmer(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT actor FROM suspect_events WHERE suspect_id = ?1 AND kind = 'status' AND to_status = ?2 ORDER BY id DESC LIMIT 1",
                params![id, Status::Confirmed.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }
}
