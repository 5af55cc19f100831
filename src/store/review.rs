//! The review workflow's part of the store (issue 5): evidence snapshots with avatar bytes kept
//! once by SHA-256, the "dismissed stays dismissed unless the profile changes materially" rule,
//! staff descriptions, and the removal re-check counter. Nothing here deletes evidence.

use super::{Observation, Status, Store, SuspectRecord};
use crate::scan::sha256_hex;
use anyhow::{bail, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

/// Avatar pHash bits (of 64) that may differ before a dismissed account's new avatar counts as
/// a different picture. Re-encoding and resizing the same picture stays well below this.
pub const MATERIAL_AVATAR_DISTANCE: u32 = 10;

/// Consecutive scans that must find an impostor gone before it is marked removed.
pub const REMOVAL_AGREEING_SCANS: i64 = 2;

/// The actor written to the audit log for changes a scan makes.
pub const SCAN_ACTOR: &str = "narisumashi scan";

/// One evidence snapshot: a profile as a scan saw it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EvidenceRecord {
    pub id: i64,
    pub scan_id: Option<i64>,
    pub captured_at: String,
    pub source: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub url: Option<String>,
    pub avatar_ref: Option<String>,
    pub avatar_sha256: Option<String>,
    /// Account facts as the platform reported them at capture time (issue 10).
    pub account_created_at: Option<String>,
    pub posts_count: Option<u64>,
    pub followers_count: Option<u64>,
    pub verified: Option<bool>,
}

/// What a removal re-check learnt about one impostor in one scan.
#[derive(Clone, Debug, PartialEq)]
pub enum Presence {
    /// The platform shows the account.
    Found,
    /// The platform says it does not exist, or that it was suspended (`why` says which).
    Gone { why: String },
    /// Nobody could tell (request failed, rate limited, source cannot look it up).
    Unknown { why: String },
}

/// What [`Store::record_presence`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum PresenceOutcome {
    /// Nothing changed in the status; the streak of "gone" scans is now this.
    Unchanged { gone_streak: i64 },
    /// The account was marked removed.
    Removed,
}

