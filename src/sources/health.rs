//! `narisumashi sources check`: is every configured source usable right now? For each platform
//! source it looks up the official accounts on that platform (known to exist: each must be
//! found) and a random handle that cannot exist (it must come back "not found", or the source's
//! "not found" cannot be trusted), then reports reachability, authentication, the rate-limit
//! headroom the platform announced and what is wrong. File sources must be readable and
//! well-formed. The command exits non-zero when any source is unhealthy.

use super::{DiscoveryPlan, Lookup, Source};
use crate::config::{Config, SourceKind};
use crate::model::Platform;
use rand::Rng;
use serde::Serialize;

/// The verdict on one source.
#[derive(Clone, Debug, Serialize)]
pub struct SourceHealth {
    pub source: String,
    pub healthy: bool,
    /// Whether the platform answered at all (for files: whether the file was read).
    pub reachable: bool,
    /// `yes`, `no`, `anonymous` (no token configured, none needed) or `n/a`.
    pub authenticated: String,
    /// e.g. `299/300 requests left, window resets in 840s`, when the platform says.
    pub rate_limit: Option<String>,
    /// What was verified.
    pub checked: Vec<String>,
    /// What is wrong.
    pub problems: Vec<String>,
}

/// A syntactically valid handle nobody has registered (random, so no one can register it
/// in advance to fool the check).
pub fn impossible_handle(platform: Platform) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let mut random = |n: usize| -> String {
        (0..n)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect()
    };
    match platform {
        Platform::X => format!("nrsm{}", random(11)),
        Platform::Bluesky => format!("nrsm-{}.bsky.social", random(13)),
        Platform::Misskey => format!("nrsm_{}", random(15)),
        _ => format!("nrsm_{}", random(20)),
    }
}

