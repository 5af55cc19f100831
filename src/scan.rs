//! A scan, as cron runs it: discover candidates from every source, score each once against the
//! whole registry, and record the scan and its suspects in one transaction.

use crate::avatar;
use crate::config::Config;
use crate::detect::score::CandidateView;
use crate::detect::{AvatarHash, Detector, OfficialFeatures};
use crate::model::{
    canonical_handle, Assessment, Candidate, MatchedAccount, Platform, Signals, VerdictKind,
};
use crate::sources::{self, DiscoveryPlan};
use crate::store::{Observation, Store};
use crate::wareki;
use anyhow::Result;
use futures::stream::{self, StreamExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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
    let bytes = avatar::load(&ctx.client, &ctx.config.network, reference).await?;
    let sha = sha256_hex(&bytes);
    if let Some(h) = ctx.store.cached_avatar_hash(&sha)? {
        return Ok(h);
    }
    let h = tokio::task::spawn_blocking(move || avatar::hash_bytes(&bytes)).await??;
    ctx.store.cache_avatar_hash(&sha, &h, &wareki::now())?;
    Ok(h)
}

/// Builds the detector, hashing official avatars (cached by content in the database).
pub async fn detector(ctx: &Context, errors: &mut Vec<String>) -> Detector {
    let mut officials = Vec::new();
    for o in &ctx.config.official {
        let hash = match &o.avatar {
            Some(a) => match avatar_hash(ctx, &ctx.config.resolve_avatar(a)).await {
                Ok(h) => Some(h),
                Err(e) => {
                    errors.push(format!("avatar of official @{}: {e:#}", o.handle));
                    None
                }
            },
            None => None,
        };
        officials.push(OfficialFeatures::new(o.clone(), hash));
    }
    Detector::new(
        officials,
        ctx.config.detection.clone(),
        &ctx.config.organization.name,
    )
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
        },
    );
    if a.verdict == VerdictKind::Suspect {
        if let Some(entry) = config.is_allowed(c.platform, &p.handle) {
            a.verdict = VerdictKind::Clear;
            a.reasons.push(format!(
                "on the allow-list of known innocent look-alikes{}",
                entry
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ));
        }
    }
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
            Some(&i) => {
                let p = &mut out[i].profile;
                let q = c.profile;
                p.display_name = p.display_name.take().or(q.display_name);
                p.avatar = p.avatar.take().or(q.avatar);
                p.bio = p.bio.take().or(q.bio);
                p.url = p.url.take().or(q.url);
                p.id = p.id.take().or(q.id);
            }
            None => {
                index.insert(key, out.len());
                out.push(c);
            }
        }
    }
    out
}

/// Hashes the candidates' avatars with bounded parallelism. A failed avatar leaves the
/// signal empty (and is reported), it never leaves the account unscored.
async fn candidate_avatars(
    ctx: &Context,
    candidates: &[Candidate],
    errors: &mut Vec<String>,
) -> Vec<Option<AvatarHash>> {
    let limit = ctx.config.network.avatar_concurrency.max(1);
    let progress = sources::progress::Progress::new(candidates.len(), "avatars");
    let progress = &progress;
    let results: Vec<(usize, Result<Option<AvatarHash>>)> =
        stream::iter(candidates.iter().enumerate())
            .map(|(i, c)| async move {
                let r = match (&c.profile.avatar, c.profile.default_avatar) {
                    (Some(a), false) => avatar_hash(ctx, a).await.map(Some),
                    _ => Ok(None),
                };
                progress.inc();
                (i, r)
            })
            .buffer_unordered(limit)
            .collect()
            .await;
    progress.finish();
    let mut hashes = vec![None; candidates.len()];
    for (i, r) in results {
        match r {
            Ok(h) => hashes[i] = h,
            Err(e) => errors.push(format!(
                "avatar of {} @{}: {e:#}",
                candidates[i].platform, candidates[i].profile.handle
            )),
        }
    }
    hashes
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
    let progress = sources::progress::Progress::new(sources.len(), "sources");
    let discoveries = futures::future::join_all(sources.iter().map(|s| {
        let (progress, plan) = (&progress, &plan);
        async move {
            let d = s.discover(plan).await;
            progress.inc();
            d
        }
    }))
    .await;
    progress.finish();
    let mut found = Vec::new();
    for d in discoveries {
        found.extend(d.candidates);
        errors.extend(d.errors);
    }
    let candidates = dedupe(found);
    let hashes = candidate_avatars(ctx, &candidates, &mut errors).await;

    let assessments: Vec<Assessment> = candidates
        .iter()
        .zip(&hashes)
        .map(|(c, h)| assess(&ctx.config, &detector, c, *h))
        .collect();
    let observations: Vec<Observation> = candidates
        .iter()
        .zip(&assessments)
        .zip(&hashes)
        .map(|((c, a), h)| Observation {
            candidate: c,
            assessment: a,
            avatar: *h,
        })
        .collect();
    let finished_at = wareki::now();
    let recorded = ctx.store.record_scan(
        &started_at,
        &finished_at,
        candidates.len(),
        &observations,
        &errors,
    )?;

    let suspects = observations
        .iter()
        .filter(|o| o.assessment.verdict == VerdictKind::Suspect)
        .zip(&recorded.suspects)
        .map(|(o, (_, new))| ScanSuspect {
            platform: o.candidate.platform,
            handle: o.candidate.profile.handle.clone(),
            display_name: o.candidate.profile.display_name.clone(),
            score: o.assessment.score,
            matched: o.assessment.matched.clone(),
            signals: o.assessment.signals,
            reasons: o.assessment.reasons.clone(),
            new: *new,
        })
        .collect();
    Ok(ScanReport {
        scan_id: recorded.scan_id,
        started_at,
        candidates: candidates.len(),
        suspects,
        errors,
    })
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