/// SQLite integers are signed; a count beyond `i64::MAX` is stored as that.
fn clamp_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn normalized_name(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Brings a dismissed account back to `new` when its profile changed materially since the
/// last scan: another display name, or an avatar whose hash moved beyond
/// [`MATERIAL_AVATAR_DISTANCE`]. A missing value (an avatar that failed to load) is never a
/// change. Runs before the suspect row is refreshed, so the row still holds the old profile.
pub(super) fn reopen_if_changed(
    tx: &Transaction,
    id: i64,
    now: &str,
    o: &Observation,
) -> Result<()> {
    let (status, old_name, old_phash): (String, Option<String>, Option<i64>) = tx
        .prepare_cached("SELECT status, display_name, avatar_phash FROM suspects WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if status != Status::Dismissed.as_str() {
        return Ok(());
    }
    let mut reasons = Vec::new();
    if let Some(new_name) = &o.candidate.profile.display_name {
        let changed = match &old_name {
            Some(old) => normalized_name(old) != normalized_name(new_name),
            None => !new_name.trim().is_empty(),
        };
        if changed {
            reasons.push(format!(
                "display name changed from {:?} to {:?}",
                old_name.as_deref().unwrap_or(""),
                new_name
            ));
        }
    }
    if let (Some(old), Some(new)) = (old_phash, o.avatar.as_ref()) {
        let distance = ((old as u64) ^ new.lightness).count_ones();
        if distance > MATERIAL_AVATAR_DISTANCE {
            reasons.push(format!(
                "avatar changed (distance {distance}/64 from the dismissed one)"
            ));
        }
    }
    if reasons.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("UPDATE suspects SET status = 'new', status_changed_at = ?1 WHERE id = ?2")?
        .execute(params![now, id])?;
    tx.prepare_cached(
        "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind) VALUES (?1, ?2, ?3, 'dismissed', 'new', ?4, 'reopen')",
    )?
    .execute(
        params![id, now, SCAN_ACTOR, format!("profile changed after dismissal: {}", reasons.join("; "))],
    )?;
    Ok(())
}

/// Keeps an evidence snapshot when the account is seen for the first time or its profile
/// differs from the latest snapshot. Avatar bytes go to `avatar_blobs` once per SHA-256.
pub(super) fn keep_evidence(
    tx: &Transaction,
    suspect_id: i64,
    scan_id: i64,
    now: &str,
    o: &Observation,
) -> Result<()> {
    let p = &o.candidate.profile;
    let last: Option<(String, Option<String>, Option<String>)> = tx
        .prepare_cached(
            "SELECT fingerprint, avatar_ref, avatar_sha256 FROM evidence WHERE suspect_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([suspect_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let avatar_sha = match o.avatar_bytes {
        Some(bytes) => {
            let sha = sha256_hex(bytes);
            tx.prepare_cached(
                "INSERT OR IGNORE INTO avatar_blobs (sha256, bytes, first_seen) VALUES (?1, ?2, ?3)",
            )?
            .execute(
                params![sha, bytes, now],
            )?;
            Some(sha)
        }
        // The picture could not be loaded this time: if the reference is unchanged, the last
        // snapshot's picture still stands, so a failed download is not a profile change.
        None => match &last {
            Some((_, last_ref, last_sha)) if *last_ref == p.avatar => last_sha.clone(),
            _ => None,
        },
    };
    // The profile itself; counts change every day and are no new snapshot. A creation date
    // that changes is another account under the same handle, so it is part of the fingerprint
    // (only when known, so snapshots taken before account facts existed still match).
    let profile = serde_json::to_string(&(
        &p.handle,
        &p.display_name,
        &p.bio,
        &p.url,
        avatar_sha.as_deref().or(p.avatar.as_deref()),
    ))?;
    let fingerprint = match &p.created_at {
        None => sha256_hex(profile.as_bytes()),
        Some(created) => sha256_hex(serde_json::to_string(&(profile, created))?.as_bytes()),
    };
    if last.as_ref().map(|l| &l.0) == Some(&fingerprint) {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO evidence (suspect_id, scan_id, captured_at, source, handle, display_name, bio, url, avatar_ref, avatar_sha256, platform_id, fingerprint, account_created_at, posts_count, followers_count, verified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(
        params![suspect_id, scan_id, now, o.candidate.source, p.handle, p.display_name, p.bio, p.url, p.avatar, avatar_sha, p.id, fingerprint, p.created_at, p.posts_count.map(clamp_i64), p.followers_count.map(clamp_i64), p.verified],
    )?;
    Ok(())
}

impl Store {
    /// A suspect's evidence snapshots, oldest first.
    pub fn evidence(&self, suspect_id: i64) -> Result<Vec<EvidenceRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, scan_id, captured_at, source, handle, display_name, bio, url, avatar_ref, avatar_sha256, account_created_at, posts_count, followers_count, verified FROM evidence WHERE suspect_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([suspect_id], |r| {
            Ok(EvidenceRecord {
                id: r.get(0)?,
                scan_id: r.get(1)?,
                captured_at: r.get(2)?,
                source: r.get(3)?,
                handle: r.get(4)?,
                display_name: r.get(5)?,
                bio: r.get(6)?,
                url: r.get(7)?,
                avatar_ref: r.get(8)?,
                avatar_sha256: r.get(9)?,
                account_created_at: r.get(10)?,
                posts_count: r.get::<_, Option<i64>>(11)?.map(|n| n.max(0) as u64),
                followers_count: r.get::<_, Option<i64>>(12)?.map(|n| n.max(0) as u64),
                verified: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored bytes of an avatar, by SHA-256.
    pub fn avatar_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT bytes FROM avatar_blobs WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The latest avatar picture kept as evidence of a suspect.
    pub fn latest_avatar(&self, suspect_id: i64) -> Result<Option<Vec<u8>>> {
        let sha: Option<String> = self
            .conn
            .query_row(
                "SELECT avatar_sha256 FROM evidence WHERE suspect_id = ?1 AND avatar_sha256 IS NOT NULL ORDER BY id DESC LIMIT 1",
                [suspect_id],
                |r| r.get(0),
            )
            .optional()?;
        match sha {
            Some(s) => self.avatar_blob(&s),
            None => Ok(None),
        }
    }

    /// Records what staff know of a suspect (how it lures people); an empty text clears it.
    /// The audit log keeps every version.
    pub fn describe(&self, id: i64, text: &str, actor: &str, at: &str) -> Result<SuspectRecord> {
        let current = self.suspect(id)?;
        let text = text.trim();
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE suspects SET description = ?1 WHERE id = ?2",
            params![(!text.is_empty()).then_some(text), id],
        )?;
        tx.execute(
            "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind) VALUES (?1, ?2, ?3, ?4, ?4, ?5, 'describe')",
            params![id, at, actor, current.status.as_str(), text],
        )?;
        tx.commit()?;
        self.suspect(id)
    }

    /// Impostors whose removal a scan should re-check: confirmed and reported ones.
    pub fn impostors_to_recheck(&self) -> Result<Vec<SuspectRecord>> {
        let mut all = self.suspects(Some(Status::Confirmed))?;
        all.extend(self.suspects(Some(Status::Reported))?);
        all.sort_by_key(|s| s.id);
        Ok(all)
    }

    /// Records one scan's re-check of an impostor. Only [`REMOVAL_AGREEING_SCANS`]
    /// consecutive "gone" answers mark it removed; "found" resets the count; "unknown" neither
    /// counts nor resets (it says nothing either way).
    pub fn record_presence(
        &mut self,
        id: i64,
        presence: &Presence,
        at: &str,
    ) -> Result<PresenceOutcome> {
        let current = self.suspect(id)?;
        if !matches!(current.status, Status::Confirmed | Status::Reported) {
            bail!(
                "suspect {id} is {}; only confirmed or reported impostors are re-checked",
                current.status
            );
        }
        let tx = self.conn.transaction()?;
        let (streak, note): (i64, String) = match presence {
            Presence::Found => {
                tx.execute(
                    "UPDATE suspects SET gone_streak = 0, last_checked_at = ?1, last_check = 'found' WHERE id = ?2",
                    params![at, id],
                )?;
                (0, String::new())
            }
            Presence::Unknown { why } => {
                tx.execute(
                    "UPDATE suspects SET last_checked_at = ?1, last_check = ?2 WHERE id = ?3",
                    params![at, format!("unknown: {why}"), id],
                )?;
                let s = tx.query_row(
                    "SELECT gone_streak FROM suspects WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                (s, String::new())
            }
            Presence::Gone { why } => {
                tx.execute(
                    "UPDATE suspects SET gone_streak = gone_streak + 1, last_checked_at = ?1, last_check = ?2 WHERE id = ?3",
                    params![at, format!("gone: {why}"), id],
                )?;
                let s = tx.query_row(
                    "SELECT gone_streak FROM suspects WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                (s, why.clone())
            }
        };
        if streak >= REMOVAL_AGREEING_SCANS {
            tx.execute(
                "UPDATE suspects SET status = 'removed', status_changed_at = ?1 WHERE id = ?2",
                params![at, id],
            )?;
            tx.execute(
                "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note, kind) VALUES (?1, ?2, ?3, ?4, 'removed', ?5, 'status')",
                params![id, at, SCAN_ACTOR, current.status.as_str(), format!("gone from the platform in {streak} consecutive scans ({note})")],
            )?;
            tx.commit()?;
            return Ok(PresenceOutcome::Removed);
        }
        tx.commit()?;
        Ok(PresenceOutcome::Unchanged {
            gone_streak: streak,
        })
    }

    /// The number of consecutive scans that found a suspect gone.
    pub fn gone_streak(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT gone_streak FROM suspects WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }
}
