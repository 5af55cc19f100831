//! The only SQL in the program. Opens the database, migrates its schema (numbered scripts
//! embedded in the binary, tracked by `PRAGMA user_version`), records scans atomically, and
//! keeps suspects, their status history and the avatar-hash cache. The review workflow's
//! evidence snapshots, staff descriptions and removal re-checks live in [`review`] (issue 5).

mod approval;
pub mod maintenance;
mod review;
mod status;
mod users;

pub use review::{
    EvidenceRecord, Presence, PresenceOutcome, MATERIAL_AVATAR_DISTANCE, REMOVAL_AGREEING_SCANS,
};

pub use approval::Approval;
pub use status::Status;
pub use users::{Role, SessionUser, UserRecord};

use crate::detect::AvatarHash;
use crate::model::{canonical_handle, Assessment, Candidate, MatchedAccount, Platform, Signals};
use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema scripts, in order; `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("001_initial.sql"),
    include_str!("002_review.sql"),
    include_str!("003_avatar_hash_views.sql"),
    include_str!("007_approval.sql"),
    include_str!("008_privacy.sql"),
    include_str!("008_users_sessions.sql"),
    include_str!("010_account_facts.sql"),
    include_str!("011_avatar_fine.sql"),
];

/// The algorithm tag stored beside cached avatar hashes; bump it when hashing changes.
pub const AVATAR_HASH_ALGORITHM: &str =
    "dct8-signs/lightness+c88+c64+luma+gradient8+fine16c70+colour+centre-colour+outline32-info06+whole-if-trimmed+corners48/trim-rgb/thumb128-box/v8";

pub struct Store {
    conn: Connection,
    /// The database file (`None` in memory), named in every error.
    path: Option<PathBuf>,
    /// Opened read-only: nothing may be written.
    read_only: bool,
}

/// How long a command waits for another process's write lock when `[storage]
/// busy_timeout_secs` is not given: minutes, so cron overlapping a long review never loses a
/// scan.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(300);

/// One account the detector flagged, as recorded.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SuspectRecord {
    pub id: i64,
    pub platform: Platform,
    pub handle: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub url: Option<String>,
    pub avatar: Option<String>,
    pub status: Status,
    pub score: f64,
    pub matched: Option<MatchedAccount>,
    pub signals: Signals,
    /// Typed reasons; rows written by older versions read back as `Reason::Legacy`.
    pub reasons: Vec<crate::detect::reason::Reason>,
    pub first_seen: String,
    pub last_seen: String,
    pub status_changed_at: String,
    /// What staff know of the impostor (`suspects describe`), shown on the notice.
    pub description: Option<String>,
    /// The approver's 決裁 that puts a confirmed impostor on the public pages (issue 11).
    pub approval: Option<Approval>,
}

/// One entry of a suspect's history.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SuspectEvent {
    pub at: String,
    pub actor: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub note: Option<String>,
    /// `status`, `describe`, `reopen` (a scan brought a dismissed account back) or
    /// `approve` (an approver's 決裁; the status stays as it was).
    pub kind: String,
}

/// One assessed candidate of a scan.
pub struct Observation<'a> {
    pub candidate: &'a Candidate,
    pub assessment: &'a Assessment,
    pub avatar: Option<AvatarHash>,
    /// The avatar bytes as loaded, kept as evidence for flagged accounts.
    pub avatar_bytes: Option<&'a [u8]>,
}

/// What recording a scan produced: the scan id and, per flagged observation, its suspect id
/// and whether it is new.
pub struct RecordedScan {
    pub scan_id: i64,
    pub suspects: Vec<(i64, bool)>,
}

/// SQL functions the queries use: `handle_key(handle)` is [`canonical_handle`], so SQL
/// compares handles exactly as the program does.
fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "handle_key",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(canonical_handle(&ctx.get::<String>(0)?)),
    )?;
    Ok(())
}

/// A status column; a damaged value is an error, never a default (a confirmed impostor read
/// as `new` would silently leave the public notice).
fn status_of(col: usize, s: String) -> rusqlite::Result<Status> {
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    })
}

/// A JSON column; damaged JSON is an error, never a default.
fn json_of<T: serde::de::DeserializeOwned>(col: usize, s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    })
}

/// One suspect by id, on any connection or transaction.
fn suspect_in(conn: &Connection, id: i64) -> Result<SuspectRecord> {
    conn.query_row(
        &format!("SELECT {SUSPECT_COLUMNS} FROM suspects WHERE id = ?1"),
        [id],
        suspect_from_row,
    )
    .optional()
    .with_context(|| format!("cannot read suspect {id}"))?
    .ok_or_else(|| crate::errors::refused(format!("no suspect with id {id}")))
}

