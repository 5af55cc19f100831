//! Keeping the database for years (issue 8): the retention purge of observations of accounts
//! that never became suspects, the online backup, and the answers to personal-data requests
//! (`export` everything held about one account, `forget` it). Erasures are recorded in
//! `privacy_log` by what was done, never by the erased data.

use super::{status_of, Status, Store, SuspectEvent, SuspectRecord};
use crate::model::{canonical_handle, Platform};
use anyhow::{Context, Result};
use base64::Engine as _;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::path::Path;

/// What the retention purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub observations: usize,
}

/// One observation of an account, as held.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HeldObservation {
    pub scan_id: i64,
    pub seen_at: String,
    pub source: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub url: Option<String>,
    pub avatar: Option<String>,
    pub platform_id: Option<String>,
    pub verdict: String,
    pub score: f64,
}

/// One evidence snapshot with its picture, as held.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HeldEvidence {
    #[serde(flatten)]
    pub record: super::EvidenceRecord,
    /// The stored picture, base64.
    pub avatar_base64: Option<String>,
}

/// Everything held about one account (`narisumashi export PLATFORM @handle`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AccountData {
    pub platform: Platform,
    pub handle: String,
    pub observations: Vec<HeldObservation>,
    pub suspect: Option<SuspectRecord>,
    pub evidence: Vec<HeldEvidence>,
    pub history: Vec<SuspectEvent>,
}

impl AccountData {
    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.observations.is_empty() && self.suspect.is_none()
    }
}

/// A known suspect whose profile changed in a scan.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ChangedSuspect {
    pub id: i64,
    pub platform: Platform,
    pub handle: String,
    pub status: Status,
}

/// What `forget` did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    pub observations: usize,
    pub evidence: usize,
    pub pictures: usize,
    pub history: usize,
    /// The suspect record kept because it is a published case: (id, status).
    pub kept: Option<(i64, Status)>,
}

impl Forgotten {
    /// What was done, in words, without the erased data (for the privacy log and the user).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "erased {} observation(s), {} evidence snapshot(s), {} picture(s), {} history entr(ies)",
            self.observations, self.evidence, self.pictures, self.history
        );
        if let Some((id, status)) = self.kept {
            s.push_str(&format!(
                "; kept suspect {id} ({status}) with its evidence and history: it is a confirmed impostor case that was (or may be) published on the notice and reported to the platform, so the public record and the evidence behind it must stay"
            ));
        }
        s
    }
}

