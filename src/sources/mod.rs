//! Where candidates come from. Each `[[source]]` becomes a [`Source`]: it discovers candidate
//! profiles for a scan, and looks single handles up for `check` and for removal re-checks.
//! A lookup has three outcomes that are never confused: found, not found, and unknown.

pub mod file;

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
}

/// Builds the configured sources. A source that cannot be built (e.g. a missing token) is
/// reported as an error for that source only.
pub fn build(config: &Config, _client: &reqwest::Client) -> (Vec<Box<dyn Source>>, Vec<String>) {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    let mut errors = Vec::new();
    for sc in &config.source {
        match build_one(config, sc) {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(format!("{}: {e:#}", sc.label())),
        }
    }
    (sources, errors)
}

fn build_one(config: &Config, sc: &SourceConfig) -> Result<Box<dyn Source>> {
    match sc.kind {
        SourceKind::File => {
            let path = config.resolve(sc.path.as_deref().unwrap_or_default());
            Ok(Box::new(file::FileSource::new(path, sc.label())))
        }
        other => anyhow::bail!("source kind {other:?} is not available in this build"),
    }
}
