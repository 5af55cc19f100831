//! A scan, as cron runs it: discover candidates from every source, score each once against the
//! whole registry, and record the scan and its suspects in one transaction.

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
    ctx.store.cache_avatar_hash(&sha, &h, &wareki::now())?;
    Ok((h, bytes))
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

/// An avatar's hashes and the bytes they were computed from.
type LoadedAvatar = (AvatarHash, Vec<u8>);

/// Hashes the candidates' avatars with bounded parallelism. A failed avatar leaves the
/// signal empty (and is reported), it never leaves the account unscored.
async fn candidate_avatars(
    ctx: &Context,
    candidates: &[Candidate],
    errors: &mut Vec<String>,
) -> Vec<Option<LoadedAvatar>> {
    let limit = ctx.config.network.avatar_concurrency.max(1);
    let progress = sources::progress::Progress::new(candidates.len(), "avatars");
    let progress = &progress;
    let results: Vec<(usize, Result<Option<LoadedAvatar>>)> =
        stream::iter(candidates.iter().enumerate())
            .map(|(i, c)| async move {
                let r = match (&c.profile.avatar, c.profile.default_avatar) {
                    (Some(a), false) => avatar_hash_and_bytes(ctx, a).await.map(Some),
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
    let avatars = candidate_avatars(ctx, &candidates, &mut errors).await;
    let hashes: Vec<Option<AvatarHash>> = avatars.iter().map(|a| a.as_ref().map(|a| a.0)).collect();

    let assessments: Vec<Assessment> = candidates
        .iter()
        .zip(&hashes)
        .map(|(c, h)| assess(&ctx.config, &detector, c, *h))
        .collect();
    let observations: Vec<Observation> = candidates
        .iter()
        .zip(&assessments)
        .zip(&avatars)
        .map(|((c, a), loaded)| Observation {
            candidate: c,
            assessment: a,
            avatar: loaded.as_ref().map(|l| l.0),
            avatar_bytes: loaded.as_ref().map(|l| l.1.as_slice()),
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

    let removals = recheck_impostors(ctx, &sources, &mut errors).await?;

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
            reason_codes: o.assessment.reason_codes.clone(),
            new: *new,
        })
        .collect();
    Ok(ScanReport {
        scan_id: recorded.scan_id,
        started_at,
        candidates: candidates.len(),
        suspects,
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