/// The cutoff timestamp `days` before `now` (RFC 3339, UTC, like every stored timestamp).
pub fn cutoff(now: &str, days: u32) -> Result<String> {
    let now = chrono::DateTime::parse_from_rfc3339(now)
        .with_context(|| format!("bad timestamp {now}"))?;
    Ok((now - chrono::Duration::days(days as i64))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

impl Store {
    /// Deletes observations older than `retention_days` of accounts that never became
    /// suspects. Suspects' observations and evidence are kept.
    pub fn purge_observations(&mut self, now: &str, retention_days: u32) -> Result<Purged> {
        let before = cutoff(now, retention_days)?;
        let observations = self.conn.execute(
            "DELETE FROM observations WHERE scan_id IN (SELECT id FROM scans WHERE finished_at < ?1)
             AND NOT EXISTS (SELECT 1 FROM suspects s WHERE s.platform = observations.platform AND s.handle_key = handle_key(observations.handle))",
            [before],
        )?;
        Ok(Purged { observations })
    }

    /// A consistent copy of the database at `dest` through SQLite's online backup (safe while
    /// scans run; a plain copy of a WAL database is not), written to a temporary file first,
    /// checked, then renamed into place, owner-only.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("backup path {} needs a file name", dest.display()))?;
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let result = (|| -> Result<()> {
            crate::fsutil::create_private_file(&tmp)?;
            let mut to = rusqlite::Connection::open(&tmp)?;
            {
                let b = rusqlite::backup::Backup::new(&self.conn, &mut to)?;
                // One step copies every page inside one read transaction: a consistent
                // snapshot that writers (WAL) do not restart.
                loop {
                    match b.step(-1)? {
                        rusqlite::backup::StepResult::Done => break,
                        _ => std::thread::sleep(std::time::Duration::from_millis(100)),
                    }
                }
            }
            let check: String = to.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            anyhow::ensure!(
                check == "ok",
                "the copy failed its integrity check: {check}"
            );
            drop(to);
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(&tmp, dest)?;
            crate::fsutil::sync_dir(dir)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.with_context(|| format!("cannot back up to {}", dest.display()))
    }

    /// Everything held about one account.
    pub fn account_data(&self, platform: Platform, handle: &str) -> Result<AccountData> {
        let key = canonical_handle(handle);
        let mut stmt = self.conn.prepare(
            "SELECT o.scan_id, s.finished_at, o.source, o.handle, o.display_name, o.bio, o.url, o.avatar, o.platform_id, o.verdict, o.score
             FROM observations o JOIN scans s ON s.id = o.scan_id
             WHERE o.platform = ?1 AND handle_key(o.handle) = ?2 ORDER BY o.id",
        )?;
        let observations = stmt
            .query_map(params![platform.as_str(), key], |r| {
                Ok(HeldObservation {
                    scan_id: r.get(0)?,
                    seen_at: r.get(1)?,
                    source: r.get(2)?,
                    handle: r.get(3)?,
                    display_name: r.get(4)?,
                    bio: r.get(5)?,
                    url: r.get(6)?,
                    avatar: r.get(7)?,
                    platform_id: r.get(8)?,
                    verdict: r.get(9)?,
                    score: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let id = self.suspect_id_of(platform, &key)?;
        let (suspect, evidence, history) = match id {
            Some(id) => {
                let mut evidence = Vec::new();
                for record in self.evidence(id)? {
                    let avatar_base64 = match &record.avatar_sha256 {
                        Some(sha) => self
                            .avatar_blob(sha)?
                            .map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
                        None => None,
                    };
                    evidence.push(HeldEvidence {
                        record,
                        avatar_base64,
                    });
                }
                (Some(self.suspect(id)?), evidence, self.events(id)?)
            }
            None => (None, vec![], vec![]),
        };
        Ok(AccountData {
            platform,
            handle: key,
            observations,
            suspect,
            evidence,
            history,
        })
    }

    fn suspect_id_of(&self, platform: Platform, key: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM suspects WHERE platform = ?1 AND handle_key = ?2",
                params![platform.as_str(), key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Erases what is held about one account, in one transaction. A confirmed impostor case
    /// (confirmed, reported, removed or withdrawn: published, or its correction is) keeps its
    /// suspect record, evidence and history; its observations go. Anything else goes entirely.
    /// The privacy log records that it happened and what was done, not the handle.
    pub fn forget(
        &mut self,
        platform: Platform,
        handle: &str,
        actor: &str,
        at: &str,
    ) -> Result<Forgotten> {
        let key = canonical_handle(handle);
        // Erased rows are overwritten on disk, not only unlinked.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut done = Forgotten {
            observations: tx.execute(
                "DELETE FROM observations WHERE platform = ?1 AND handle_key(handle) = ?2",
                params![platform.as_str(), key],
            )?,
            ..Forgotten::default()
        };
        let id: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, status FROM suspects WHERE platform = ?1 AND handle_key = ?2",
                params![platform.as_str(), key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, status)) = id {
            let status = status_of(0, status)?;
            let published_case = status.is_confirmed_impostor() || status == Status::Withdrawn;
            if published_case {
                done.kept = Some((id, status));
                tx.execute(
                    "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind) VALUES (?1, ?2, ?3, ?4, ?4, ?5, 'forget')",
                    params![id, at, actor, status.as_str(), "erasure request: observations erased, the case record kept"],
                )?;
            } else {
                done.evidence = tx.execute("DELETE FROM evidence WHERE suspect_id = ?1", [id])?;
                done.history =
                    tx.execute("DELETE FROM suspect_events WHERE suspect_id = ?1", [id])?;
                tx.execute("DELETE FROM suspects WHERE id = ?1", [id])?;
                done.pictures = tx.execute(
                    "DELETE FROM avatar_blobs WHERE sha256 NOT IN (SELECT avatar_sha256 FROM evidence WHERE avatar_sha256 IS NOT NULL)",
                    [],
                )?;
            }
        }
        tx.execute(
            "INSERT INTO privacy_log (at, actor, action, detail) VALUES (?1, ?2, 'forget', ?3)",
            params![
                at,
                actor,
                format!("{} account: {}", platform, done.summary())
            ],
        )?;
        tx.commit()?;
        // The erased rows must not linger in free pages or the WAL.
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        Ok(done)
    }

    /// Suspects an earlier scan recorded (and staff did not dismiss) whose profile this scan
    /// saw changed: a new evidence snapshot after the first one. For the cron summary.
    pub fn changed_in_scan(&self, scan_id: i64) -> Result<Vec<ChangedSuspect>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT s.id, s.platform, s.handle, s.status FROM evidence e JOIN suspects s ON s.id = e.suspect_id
             WHERE e.scan_id = ?1 AND s.first_scan < ?1 AND s.status != 'dismissed'
               AND EXISTS (SELECT 1 FROM evidence p WHERE p.suspect_id = s.id AND p.id < e.id)
             ORDER BY s.id",
        )?;
        let rows = stmt.query_map([scan_id], |r| {
            Ok(ChangedSuspect {
                id: r.get(0)?,
                platform: super::platform_of(r.get(1)?)?,
                handle: r.get(2)?,
                status: status_of(3, r.get(3)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The privacy log, oldest first: (at, actor, action, detail).
    pub fn privacy_log(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, actor, action, detail FROM privacy_log ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