fn platform_of(s: String) -> rusqlite::Result<Platform> {
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl Store {
    /// Opens (creating if needed) and migrates the database file, waiting up to
    /// [`DEFAULT_BUSY_TIMEOUT`] for locks.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// Opens (creating if needed, owner-only) and migrates the database file; a locked
    /// database is waited for up to `busy_timeout`.
    pub fn open_with(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let open = || -> Result<Store> {
            crate::fsutil::create_private_file(path)?;
            let conn = Connection::open(path)?;
            conn.busy_timeout(busy_timeout)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            let mut store = Store::init(conn)?;
            store.path = Some(path.to_path_buf());
            Ok(store)
        };
        open().with_context(|| format!("cannot open database {}", path.display()))
    }

    /// Opens the database for reading only, for commands that never write (`suspects
    /// list/show`, `publish`, `report`, exports). Works on a read-only file in a read-only
    /// folder. A missing database, or one whose schema is older, is opened for writing
    /// instead (to create or migrate it).
    pub fn open_read_only(path: &Path, busy_timeout: Duration) -> Result<Store> {
        if !path.exists() {
            return Store::open_with(path, busy_timeout);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let try_open = |target: &str| -> Result<(Connection, i64)> {
            let conn = Connection::open_with_flags(target, flags)?;
            conn.busy_timeout(busy_timeout)?;
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            Ok((conn, version))
        };
        let plain = path.to_string_lossy().into_owned();
        let (conn, version) = match try_open(&plain) {
            Ok(v) => v,
            // A WAL database needs its `-shm` file; in a read-only folder it cannot be
            // created, so read the file as immutable (nobody can write there either).
            Err(_) => {
                let abs = std::path::absolute(path)
                    .with_context(|| format!("cannot open database {}", path.display()))?;
                let uri = url::Url::from_file_path(&abs)
                    .map(|u| format!("{u}?immutable=1"))
                    .map_err(|_| anyhow!("cannot open database {}", path.display()))?;
                try_open(&uri).with_context(|| {
                    format!("cannot open database {} for reading", path.display())
                })?
            }
        };
        if (version.max(0) as usize) < MIGRATIONS.len() {
            drop(conn);
            return Store::open_with(path, busy_timeout);
        }
        if version as usize > MIGRATIONS.len() {
            bail!(
                "database {}: the schema (version {version}) is newer than this program knows ({}); upgrade narisumashi",
                path.display(),
                MIGRATIONS.len()
            );
        }
        register_functions(&conn)?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            read_only: true,
        })
    }

    /// Opens for writing when possible, else for reading (offline `check`, whose only write
    /// is the avatar-hash cache).
    pub fn open_preferring_write(path: &Path, busy_timeout: Duration) -> Result<Store> {
        match Store::open_with(path, busy_timeout) {
            Ok(s) => Ok(s),
            Err(e) => Store::open_read_only(path, busy_timeout).map_err(|_| e),
        }
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        register_functions(&conn)?;
        let mut store = Store {
            conn,
            path: None,
            read_only: false,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database file, if not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let version = version.max(0) as usize;
        if version > MIGRATIONS.len() {
            bail!(
                "the database schema (version {version}) is newer than this program knows ({}); upgrade narisumashi",
                MIGRATIONS.len()
            );
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)
                .with_context(|| format!("schema migration {}", i + 1))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Records a whole scan in one transaction: either all of it lands or none.
    pub fn record_scan(
        &mut self,
        started_at: &str,
        finished_at: &str,
        candidates: usize,
        observations: &[Observation],
        errors: &[String],
    ) -> Result<RecordedScan> {
        let mut w = self.begin_scan(started_at)?;
        w.record(finished_at, observations)?;
        w.finish(finished_at, candidates, errors)
    }

    /// Starts recording a scan whose observations arrive in batches ([`ScanWriter::record`]).
    /// Everything goes into one transaction, committed by [`ScanWriter::finish`]; a writer
    /// dropped before that rolls all of it back.
    pub fn begin_scan(&mut self, started_at: &str) -> Result<ScanWriter<'_>> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO scans (started_at, finished_at, candidates, suspects, errors) VALUES (?1, ?1, 0, 0, '[]')",
            params![started_at],
        )?;
        let scan_id = tx.last_insert_rowid();
        Ok(ScanWriter {
            tx,
            scan_id,
            suspects: Vec::new(),
        })
    }

    /// The (platform, handle key) of every account ever recorded as a suspect: the accounts
    /// whose avatar bytes a scan must keep even when they no longer look suspect.
    pub fn suspect_keys(&self) -> Result<std::collections::HashSet<(Platform, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT platform, handle_key FROM suspects")?;
        let rows = stmt.query_map([], |r| Ok((platform_of(r.get(0)?)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Suspects, optionally of one status, highest score first.
    pub fn suspects(&self, status: Option<Status>) -> Result<Vec<SuspectRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUSPECT_COLUMNS} FROM suspects WHERE (?1 IS NULL OR status = ?1) ORDER BY score DESC, id"
        ))?;
        let rows = stmt.query_map(params![status.map(|s| s.as_str())], suspect_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One suspect by id.
    pub fn suspect(&self, id: i64) -> Result<SuspectRecord> {
        self.find_suspect(id)?
            .ok_or_else(|| crate::errors::refused(format!("no suspect with id {id}")))
    }

    /// One suspect by id, `None` when there is none.
    pub fn find_suspect(&self, id: i64) -> Result<Option<SuspectRecord>> {
        self.conn
            .query_row(
                &format!("SELECT {SUSPECT_COLUMNS} FROM suspects WHERE id = ?1"),
                [id],
                suspect_from_row,
            )
            .optional()
            .with_context(|| format!("cannot read suspect {id}"))
    }

    /// Changes a suspect's status, refusing transitions the workflow does not allow, and
    /// writes the change to the audit log. Compare-and-set (see [`Store::set_status_from`]):
    /// of a `confirm` and a `dismiss` started at the same moment on one suspect, exactly one
    /// succeeds.
    pub fn set_status(
        &self,
        id: i64,
        to: Status,
        actor: &str,
        note: Option<&str>,
        at: &str,
    ) -> Result<SuspectRecord> {
        let seen = self.suspect(id)?.status;
        self.set_status_from(id, seen, to, actor, note, at)
    }

    /// Changes a suspect's status from `seen` (what the caller decided on) to `to`, under the
    /// write lock; when the status is no longer `seen` the change is refused, not applied on
    /// top of someone else's.
    pub fn set_status_from(
        &self,
        id: i64,
        seen: Status,
        to: Status,
        actor: &str,
        note: Option<&str>,
        at: &str,
    ) -> Result<SuspectRecord> {
        if !seen.can_become(to) {
            return Err(crate::errors::refused(format!(
                "suspect {id} is {seen}; it cannot become {to} (allowed: {})",
                seen.next_allowed()
            )));
        }
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE suspects SET status = ?1, status_changed_at = ?2, gone_streak = 0 WHERE id = ?3 AND status = ?4",
            params![to.as_str(), at, id, seen.as_str()],
        )?;
        if changed != 1 {
            let now = suspect_in(&tx, id)?.status;
            return Err(crate::errors::refused(format!(
                "suspect {id} became {now} while this command ran (it was {seen}); nothing changed, look again and retry"
            )));
        }
        tx.execute(
            "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, at, actor, seen.as_str(), to.as_str(), note],
        )?;
        tx.commit()?;
        self.suspect(id)
    }

    /// A suspect's history, oldest first.
    pub fn events(&self, id: i64) -> Result<Vec<SuspectEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, actor, from_status, to_status, note, kind FROM suspect_events WHERE suspect_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let from: Option<String> = r.get(2)?;
            let to: String = r.get(3)?;
            Ok(SuspectEvent {
                at: r.get(0)?,
                actor: r.get(1)?,
                from_status: from.map(|s| status_of(2, s)).transpose()?,
                to_status: status_of(3, to)?,
                note: r.get(4)?,
                kind: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The number of scans recorded.
    pub fn scan_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM scans", [], |r| r.get(0))?)
    }

    /// A cached avatar hash by the SHA-256 of the image bytes.
    pub fn cached_avatar_hash(&self, sha256: &str) -> Result<Option<AvatarHash>> {
        cached_avatar_hash(&self.conn, sha256)
    }

    /// Stores an avatar hash in the cache.
    pub fn cache_avatar_hash(&self, sha256: &str, h: &AvatarHash, at: &str) -> Result<()> {
        cache_avatar_hash(&self.conn, sha256, h, at)
    }

    /// Direct access for modules that extend the store in their own files.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A scan being recorded in one transaction (see [`Store::begin_scan`]).
pub struct ScanWriter<'a> {
    tx: Transaction<'a>,
    scan_id: i64,
    suspects: Vec<(i64, bool)>,
}

impl ScanWriter<'_> {
    pub fn scan_id(&self) -> i64 {
        self.scan_id
    }

    /// Records a batch of observations at time `now`; returns, per flagged observation of the
    /// batch, its suspect id and whether it is new.
    pub fn record(&mut self, now: &str, observations: &[Observation]) -> Result<Vec<(i64, bool)>> {
        let mut out = Vec::new();
        for o in observations {
            insert_observation(&self.tx, self.scan_id, o)?;
            if o.assessment.verdict == crate::model::VerdictKind::Suspect {
                out.push(upsert_suspect(&self.tx, self.scan_id, now, o)?);
            } else if let Some(id) = suspect_id(&self.tx, o)? {
                // An account recorded earlier that no longer looks suspect (a confirmed
                // impostor changing its disguise): its profile is still evidence.
                review::keep_evidence(&self.tx, id, self.scan_id, now, o)?;
            }
        }
        self.suspects.extend(&out);
        Ok(out)
    }

    /// A cached avatar hash, read inside the scan's transaction.
    pub fn cached_avatar_hash(&self, sha256: &str) -> Result<Option<AvatarHash>> {
        cached_avatar_hash(&self.tx, sha256)
    }

    /// Caches an avatar hash inside the scan's transaction.
    pub fn cache_avatar_hash(&self, sha256: &str, h: &AvatarHash, at: &str) -> Result<()> {
        cache_avatar_hash(&self.tx, sha256, h, at)
    }

    /// The open transaction, for modules that add their own rows to a scan.
    pub fn transaction(&self) -> &Transaction<'_> {
        &self.tx
    }

    /// Completes the scan's row and commits everything.
    pub fn finish(
        self,
        finished_at: &str,
        candidates: usize,
        errors: &[String],
    ) -> Result<RecordedScan> {
        self.tx.execute(
            "UPDATE scans SET finished_at = ?1, candidates = ?2, suspects = ?3, errors = ?4 WHERE id = ?5",
            params![
                finished_at,
                candidates as i64,
                self.suspects.len() as i64,
                serde_json::to_string(errors)?,
                self.scan_id
            ],
        )?;
        self.tx.commit()?;
        Ok(RecordedScan {
            scan_id: self.scan_id,
            suspects: self.suspects,
        })
    }
}

