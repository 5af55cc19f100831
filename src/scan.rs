//! A scan, as cron runs it: discover candidates from every source, score each once against the
//! whole registry, and record the scan and its suspects in one transaction.
//!
//! Candidates stream through in bounded batches ([`BATCH`]): read (candidates files are read
//! line by line on a blocking thread, never whole) → load avatars (bounded concurrency) →
//! hash (both cores, rayon, avatar-hash cache by content) → score (rayon) → record (batched
//! into the scan's one transaction). A batch's avatar bytes are dropped as soon as it is
//! scored, except for the accounts whose evidence is kept (suspects, and accounts recorded
//! before). What a scan holds is one batch, a key per candidate for deduplication, and the
//! suspects it reports, whatever the size of its input.

use crate::avatar;
use crate::config::Config;
use crate::detect::reason::Reason;
use crate::detect::score::CandidateView;
use crate::detect::{AvatarHash, Detector, OfficialFeatures};
use crate::model::{
    canonical_handle, Assessment, Candidate, MatchedAccount, Platform, Signals, VerdictKind,
};
use crate::render::reasons;
use crate::sources::{self, DiscoveryPlan, Lookup};
use crate::store::{Observation, Presence, PresenceOutcome, Store};
use crate::wareki;
use anyhow::Result;
use futures::stream::{self, StreamExt};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Candidates per batch of the scan pipeline.
pub const BATCH: usize = 512;
/// Most avatar downloads or reads at once, whatever `avatar_concurrency` says.
pub const MAX_AVATAR_CONCURRENCY: usize = 64;

/// Everything a command needs, built once.
pub struct Context {
    pub config: Config,
    pub store: Store,
    pub client: reqwest::Client,
}

impl Context {
    pub fn new(config: Config, store: Store) -> Self {
        let client = crate::http::client(&config.network);
        Context {
            config,
            store,
            client,
        }
    }
}

/// One flagged candidate in the scan's JSON.
#[derive(Clone, Debug, Serialize)]
pub struct ScanSuspect {
    pub platform: Platform,
    pub handle: String,
    pub display_name: Option<String>,
    pub score: f64,
    pub matched: Option<MatchedAccount>,
    pub signals: Signals,
    pub reasons: Vec<String>,
    /// The typed reasons behind `reasons` (issue 10).
    pub reason_codes: Vec<Reason>,
    pub new: bool,
}

/// What `scan --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct ScanReport {
    pub scan_id: i64,
    pub started_at: String,
    pub candidates: usize,
    pub suspects: Vec<ScanSuspect>,
    pub errors: Vec<String>,
    /// Impostors this scan marked removed (not part of the JSON interface of issue 2).
    #[serde(skip)]
    pub removals: Vec<Removal>,
}

/// An impostor a scan found gone from its platform and marked removed.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    pub id: i64,
    pub platform: Platform,
    pub handle: String,
}

/// SHA-256 of some bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Loads and hashes one avatar, using and filling the hash cache of the store.
pub async fn avatar_hash(ctx: &Context, reference: &str) -> Result<AvatarHash> {
    Ok(avatar_hash_and_bytes(ctx, reference).await?.0)
}

/// Like [`avatar_hash`], also returning the bytes (kept as evidence for flagged accounts).
pub async fn avatar_hash_and_bytes(
    ctx: &Context,
    reference: &str,
) -> Result<(AvatarHash, Vec<u8>)> {
    let bytes = avatar::load(&ctx.client, &ctx.config.network, reference).await?;
    let sha = sha256_hex(&bytes);
    if let Some(h) = ctx.store.cached_avatar_hash(&sha)? {
        return Ok((h, bytes));
    }
    let (h, bytes) =
        tokio::task::spawn_blocking(move || avatar::hash_bytes(&bytes).map(|h| (h, bytes)))
            .await??;
    // The cache is only a cache: failing to write it (another process holds the write lock
    // for longer than the busy timeout, a read-only database) never drops the hash (issue 8).
    if let Err(e) = ctx.store.cache_avatar_hash(&sha, &h, &wareki::now()) {
        tracing::warn!("avatar-hash cache not updated: {e:#}");
    }
    Ok((h, bytes))
}