fn rate_text(r: &crate::http::RateInfo) -> Option<String> {
    let mut parts = Vec::new();
    match (r.remaining, r.limit) {
        (Some(rem), Some(lim)) => parts.push(format!("{rem}/{lim} requests left")),
        (Some(rem), None) => parts.push(format!("{rem} requests left")),
        _ => {}
    }
    if let Some(reset) = r.reset_in {
        parts.push(format!("window resets in {}s", reset.as_secs()));
    }
    if let Some(after) = r.retry_after {
        parts.push(format!("retry after {}s", after.as_secs()));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// True when an official account can be verified on a source of this instance: fediverse
/// accounts registered with another instance live there, not here.
fn on_instance(handle: &str, instance_host: Option<&str>) -> bool {
    let h = handle.trim().trim_start_matches('@').to_ascii_lowercase();
    match (h.split_once('@'), instance_host) {
        (Some((_, host)), Some(mine)) => host == mine,
        _ => true,
    }
}

/// Checks one built source. `instance_host`: the Mastodon / Misskey instance it serves.
pub async fn check_source(
    source: &dyn Source,
    config: &Config,
    instance_host: Option<&str>,
) -> SourceHealth {
    let mut h = SourceHealth {
        source: source.label(),
        healthy: true,
        reachable: false,
        authenticated: "n/a".into(),
        rate_limit: None,
        checked: Vec::new(),
        problems: Vec::new(),
    };
    let Some(platform) = source.platform() else {
        // A file: reading it is the whole check.
        let d = source.discover(&DiscoveryPlan::default()).await;
        h.reachable = !d.errors.iter().any(|e| e.contains("cannot read"));
        h.checked
            .push(format!("{} candidates read", d.candidates.len()));
        h.problems.extend(d.errors);
        h.healthy = h.problems.is_empty();
        return h;
    };

    let officials: Vec<_> = config
        .official
        .iter()
        .filter(|o| o.platform == platform && on_instance(&o.handle, instance_host))
        .collect();
    for o in &officials {
        match source.lookup(platform, &o.handle).await {
            Lookup::Found(_) => h.checked.push(format!("official @{} found", o.handle)),
            Lookup::NotFound => h.problems.push(format!(
                "official @{} is reported as not existing (wrong handle in the config, or the source is misconfigured)",
                o.handle
            )),
            Lookup::Suspended => h
                .problems
                .push(format!("official @{} is reported as suspended", o.handle)),
            Lookup::Unknown(why) => h
                .problems
                .push(format!("official @{} could not be looked up: {why}", o.handle)),
        }
    }
    if officials.is_empty() {
        h.checked
            .push(format!("no official account on {platform} to verify"));
    }
    let ghost = impossible_handle(platform);
    match source.lookup(platform, &ghost).await {
        Lookup::NotFound => h
            .checked
            .push(format!("a handle that cannot exist (@{ghost}) is not found")),
        Lookup::Found(_) | Lookup::Suspended => h.problems.push(format!(
            "a handle that cannot exist (@{ghost}) was reported as existing: this source's answers cannot be trusted"
        )),
        Lookup::Unknown(why) => h.problems.push(format!(
            "a handle that cannot exist (@{ghost}) gave no clear answer: {why}"
        )),
    }

    if let Some(api) = source.api_status() {
        h.reachable = api.status.answered > 0;
        if !h.reachable {
            h.problems.insert(0, "the platform did not answer".into());
        }
        h.authenticated = match (api.status.auth_refused, api.token) {
            (Some(code), true) => format!("no (HTTP {code})"),
            (Some(code), false) => format!("no: HTTP {code} without a token"),
            (None, true) if h.reachable => "yes".into(),
            (None, true) => "unknown".into(),
            (None, false) => "anonymous".into(),
        };
        h.rate_limit = api.status.rate.as_ref().and_then(rate_text);
        if let Some(why) = api.stopped {
            h.problems.push(format!("stopped: {why}"));
        }
    }
    h.healthy = h.problems.is_empty();
    h
}

/// Checks every configured source, including those that cannot even be built (a missing
/// token), which are unhealthy.
pub async fn check_all(config: &Config, client: &reqwest::Client) -> Vec<SourceHealth> {
    let mut out = Vec::new();
    for sc in &config.source {
        match super::build_one(config, sc, client) {
            Ok(source) => {
                let host = sc.instance.as_deref().and_then(super::live::instance_host);
                out.push(check_source(source.as_ref(), config, host.as_deref()).await)
            }
            Err(e) => out.push(SourceHealth {
                source: sc.label(),
                healthy: false,
                reachable: false,
                authenticated: if sc.kind == SourceKind::File {
                    "n/a".into()
                } else {
                    "no".into()
                },
                rate_limit: None,
                checked: Vec::new(),
                problems: vec![format!("cannot be set up: {e:#}")],
            }),
        }
    }
    out
}

/// The human-readable report.
pub fn render(report: &[SourceHealth]) -> String {
    let mut out = String::new();
    if report.is_empty() {
        out.push_str("no sources configured\n");
    }
    for h in report {
        out.push_str(&format!(
            "{} {}\n  reachable: {}\n  authenticated: {}\n  rate limit: {}\n",
            if h.healthy { "OK  " } else { "FAIL" },
            h.source,
            if h.reachable { "yes" } else { "no" },
            h.authenticated,
            h.rate_limit.as_deref().unwrap_or("not announced"),
        ));
        for c in &h.checked {
            out.push_str(&format!("  ok: {c}\n"));
        }
        for p in &h.problems {
            out.push_str(&format!("  problem: {p}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variants::Rules;

    #[test]
    fn officials_are_checked_on_their_own_instance() {
        assert!(on_instance("@city@mstdn.jp", Some("mstdn.jp")));
        assert!(!on_instance("city@mstdn.jp", Some("misskey.io")));
        assert!(on_instance("city", Some("misskey.io")));
        assert!(on_instance("city.bsky.social", None));
    }

    #[test]
    fn impossible_handles_are_valid_and_differ() {
        let x = impossible_handle(Platform::X);
        assert!(Rules::X.accepts(&x), "{x}");
        let b = impossible_handle(Platform::Bluesky);
        let local = b.strip_suffix(".bsky.social").unwrap();
        assert!(Rules::BLUESKY.accepts(local), "{b}");
        assert!(Rules::MISSKEY.accepts(&impossible_handle(Platform::Misskey)));
        assert!(Rules::MASTODON.accepts(&impossible_handle(Platform::Mastodon)));
        assert_ne!(
            impossible_handle(Platform::X),
            impossible_handle(Platform::X)
        );
    }
}