fn cached_avatar_hash(conn: &Connection, sha256: &str) -> Result<Option<AvatarHash>> {
    Ok(conn
            .prepare_cached(
                "SELECT lightness, lightness_c88, lightness_c64, luma, information, gradient, gradient_mirrored, fine FROM avatar_hashes WHERE sha256 = ?1 AND algorithm = ?2")?
            .query_row(
                params![sha256, AVATAR_HASH_ALGORITHM],
                |r| {
                    Ok(AvatarHash {
                        lightness: r.get::<_, i64>(0)? as u64,
                        lightness_c88: r.get::<_, i64>(1)? as u64,
                        lightness_c64: r.get::<_, i64>(2)? as u64,
                        luma: r.get::<_, i64>(3)? as u64,
                        information: r.get(4)?,
                        gradient: r.get::<_, i64>(5)? as u64,
                        gradient_mirrored: r.get::<_, i64>(6)? as u64,
                        fine: Default::default(),
                        colour: [0; 3],
                        centre_colour: [0; 3],
                        local: None,
                        outline: None,
                        fine_whole: None,
                    }
                    .with_fine_bytes(&r.get::<_, Option<Vec<u8>>>(7)?.unwrap_or_default()))
                },
            )
        .optional()?)
}

fn cache_avatar_hash(conn: &Connection, sha256: &str, h: &AvatarHash, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO avatar_hashes (sha256, algorithm, lightness, lightness_c88, lightness_c64, luma, information, computed_at, gradient, gradient_mirrored, fine) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![sha256, AVATAR_HASH_ALGORITHM, h.lightness as i64, h.lightness_c88 as i64, h.lightness_c64 as i64, h.luma as i64, h.information, at, h.gradient as i64, h.gradient_mirrored as i64, h.fine_bytes()])?;
    Ok(())
}