/// Builds the detector, hashing official avatars (cached by content in the database). The
/// official avatars' views and their calibration against the background corpus, the costly
/// part of a registry of hundreds of accounts, are computed on every core.
pub async fn detector(ctx: &Context, errors: &mut Vec<String>) -> Detector {
    let mut loaded = Vec::with_capacity(ctx.config.official.len());
    for o in &ctx.config.official {
        loaded.push(match &o.avatar {
            Some(a) => match avatar_hash_and_bytes(ctx, &ctx.config.resolve_avatar(a)).await {
                Ok(loaded) => Some(loaded),
                Err(e) => {
                    errors.push(format!("avatar of official @{}: {e:#}", o.handle));
                    None
                }
            },
            None => None,
        });
    }
    let accounts = ctx.config.official.clone();
    let officials = tokio::task::spawn_blocking(move || {
        accounts
            .into_par_iter()
            .zip(loaded)
            .map(|(o, loaded)| match loaded {
                // The official avatar's views (rotated, cropped, grey), computed once per run.
                Some((hash, bytes)) => avatar::official_features(o.clone(), hash.clone(), &bytes)
                    .unwrap_or_else(|_| OfficialFeatures::new(o, Some(hash))),
                None => OfficialFeatures::new(o, None),
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    Detector::new(
        officials,
        ctx.config.detection.clone(),
        &ctx.config.organization.name,
    )
}

/// Whole days from an RFC 3339 creation time to now (`None` if unreadable or in the future).
fn age_days(created_at: &str) -> Option<u32> {
    let at = chrono::DateTime::parse_from_rfc3339(created_at).ok()?;
    let days = (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_days();
    u32::try_from(days).ok()
}

/// Assesses one candidate, applying the allow-list.
pub fn assess(
    config: &Config,
    detector: &Detector,
    c: &Candidate,
    avatar: Option<AvatarHash>,
) -> Assessment {
    let p = &c.profile;
    let mut a = detector.assess(
        c.platform,
        &CandidateView {
            handle: &p.handle,
            display_name: p.display_name.as_deref(),
            bio: p.bio.as_deref(),
            avatar,
            age_days: p.created_at.as_deref().and_then(age_days),
            posts: p.posts_count,
            followers: p.followers_count,
            verified: p.verified,
        },
    );
    if a.verdict == VerdictKind::Suspect {
        if let Some(entry) = config.is_allowed(c.platform, &p.handle) {
            a.verdict = VerdictKind::Clear;
            a.reason_codes.push(Reason::AllowListed {
                note: entry.note.clone(),
            });
        }
    }
    // The typed reasons, in English for the JSON `reasons` and the command line.
    a.reasons = reasons::en_all(&a.reason_codes);
    a
}

/// Merges candidates seen by several sources or queries: one per platform and handle, the
/// first sighting's fields completed by later ones.
pub fn dedupe(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut index: HashMap<(Platform, String), usize> = HashMap::new();
    let mut out: Vec<Candidate> = Vec::new();
    for c in candidates {
        let key = (c.platform, canonical_handle(&c.profile.handle));
        match index.get(&key) {
            Some(&i) => merge_into(&mut out[i], c),
            None => {
                index.insert(key, out.len());
                out.push(c);
            }
        }
    }
    out
}

/// Completes a candidate's missing fields from a later sighting of the same account.
fn merge_into(first: &mut Candidate, later: Candidate) {
    let p = &mut first.profile;
    let q = later.profile;
    p.display_name = p.display_name.take().or(q.display_name);
    p.avatar = p.avatar.take().or(q.avatar);
    p.bio = p.bio.take().or(q.bio);
    p.url = p.url.take().or(q.url);
    p.id = p.id.take().or(q.id);
}

/// The deduplication key of a candidate, hashed (8 bytes per candidate in a scan).
fn key_hash(platform: Platform, canonical: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    platform.as_str().hash(&mut h);
    canonical.hash(&mut h);
    h.finish()
}

/// [`dedupe`] for a stream: knowing beforehand how often each key occurs (a first pass over
/// the keys), a candidate seen once passes straight through, and one seen several times is
/// held until its last sighting and then passes, merged like [`dedupe`] merges. Only
/// duplicated accounts are ever held.
pub struct StreamDedupe {
    /// Sightings expected of each key hash that occurs more than once.
    expected: HashMap<u64, u32>,
    /// Held candidates: (first sighting's order, merged candidate, sightings so far).
    held: HashMap<(Platform, String), (usize, Candidate, u32)>,
    order: usize,
}

impl StreamDedupe {
    /// From the key hashes of every sighting, in any order.
    pub fn new(mut keys: Vec<u64>) -> Self {
        keys.sort_unstable();
        let mut expected = HashMap::new();
        for run in keys.chunk_by(|a, b| a == b) {
            if run.len() > 1 {
                expected.insert(run[0], run.len() as u32);
            }
        }
        StreamDedupe {
            expected,
            held: HashMap::new(),
            order: 0,
        }
    }

    /// The number of distinct accounts among `keys`.
    pub fn distinct(keys: &[u64]) -> usize {
        let mut k = keys.to_vec();
        k.sort_unstable();
        k.dedup();
        k.len()
    }

    /// Takes one sighting; returns the candidate when it is ready to be scored.
    pub fn admit(&mut self, c: Candidate) -> Option<Candidate> {
        let canonical = canonical_handle(&c.profile.handle);
        let Some(&expected) = self.expected.get(&key_hash(c.platform, &canonical)) else {
            return Some(c);
        };
        self.order += 1;
        let key = (c.platform, canonical);
        let entry = match self.held.get_mut(&key) {
            Some(e) => {
                merge_into(&mut e.1, c);
                e.2 += 1;
                e
            }
            None => {
                if expected <= 1 {
                    return Some(c);
                }
                self.held.insert(key, (self.order, c, 1));
                return None;
            }
        };
        if entry.2 >= expected {
            let key = (entry.1.platform, canonical_handle(&entry.1.profile.handle));
            return self.held.remove(&key).map(|e| e.1);
        }
        None
    }

    /// What is still held (sightings fewer than counted, or two keys sharing a hash), in the
    /// order first seen.
    pub fn rest(self) -> Vec<Candidate> {
        let mut held: Vec<(usize, Candidate)> =
            self.held.into_values().map(|(o, c, _)| (o, c)).collect();
        held.sort_by_key(|h| h.0);
        held.into_iter().map(|h| h.1).collect()
    }
}

/// Where one source's candidates come from in a scan.
enum Feed {
    /// Already discovered (platform sources).
    Collected(Vec<Candidate>),
    /// A candidates file, read as a stream.
    File(sources::file::FileSource),
}

/// What the reading thread sends the pipeline.
enum Fed {
    /// How many distinct candidates are coming.
    Total(usize),
    /// A batch of candidates, and the lines skipped while reading it.
    Batch(Vec<Candidate>, Vec<String>),
}

/// Reads every feed twice on a blocking thread: once for the deduplication keys, then in
/// batches, sent through a channel of two batches (so reading runs ahead of scoring by at
/// most that much).
fn read_feeds(feeds: Vec<Feed>, tx: tokio::sync::mpsc::Sender<Fed>) {
    let key_of = |c: &Candidate| key_hash(c.platform, &canonical_handle(&c.profile.handle));
    let mut keys = Vec::new();
    for f in &feeds {
        match f {
            Feed::Collected(v) => keys.extend(v.iter().map(key_of)),
            Feed::File(file) => {
                if let Ok(lines) = file.lines() {
                    keys.extend(lines.flatten().map(|c| key_of(&c)));
                }
            }
        }
    }
    if tx
        .blocking_send(Fed::Total(StreamDedupe::distinct(&keys)))
        .is_err()
    {
        return;
    }
    let mut dedupe = StreamDedupe::new(keys);
    let mut batch = Vec::with_capacity(BATCH);
    let mut errors = Vec::new();
    let send = |batch: &mut Vec<Candidate>, errors: &mut Vec<String>, force: bool| {
        if batch.len() >= BATCH || (force && !(batch.is_empty() && errors.is_empty())) {
            let b = std::mem::replace(batch, Vec::with_capacity(BATCH));
            tx.blocking_send(Fed::Batch(b, std::mem::take(errors)))
                .is_ok()
        } else {
            true
        }
    };
    for f in feeds {
        let items: Box<dyn Iterator<Item = Result<Candidate, String>>> = match f {
            Feed::Collected(v) => Box::new(v.into_iter().map(Ok)),
            Feed::File(file) => match file.lines() {
                Ok(lines) => Box::new(lines),
                Err(e) => Box::new(std::iter::once(Err(file.open_error(&e)))),
            },
        };
        for item in items {
            match item {
                Ok(c) => {
                    if let Some(c) = dedupe.admit(c) {
                        batch.push(c);
                    }
                }
                Err(e) => errors.push(e),
            }
            if !send(&mut batch, &mut errors, false) {
                return;
            }
        }
    }
    for c in dedupe.rest() {
        batch.push(c);
        if !send(&mut batch, &mut errors, false) {
            return;
        }
    }
    send(&mut batch, &mut errors, true);
}

/// A batch's avatars: bytes per candidate (`None` without an avatar), or why they could not
/// be loaded.
type Loaded = Vec<Option<Result<Vec<u8>>>>;

/// Loads a batch's avatars: local files on one blocking thread for the whole batch (one
/// hand-off instead of one per file), URLs with bounded concurrency.
async fn load_avatars(client: &reqwest::Client, config: &Config, batch: &[Candidate]) -> Loaded {
    let limit = config
        .network
        .avatar_concurrency
        .clamp(1, MAX_AVATAR_CONCURRENCY);
    let mut out: Vec<Option<Result<Vec<u8>>>> = (0..batch.len()).map(|_| None).collect();
    type Refs<'a> = Vec<(usize, &'a String)>;
    let (urls, files): (Refs, Refs) = batch
        .iter()
        .enumerate()
        .filter_map(
            |(i, c)| match (&c.profile.avatar, c.profile.default_avatar) {
                (Some(a), false) => Some((i, a)),
                _ => None,
            },
        )
        .partition(|(_, a)| crate::config::is_url(a));
    // What `avatar::load` does for a local path, for every file of the batch in turn.
    let files: Vec<(usize, std::path::PathBuf)> = files
        .into_iter()
        .map(|(i, a)| (i, std::path::PathBuf::from(a)))
        .collect();
    let max_bytes = config.network.max_avatar_bytes;
    let read = async move {
        if files.is_empty() {
            return Vec::new();
        }
        tokio::task::spawn_blocking(move || {
            files
                .into_iter()
                .map(|(i, path)| (i, avatar::read_file(&path, max_bytes)))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    };
    let downloaded = stream::iter(urls)
        .map(|(i, a)| async move { (i, avatar::load(client, &config.network, a).await) })
        .buffer_unordered(limit)
        .collect::<Vec<(usize, Result<Vec<u8>>)>>();
    let (read, downloaded) = tokio::join!(read, downloaded);
    for (i, r) in read.into_iter().chain(downloaded) {
        out[i] = Some(r);
    }
    out
}

/// One candidate after hashing and scoring.
struct Scored {
    assessment: Assessment,
    avatar: Option<AvatarHash>,
    /// A hash computed now (not from the cache), to cache: (sha256, hash).
    fresh: Option<(String, AvatarHash)>,
    error: Option<String>,
}

/// Hashes (what the cache did not have) and scores a batch on every core.
fn hash_and_score(
    config: &Config,
    detector: &Detector,
    batch: &[Candidate],
    bytes: &[Option<Vec<u8>>],
    shas: &[Option<String>],
    cached: &[Option<AvatarHash>],
) -> Vec<Scored> {
    // The first candidate of the batch with each uncached picture hashes it; the others
    // reuse that hash.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, sha) in shas.iter().enumerate() {
        if let (Some(sha), None) = (sha, &cached[i]) {
            first.entry(sha.as_str()).or_insert(i);
        }
    }
    let owners: HashSet<usize> = first.values().copied().collect();
    let score = |c: &Candidate, avatar: Option<AvatarHash>, fresh, error| Scored {
        assessment: assess(config, detector, c, avatar.clone()),
        avatar,
        fresh,
        error,
    };
    // Candidates whose avatar is known without hashing (cached, or none) are scored while the
    // new pictures are hashed, so that neither core waits for the other's last picture.
    let (hashed, mut scored): (Vec<Option<Result<AvatarHash>>>, Vec<Option<Scored>>) = rayon::join(
        || {
            (0..batch.len())
                .into_par_iter()
                .map(|i| match (&bytes[i], owners.contains(&i)) {
                    (Some(b), true) => Some(avatar::hash_bytes(b)),
                    _ => None,
                })
                .collect()
        },
        || {
            (0..batch.len())
                .into_par_iter()
                .map(|i| match (&shas[i], &cached[i]) {
                    (_, Some(h)) => Some(score(&batch[i], Some(h.clone()), None, None)),
                    (None, None) => Some(score(&batch[i], None, None, None)),
                    (Some(_), None) => None,
                })
                .collect()
        },
    );
    scored
        .par_iter_mut()
        .enumerate()
        .map(|(i, early)| {
            if let Some(s) = early.take() {
                return s;
            }
            let c = &batch[i];
            let sha = shas[i].as_deref().unwrap_or_default();
            match &hashed[first[sha]] {
                Some(Ok(h)) => {
                    let fresh = (first[sha] == i).then(|| (sha.to_string(), h.clone()));
                    score(c, Some(h.clone()), fresh, None)
                }
                Some(Err(e)) => {
                    let error = format!("avatar of {} @{}: {e:#}", c.platform, c.profile.handle);
                    score(c, None, None, Some(error))
                }
                None => score(c, None, None, None),
            }
        })
        .collect()
}

/// A batch read and its avatars loaded, waiting to be hashed and scored.
struct Ready {
    batch: Vec<Candidate>,
    loaded: Loaded,
    /// SHA-256 of each loaded avatar (computed while loading, on every core).
    shas: Vec<Option<String>>,
    /// The lines skipped while reading the batch.
    read_errors: Vec<String>,
}

/// A batch hashed and scored: its candidates, avatar bytes and results.
type Computed = (Vec<Candidate>, Vec<Option<Vec<u8>>>, Vec<Scored>);

/// A batch being hashed and scored on every core while the previous one is recorded.
struct InFlight {
    work: tokio::task::JoinHandle<Computed>,
    /// The batch's reading and loading errors, reported when it is recorded (in the order a
    /// batch at a time would report them).
    errors: Vec<String>,
}

/// A loaded batch whose avatar-hash cache entries have been read ([`Pipeline::prepare`]).
struct Pending {
    batch: Vec<Candidate>,
    bytes: Vec<Option<Vec<u8>>>,
    shas: Vec<Option<String>>,
    cached: Vec<Option<AvatarHash>>,
    errors: Vec<String>,
}

impl Pending {
    /// What the cache holds once the batch before this one has cached the hashes it computed
    /// (`scored`): the same hashes, taken from memory.
    fn add_fresh(&mut self, scored: &[Scored]) {
        let fresh: HashMap<&str, &AvatarHash> = scored
            .iter()
            .filter_map(|s| s.fresh.as_ref().map(|(sha, h)| (sha.as_str(), h)))
            .collect();
        if fresh.is_empty() {
            return;
        }
        for (sha, cached) in self.shas.iter().zip(&mut self.cached) {
            if let (Some(sha), None) = (sha, &cached) {
                *cached = fresh.get(sha.as_str()).map(|h| (*h).clone());
            }
        }
    }
}

/// Reads the next batch from the reading thread and loads its avatars (`None` at the end).
async fn next_ready(
    rx: &mut tokio::sync::mpsc::Receiver<Fed>,
    progress: &mut Option<sources::progress::Progress>,
    client: &reqwest::Client,
    config: &Config,
) -> Option<Ready> {
    loop {
        match rx.recv().await {
            Some(Fed::Total(n)) => {
                *progress = Some(sources::progress::Progress::new(n, "candidates"))
            }
            Some(Fed::Batch(batch, read_errors)) => {
                let loaded = load_avatars(client, config, &batch).await;
                let (loaded, shas) = tokio::task::spawn_blocking(move || {
                    let shas: Vec<Option<String>> = loaded
                        .par_iter()
                        .map(|r| match r {
                            Some(Ok(b)) => Some(sha256_hex(b)),
                            _ => None,
                        })
                        .collect();
                    (loaded, shas)
                })
                .await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
                return Some(Ready {
                    batch,
                    loaded,
                    shas,
                    read_errors,
                });
            }
            None => return None,
        }
    }
}

/// What the pipeline keeps across batches.
struct Pipeline {
    config: Arc<Config>,
    detector: Arc<Detector>,
    /// Accounts recorded as suspects before: their avatar bytes are evidence.
    known: HashSet<(Platform, String)>,
    candidates: usize,
    suspects: Vec<ScanSuspect>,
}

impl Pipeline {
    /// Reads the avatar-hash cache for a loaded batch, while the batch before it is still
    /// being hashed and scored: what that batch computes is added when it is done
    /// ([`Pending::add_fresh`]), so the batch sees every hash recorded before it.
    fn prepare(&self, writer: &crate::store::ScanWriter<'_>, ready: Ready) -> Result<Pending> {
        let Ready {
            batch,
            loaded,
            shas,
            read_errors: mut errors,
        } = ready;
        let mut bytes: Vec<Option<Vec<u8>>> = Vec::with_capacity(batch.len());
        for (c, r) in batch.iter().zip(loaded) {
            bytes.push(match r {
                Some(Ok(b)) => Some(b),
                Some(Err(e)) => {
                    errors.push(format!(
                        "avatar of {} @{}: {e:#}",
                        c.platform, c.profile.handle
                    ));
                    None
                }
                None => None,
            });
        }
        let mut cached = Vec::with_capacity(batch.len());
        for sha in &shas {
            cached.push(match sha {
                Some(sha) => writer.cached_avatar_hash(sha)?,
                None => None,
            });
        }
        Ok(Pending {
            batch,
            bytes,
            shas,
            cached,
            errors,
        })
    }

    /// Starts hashing (what the cache did not have) and scoring a prepared batch on every
    /// core.
    fn start(&self, pending: Pending) -> InFlight {
        let Pending {
            batch,
            bytes,
            shas,
            cached,
            errors,
        } = pending;
        let (config, detector) = (self.config.clone(), self.detector.clone());
        let work = tokio::task::spawn_blocking(move || {
            let scored = hash_and_score(&config, &detector, &batch, &bytes, &shas, &cached);
            (batch, bytes, scored)
        });
        InFlight { work, errors }
    }

    /// Caches the hashes a batch computed (before the next batch reads the cache).
    fn cache_fresh(
        writer: &crate::store::ScanWriter<'_>,
        scored: &[Scored],
        now: &str,
    ) -> Result<()> {
        for s in scored {
            if let Some((sha, h)) = &s.fresh {
                writer.cache_avatar_hash(sha, h, now)?;
            }
        }
        Ok(())
    }

    /// Records a hashed and scored batch into the scan's transaction.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        writer: &mut crate::store::ScanWriter<'_>,
        now: &str,
        batch: Vec<Candidate>,
        mut bytes: Vec<Option<Vec<u8>>>,
        scored: Vec<Scored>,
        batch_errors: Vec<String>,
        errors: &mut Vec<String>,
    ) -> Result<()> {
        self.candidates += batch.len();
        errors.extend(batch_errors);
        for (i, s) in scored.iter().enumerate() {
            if let Some(e) = &s.error {
                errors.push(e.clone());
            }
            // Bytes are kept only where they become evidence.
            let c = &batch[i];
            let keep = s.assessment.verdict == VerdictKind::Suspect
                || (!self.known.is_empty()
                    && self
                        .known
                        .contains(&(c.platform, canonical_handle(&c.profile.handle))));
            if !keep || s.avatar.is_none() {
                bytes[i] = None;
            }
        }
        let observations: Vec<Observation> = batch
            .iter()
            .zip(&scored)
            .zip(&bytes)
            .map(|((c, s), b)| Observation {
                candidate: c,
                assessment: &s.assessment,
                avatar: s.avatar.clone(),
                avatar_bytes: b.as_deref(),
            })
            .collect();
        let recorded = writer.record(now, &observations)?;
        let flagged = observations
            .iter()
            .filter(|o| o.assessment.verdict == VerdictKind::Suspect);
        for (o, (_, new)) in flagged.zip(recorded) {
            self.suspects.push(ScanSuspect {
                platform: o.candidate.platform,
                handle: o.candidate.profile.handle.clone(),
                display_name: o.candidate.profile.display_name.clone(),
                score: o.assessment.score,
                matched: o.assessment.matched.clone(),
                signals: o.assessment.signals,
                reasons: o.assessment.reasons.clone(),
                reason_codes: o.assessment.reason_codes.clone(),
                new,
            });
        }
        Ok(())
    }
}

/// Runs a whole scan and records it.
pub async fn run(ctx: &mut Context) -> Result<ScanReport> {
    let started_at = wareki::now();
    let mut errors = Vec::new();
    let detector = detector(ctx, &mut errors).await;
    let (sources, build_errors) = sources::build(&ctx.config, &ctx.client);
    errors.extend(build_errors);

    let plan = DiscoveryPlan {
        officials: ctx.config.official.clone(),
        organization: ctx.config.organization.name.clone(),
    };
    // Platform sources discover concurrently; files are streamed later, in source order.
    let live: Vec<&Box<dyn sources::Source>> =
        sources.iter().filter(|s| s.as_file().is_none()).collect();
    let progress = sources::progress::Progress::new(live.len(), "sources");
    let discoveries = futures::future::join_all(live.iter().map(|s| {
        let (progress, plan) = (&progress, &plan);
        async move {
            let d = s.discover(plan).await;
            progress.inc();
            d
        }
    }))
    .await;
    progress.finish();
    let mut discoveries = discoveries.into_iter();
    let mut feeds = Vec::new();
    for s in &sources {
        match s.as_file() {
            Some(file) => feeds.push(Feed::File(file.clone())),
            None => {
                let d = discoveries.next().unwrap_or_default();
                errors.extend(d.errors);
                feeds.push(Feed::Collected(d.candidates));
            }
        }
    }

    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let reader = tokio::task::spawn_blocking(move || read_feeds(feeds, tx));
    let mut pipeline = Pipeline {
        config: Arc::new(ctx.config.clone()),
        detector: Arc::new(detector),
        known: ctx.store.suspect_keys()?,
        candidates: 0,
        suspects: Vec::new(),
    };
    let Context { store, client, .. } = ctx;
    let mut writer = store.begin_scan(&started_at)?;
    let mut progress = None;
    // Three batches in the pipeline at once: while one is recorded (this thread), the next
    // is hashed and scored (every core) and the one after that loads (downloads and file
    // reads overlap the CPU work).
    let config = pipeline.config.clone();
    let mut ready: Option<Ready> = None;
    let mut inflight: Option<InFlight> = None;
    let mut input_done = false;
    while !(input_done && ready.is_none() && inflight.is_none()) {
        let next = async {
            if input_done {
                return None;
            }
            next_ready(&mut rx, &mut progress, client, &config).await
        };
        let work = async {
            // The next batch reads the cache while this one is hashed and scored.
            let mut pending = ready
                .take()
                .map(|r| pipeline.prepare(&writer, r))
                .transpose()?;
            let finished = match inflight.take() {
                Some(f) => {
                    let (batch, bytes, scored) = f.work.await?;
                    let now = wareki::now();
                    Pipeline::cache_fresh(&writer, &scored, &now)?;
                    if let Some(p) = &mut pending {
                        p.add_fresh(&scored);
                    }
                    Some((batch, bytes, scored, f.errors, now))
                }
                None => None,
            };
            // The next batch starts before this one is recorded: its hashing and scoring
            // overlap the recording.
            if let Some(p) = pending {
                inflight = Some(pipeline.start(p));
            }
            let mut done = 0;
            if let Some((batch, bytes, scored, batch_errors, now)) = finished {
                done = batch.len();
                pipeline.record(
                    &mut writer,
                    &now,
                    batch,
                    bytes,
                    scored,
                    batch_errors,
                    &mut errors,
                )?;
            }
            Ok::<usize, anyhow::Error>(done)
        };
        let (next, done) = tokio::join!(next, work);
        let done = done?;
        if let Some(p) = &progress {
            (0..done).for_each(|_| p.inc());
        }
        match next {
            Some(r) => ready = Some(r),
            None => input_done = true,
        }
    }
    reader.await?;
    if let Some(p) = &progress {
        p.finish();
    }
    let finished_at = wareki::now();
    let recorded = writer.finish(&finished_at, pipeline.candidates, &errors)?;

    let removals = recheck_impostors(ctx, &sources, &mut errors).await?;

    Ok(ScanReport {
        scan_id: recorded.scan_id,
        started_at,
        candidates: pipeline.candidates,
        suspects: pipeline.suspects,
        errors,
        removals,
    })
}

/// Re-checks every confirmed and reported impostor through the sources that cover its
/// platform, and records the outcome (issue 5). A platform's "does not exist" or "suspended"
/// counts as gone; an account is marked removed only after
/// [`crate::store::REMOVAL_AGREEING_SCANS`] consecutive scans agree. A failed request or a
/// source that cannot tell (a file) is "unknown", which never counts.
pub async fn recheck_impostors(
    ctx: &mut Context,
    sources: &[Box<dyn sources::Source>],
    errors: &mut Vec<String>,
) -> Result<Vec<Removal>> {
    let mut removals = Vec::new();
    for s in ctx.store.impostors_to_recheck()? {
        let presence = presence_of(sources, s.platform, &s.handle).await;
        // A reviewer may change the status while the scan runs; that is reported, not fatal.
        match ctx.store.record_presence(s.id, &presence, &wareki::now()) {
            Ok(PresenceOutcome::Removed) => removals.push(Removal {
                id: s.id,
                platform: s.platform,
                handle: s.handle.clone(),
            }),
            Ok(PresenceOutcome::Unchanged { .. }) => {}
            Err(e) => errors.push(format!("removal re-check of suspect {}: {e:#}", s.id)),
        }
    }
    Ok(removals)
}

/// Asks every source that covers the platform: any "found" wins (the account exists), then any
/// "gone"; otherwise nobody could tell.
pub async fn presence_of(
    sources: &[Box<dyn sources::Source>],
    platform: Platform,
    handle: &str,
) -> Presence {
    let mut gone = None;
    let mut unknown = Vec::new();
    for src in sources
        .iter()
        .filter(|s| s.platform().is_none() || s.platform() == Some(platform))
    {
        match src.lookup(platform, handle).await {
            Lookup::Found(_) => return Presence::Found,
            Lookup::NotFound => {
                gone.get_or_insert_with(|| format!("{}: account does not exist", src.label()));
            }
            Lookup::Suspended => {
                gone.get_or_insert_with(|| format!("{}: account suspended", src.label()));
            }
            Lookup::Unknown(why) => unknown.push(format!("{}: {why}", src.label())),
        }
    }
    match gone {
        Some(why) => Presence::Gone { why },
        None if unknown.is_empty() => Presence::Unknown {
            why: "no source can look this platform up".into(),
        },
        None => Presence::Unknown {
            why: unknown.join("; "),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Profile;

    fn cand(p: Platform, h: &str, name: Option<&str>) -> Candidate {
        Candidate {
            platform: p,
            source: "t".into(),
            profile: Profile {
                platform: Some(p),
                handle: h.into(),
                display_name: name.map(String::from),
                ..Profile::default()
            },
        }
    }

    /// A source that answers every lookup with a fixed outcome.
    struct Fixed(Option<Platform>, Lookup);

    impl sources::Source for Fixed {
        fn label(&self) -> String {
            "fixed".into()
        }
        fn platform(&self) -> Option<Platform> {
            self.0
        }
        fn discover<'a>(
            &'a self,
            _: &'a DiscoveryPlan,
        ) -> futures::future::BoxFuture<'a, sources::Discovery> {
            Box::pin(async { sources::Discovery::default() })
        }
        fn lookup<'a>(&'a self, _: Platform, _: &'a str) -> futures::future::BoxFuture<'a, Lookup> {
            let l = self.1.clone();
            Box::pin(async move { l })
        }
    }

    fn srcs(list: Vec<(Option<Platform>, Lookup)>) -> Vec<Box<dyn sources::Source>> {
        list.into_iter()
            .map(|(p, l)| Box::new(Fixed(p, l)) as Box<dyn sources::Source>)
            .collect()
    }

    #[tokio::test]
    async fn presence_combines_sources_found_first_unknown_never_gone() {
        let found = Lookup::Found(Box::default());
        let unknown = Lookup::Unknown("HTTP 503".into());
        let x = Some(Platform::X);
        let p = presence_of(
            &srcs(vec![(x, Lookup::NotFound), (None, found)]),
            Platform::X,
            "a",
        )
        .await;
        assert_eq!(p, Presence::Found);
        let p = presence_of(
            &srcs(vec![(x, unknown.clone()), (None, Lookup::Suspended)]),
            Platform::X,
            "a",
        )
        .await;
        assert!(
            matches!(p, Presence::Gone { ref why } if why.contains("suspended")),
            "{p:?}"
        );
        let p = presence_of(&srcs(vec![(x, unknown.clone())]), Platform::X, "a").await;
        assert!(
            matches!(p, Presence::Unknown { ref why } if why.contains("503")),
            "{p:?}"
        );
        // A source for another platform is not asked.
        let p = presence_of(
            &srcs(vec![(Some(Platform::Bluesky), Lookup::NotFound)]),
            Platform::X,
            "a",
        )
        .await;
        assert!(matches!(p, Presence::Unknown { .. }), "{p:?}");
    }

    #[tokio::test]
    async fn recheck_marks_removed_after_two_gone_scans_only() {
        use crate::model::{Assessment, MatchedAccount, Signals};
        let config = Config::parse(
            "[organization]\nname = \"文京区\"\ndepartment = \"課\"\nwebsite = \"https://example.jp/\"\n",
            std::path::Path::new("."),
        )
        .unwrap();
        let mut ctx = Context::new(config, Store::open_in_memory().unwrap());
        let c = cand(Platform::X, "imp", Some("文京区"));
        let a = Assessment {
            verdict: VerdictKind::Suspect,
            score: 0.9,
            matched: Some(MatchedAccount {
                platform: Platform::X,
                handle: "off".into(),
            }),
            signals: Signals::default(),
            reasons: vec![],
            reason_codes: vec![],
            evidence: Default::default(),
        };
        let obs = [Observation {
            candidate: &c,
            assessment: &a,
            avatar: None,
            avatar_bytes: None,
        }];
        let id = ctx
            .store
            .record_scan("t", "t", 1, &obs, &[])
            .unwrap()
            .suspects[0]
            .0;
        let mut errs = Vec::new();
        // Not yet confirmed: never re-checked.
        let gone = srcs(vec![(Some(Platform::X), Lookup::NotFound)]);
        assert!(recheck_impostors(&mut ctx, &gone, &mut errs)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(ctx.store.gone_streak(id).unwrap(), 0);
        ctx.store
            .set_status(id, crate::store::Status::Confirmed, "t", None, "t")
            .unwrap();
        let unknown = srcs(vec![(
            Some(Platform::X),
            Lookup::Unknown("HTTP 429".into()),
        )]);
        assert!(recheck_impostors(&mut ctx, &gone, &mut errs)
            .await
            .unwrap()
            .is_empty());
        assert!(recheck_impostors(&mut ctx, &unknown, &mut errs)
            .await
            .unwrap()
            .is_empty());
        let removed = recheck_impostors(&mut ctx, &gone, &mut errs).await.unwrap();
        assert_eq!(
            removed,
            vec![Removal {
                id,
                platform: Platform::X,
                handle: "imp".into()
            }]
        );
        assert_eq!(
            ctx.store.suspect(id).unwrap().status,
            crate::store::Status::Removed
        );
    }

    #[test]
    fn dedupe_merges_by_platform_and_handle() {
        let out = dedupe(vec![
            cand(Platform::X, "abc", None),
            cand(Platform::X, "@ABC", Some("名前")),
            cand(Platform::Bluesky, "abc", None),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].profile.display_name.as_deref(), Some("名前"));
    }
}
