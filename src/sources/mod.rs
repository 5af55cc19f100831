//! Where candidates come from. Each `[[source]]` becomes a [`Source`]: it discovers candidate
//! profiles for a scan, and looks single handles up for `check` and for removal re-checks.
//! A lookup has three outcomes that are never confused: found, not found, and unknown.
//!
//! The platform clients (`bluesky`, `mastodon`, `misskey`, `x`) share one discovery procedure
//! ([`live::discover`]): search for every official handle and display name (and the source's
//! extra `queries`) with paging, then probe generated look-alike handles by exact lookup in
//! batches. Requests go through [`retry::Api`] (rate limits, backoff, bounded parallelism).

pub mod bluesky;
pub mod facts;
pub mod file;
pub mod health;
pub mod live;
pub mod mastodon;
pub mod misskey;
pub mod progress;
pub mod retry;
pub mod text;
pub mod x;

use crate::config::{Config, SourceConfig, SourceKind};
use crate::model::{Candidate, OfficialAccount, Platform, Profile};
use anyhow::Result;
use futures::future::BoxFuture;

/// The outcome of looking one handle up.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    Found(Box<Profile>),
    /// The platform says the account does not exist (the only outcome that may count towards
    /// marking an impostor removed).
    NotFound,
    /// The platform says the account was suspended or taken down.
    Suspended,
    /// The source cannot tell now (blocked, rate limited, server error, timeout, or it does
    /// not know this platform).
    Unknown(String),
}

/// What a scan asks of a source.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryPlan {
    pub officials: Vec<OfficialAccount>,
    pub organization: String,
}

/// What a source found, plus what went wrong on the way (non-fatal).
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub errors: Vec<String>,
}

/// A place candidates come from.
pub trait Source: Send + Sync {
    /// A short, stable label, e.g. `file:candidates.jsonl` or `mastodon:https://mstdn.jp`.
    fn label(&self) -> String;
    /// The platform this source covers, or `None` for multi-platform sources (files).
    fn platform(&self) -> Option<Platform>;
    /// Finds candidate accounts for a scan.
    fn discover<'a>(&'a self, plan: &'a DiscoveryPlan) -> BoxFuture<'a, Discovery>;
    /// Looks one handle up on one platform.
    fn lookup<'a>(&'a self, platform: Platform, handle: &'a str) -> BoxFuture<'a, Lookup>;
    /// What the source has seen of its platform so far (platform APIs only), for
    /// `sources check`.
    fn api_status(&self) -> Option<live::Health> {
        None
    }
    /// The candidates file behind this source, if it is one: scans stream it instead of
    /// calling [`Source::discover`].
    fn as_file(&self) -> Option<&file::FileSource> {
        None
    }
}

/// Keeps a platform-supplied avatar reference only when it is an http(s) URL: a platform's
/// answer is attacker-controlled, and a local path in it must never be read (issue 8; a fake
/// Mastodon answer with `"avatar_static":"/etc/…"` would otherwise have that file read, stored
/// as evidence and shown on the notice). Returns a message when a reference was dropped.
pub fn keep_only_remote_avatar(p: &mut Profile) -> Option<String> {
    let a = p.avatar.clone()?;
    let ok = url::Url::parse(a.trim())
        .map(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
        .unwrap_or(false);
    if ok {
        return None;
    }
    p.avatar = None;
    Some(format!(
        "@{}: avatar reference {:?} is not an http(s) URL, ignored",
        text::bound(&p.handle, 100),
        text::bound(&a, 80)
    ))
}

/// Builds the configured sources. A source that cannot be built (e.g. a missing token) is
/// reported as an error for that source only.
pub fn build(config: &Config, client: &reqwest::Client) -> (Vec<Box<dyn Source>>, Vec<String>) {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    let mut errors = Vec::new();
    for sc in &config.source {
        match build_one(config, sc, client) {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(format!("{}: {e:#}", sc.label())),
        }
    }
    (sources, errors)
}

/// Builds one source. Exposed so tests and `sources check` can build a single source.
pub fn build_one(
    config: &Config,
    sc: &SourceConfig,
    client: &reqwest::Client,
) -> Result<Box<dyn Source>> {
    Ok(match sc.kind {
        SourceKind::File => {
            let path = config.resolve(sc.path.as_deref().unwrap_or_default());
            Box::new(file::FileSource::new(path, sc.label()))
        }
        SourceKind::Bluesky => Box::new(live::LiveSource::new(bluesky::Bluesky::new(
            sc,
            client.clone(),
        )?)),
        SourceKind::Mastodon => Box::new(live::LiveSource::new(mastodon::Mastodon::new(
            sc,
            client.clone(),
        )?)),
        SourceKind::Misskey => Box::new(live::LiveSource::new(misskey::Misskey::new(
            sc,
            client.clone(),
        )?)),
        SourceKind::X => Box::new(live::LiveSource::new(x::X::new(sc, client.clone())?)),
    })
}