const SUSPECT_COLUMNS: &str = "id, platform, handle, display_name, bio, url, avatar, status, score, matched_platform, matched_handle, signals, reasons, first_seen, last_seen, status_changed_at, description, approved_at, approved_by, approval_note";

fn suspect_from_row(r: &rusqlite::Row) -> rusqlite::Result<SuspectRecord> {
    let matched_platform: Option<String> = r.get(9)?;
    let matched_handle: Option<String> = r.get(10)?;
    let matched = match (matched_platform, matched_handle) {
        (Some(p), Some(h)) => Some(MatchedAccount {
            platform: platform_of(p)?,
            handle: h,
        }),
        _ => None,
    };
    let signals: String = r.get(11)?;
    let reasons: String = r.get(12)?;
    let status: String = r.get(7)?;
    Ok(SuspectRecord {
        id: r.get(0)?,
        platform: platform_of(r.get(1)?)?,
        handle: r.get(2)?,
        display_name: r.get(3)?,
        bio: r.get(4)?,
        url: r.get(5)?,
        avatar: r.get(6)?,
        status: status_of(7, status)?,
        score: r.get(8)?,
        matched,
        signals: json_of(11, &signals)?,
        reasons: crate::detect::reason::parse_stored(&reasons),
        first_seen: r.get(13)?,
        last_seen: r.get(14)?,
        status_changed_at: r.get(15)?,
        description: r.get(16)?,
        approval: approval::from_columns(r.get(17)?, r.get(18)?, r.get(19)?),
    })
}

