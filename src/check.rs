//! `check @handle`: one account, one verdict, with reasons. The profile comes from the command
//! line, or is looked up through the configured sources.

use crate::detect::reason::Reason;
use crate::model::{
    canonical_handle, Candidate, MatchedAccount, Platform, Profile, Signals, VerdictKind,
};
use crate::render::reasons;
use crate::scan::{self, Context};
use crate::sources::{self, Lookup};
use anyhow::Result;
use serde::Serialize;

/// What the user asked about.
#[derive(Clone, Debug, Default)]
pub struct CheckRequest {
    pub handle: String,
    pub platform: Option<Platform>,
    pub display_name: Option<String>,
    pub avatar: Option<String>,
    pub bio: Option<String>,
}

/// What `check --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    pub platform: Platform,
    pub handle: String,
    pub verdict: VerdictKind,
    pub score: f64,
    pub matched: Option<MatchedAccount>,
    pub signals: Signals,
    pub reasons: Vec<String>,
    /// The detector's typed reasons (issue 10); `reasons` also holds the command's notes.
    pub reason_codes: Vec<Reason>,
}

/// Looks the handle up through the sources: on the given platform, or on every platform.
async fn look_up(ctx: &Context, req: &CheckRequest, notes: &mut Vec<String>) -> Option<Candidate> {
    let (srcs, errors) = sources::build(&ctx.config, &ctx.client);
    notes.extend(errors);
    let platforms: Vec<Platform> = match req.platform {
        Some(p) => vec![p],
        None => Platform::ALL.to_vec(),
    };
    // Sources that cover one platform only are asked only about it; files about everything.
    for platform in platforms {
        for s in srcs
            .iter()
            .filter(|s| s.platform().is_none() || s.platform() == Some(platform))
        {
            match s.lookup(platform, &req.handle).await {
                Lookup::Found(profile) => {
                    return Some(Candidate {
                        platform,
                        profile: *profile,
                        source: s.label(),
                    })
                }
                Lookup::NotFound => notes.push(format!(
                    "{}: @{} does not exist on {platform}",
                    s.label(),
                    req.handle
                )),
                Lookup::Suspended => notes.push(format!(
                    "{}: @{} is suspended on {platform}",
                    s.label(),
                    req.handle
                )),
                Lookup::Unknown(_) => {}
            }
        }
    }
    None
}

/// Runs a check.
pub async fn run(ctx: &Context, req: CheckRequest) -> Result<CheckReport> {
    let handle = req.handle.trim().trim_start_matches('@').to_string();
    let req = CheckRequest { handle, ..req };
    let mut notes = Vec::new();
    let detector = scan::detector(ctx, &mut notes).await;

    // A registered official account needs no lookup.
    let official = ctx.config.official.iter().find(|o| {
        canonical_handle(&o.handle) == canonical_handle(&req.handle)
            && req.platform.is_none_or(|p| p == o.platform)
    });
    if let Some(o) = official {
        let official_reason = Reason::OfficialAccount {
            platform: o.platform,
            handle: o.handle.clone(),
        };
        return Ok(CheckReport {
            platform: o.platform,
            handle: req.handle,
            verdict: VerdictKind::Official,
            score: 0.0,
            matched: Some(MatchedAccount {
                platform: o.platform,
                handle: o.handle.clone(),
            }),
            signals: Signals {
                handle: Some(1.0),
                display_name: None,
                avatar: None,
            },
            reasons: vec![reasons::en(&official_reason)],
            reason_codes: vec![official_reason],
        });
    }

    let given = req.display_name.is_some() || req.avatar.is_some() || req.bio.is_some();
    let found = if given {
        None
    } else {
        look_up(ctx, &req, &mut notes).await
    };
    let not_found = !given && found.is_none();
    let candidate = found.unwrap_or_else(|| {
        let platform = req.platform.unwrap_or(Platform::X);
        Candidate {
            platform,
            source: "command line".into(),
            profile: Profile {
                platform: Some(platform),
                handle: req.handle.clone(),
                display_name: req.display_name.clone(),
                avatar: req.avatar.as_deref().map(|a| {
                    if crate::config::is_url(a) {
                        a.to_string()
                    } else {
                        std::path::absolute(a)
                            .map(|p| p.to_string_lossy().into_owned())
                            .unwrap_or_else(|_| a.to_string())
                    }
                }),
                bio: req.bio.clone(),
                ..Profile::default()
            },
        }
    });

    let avatar = match (&candidate.profile.avatar, candidate.profile.default_avatar) {
        (Some(a), false) => match scan::avatar_hash(ctx, a).await {
            Ok(h) => Some(h),
            Err(e) => {
                notes.push(format!("avatar not compared: {e:#}"));
                None
            }
        },
        _ => None,
    };
    let mut a = scan::assess(&ctx.config, &detector, &candidate, avatar);
    let mut reasons = Vec::new();
    if not_found {
        reasons.push(format!(
            "@{} was not found through the configured sources; judged on the handle alone: {} (score {:.2})",
            candidate.profile.handle,
            if a.verdict == VerdictKind::Suspect { "it imitates an official handle" } else { "it does not imitate an official handle" },
            a.score
        ));
        a.verdict = VerdictKind::NotFound;
    }
    reasons.append(&mut a.reasons);
    reasons.extend(notes);
    Ok(CheckReport {
        platform: candidate.platform,
        handle: candidate.profile.handle,
        verdict: a.verdict,
        score: a.score,
        matched: a.matched,
        signals: a.signals,
        reasons,
        reason_codes: a.reason_codes,
    })
}