fn insert_observation(tx: &Transaction, scan_id: i64, o: &Observation) -> Result<()> {
    let p = &o.candidate.profile;
    tx.prepare_cached(
        "INSERT INTO observations (scan_id, platform, handle, display_name, bio, url, avatar, avatar_phash, platform_id, source, verdict, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(
        params![
            scan_id,
            o.candidate.platform.as_str(),
            p.handle,
            p.display_name,
            p.bio,
            p.url,
            p.avatar,
            o.avatar.as_ref().map(|a| a.lightness as i64),
            p.id,
            o.candidate.source,
            o.assessment.verdict.as_str(),
            o.assessment.score,
        ],
    )?;
    Ok(())
}

/// The id of the suspect row of an observed account, if it was ever recorded.
fn suspect_id(tx: &Transaction, o: &Observation) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT id FROM suspects WHERE platform = ?1 AND handle_key = ?2")?
        .query_row(
            params![
                o.candidate.platform.as_str(),
                canonical_handle(&o.candidate.profile.handle)
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Inserts or refreshes the one row of a flagged account; returns (id, newly recorded).
fn upsert_suspect(
    tx: &Transaction,
    scan_id: i64,
    now: &str,
    o: &Observation,
) -> Result<(i64, bool)> {
    let c = o.candidate;
    let a = o.assessment;
    let key = canonical_handle(&c.profile.handle);
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM suspects WHERE platform = ?1 AND handle_key = ?2")?
        .query_row(params![c.platform.as_str(), key], |r| r.get(0))
        .optional()?;
    let signals = serde_json::to_string(&a.signals)?;
    // The typed reasons (older rows hold English strings; see `reason::parse_stored`).
    let reasons = serde_json::to_string(&a.reason_codes)?;
    let (mp, mh) = match &a.matched {
        Some(m) => (Some(m.platform.as_str()), Some(m.handle.as_str())),
        None => (None, None),
    };
    let p = &c.profile;
    match existing {
        Some(id) => {
            review::reopen_if_changed(tx, id, now, o)?;
            tx.prepare_cached(
                "UPDATE suspects SET handle = ?1, display_name = ?2, bio = ?3, url = ?4, avatar = ?5, avatar_phash = COALESCE(?6, avatar_phash), score = ?7, matched_platform = ?8, matched_handle = ?9, signals = ?10, reasons = ?11, last_seen = ?12, last_scan = ?13 WHERE id = ?14",
            )?
            .execute(
                params![p.handle, p.display_name, p.bio, p.url, p.avatar, o.avatar.as_ref().map(|h| h.lightness as i64), a.score, mp, mh, signals, reasons, now, scan_id, id],
            )?;
            review::keep_evidence(tx, id, scan_id, now, o)?;
            Ok((id, false))
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO suspects (platform, handle, handle_key, display_name, bio, url, avatar, avatar_phash, status, score, matched_platform, matched_handle, signals, reasons, first_seen, last_seen, first_scan, last_scan, status_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'new', ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?15, ?14)",
            )?
            .execute(
                params![c.platform.as_str(), p.handle, key, p.display_name, p.bio, p.url, p.avatar, o.avatar.as_ref().map(|h| h.lightness as i64), a.score, mp, mh, signals, reasons, now, scan_id],
            )?;
            let id = tx.last_insert_rowid();
            tx.prepare_cached(
                "INSERT INTO suspect_events (suspect_id, at, actor, from_status, to_status, note) VALUES (?1, ?2, 'narisumashi scan', NULL, 'new', ?3)",
            )?
            .execute(
                params![id, now, a.reasons.join("; ")],
            )?;
            review::keep_evidence(tx, id, scan_id, now, o)?;
            Ok((id, true))
        }
    }
}

#[cfg(test)]
mod tests;
