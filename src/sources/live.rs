//! What the four platform clients share: their settings ([`Common`], built from a
//! `[[source]]`), the interface each implements ([`PlatformClient`]: one search page, one batch
//! of exact lookups), and the one discovery procedure built on it ([`discover`]): search every
//! official handle and display name plus the source's `queries` with paging up to
//! `max_results`, then probe the generated look-alikes of the official handles on this platform
//! in batches. [`LiveSource`] turns a client into a [`Source`].

use super::retry::{Api, ApiError, ApiStatus, Policy};
use super::{Discovery, DiscoveryPlan, Lookup, Source};
use crate::config::SourceConfig;
use crate::model::{canonical_handle, Candidate, Platform, Profile};
use crate::variants::{self, Rules};
use anyhow::{bail, Context, Result};
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use std::collections::HashSet;
use std::future::Future;

/// A token read from the environment. Its `Debug` never shows it.
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Most search results per query when `max_results` is not set.
pub const DEFAULT_MAX_RESULTS: usize = 50;
/// Longest search term sent.
const MAX_QUERY_CHARS: usize = 100;
/// Most error messages one source adds to a scan; the rest are counted.
const MAX_ERRORS: usize = 5;

/// The host of a configured instance (`https://mstdn.jp` or plain `mstdn.jp`), lower case.
pub fn instance_host(instance: &str) -> Option<String> {
    let i = instance.trim();
    let url = reqwest::Url::parse(i)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| reqwest::Url::parse(&format!("https://{i}")).ok())?;
    url.host_str().map(str::to_ascii_lowercase)
}

/// A platform client's settings, from its `[[source]]`.
pub struct Common {
    pub label: String,
    pub platform: Platform,
    pub api: Api,
    /// The API root, without a trailing slash.
    pub base: String,
    /// Mastodon / Misskey: the instance's host, which qualifies local handles (`name@host`).
    pub instance_host: Option<String>,
    pub token: Option<Secret>,
    /// The name (never the value) of the variable the token came from, for messages.
    pub token_env: Option<String>,
    pub max_results: usize,
    pub queries: Vec<String>,
    pub max_variants: usize,
    pub search: bool,
}

impl Common {
    /// Reads the settings. `default_base` is the platform's public API; `None` means the
    /// base is the configured `instance`.
    pub fn new(
        sc: &SourceConfig,
        client: reqwest::Client,
        platform: Platform,
        default_base: Option<&str>,
        default_max_variants: usize,
    ) -> Result<Common> {
        let instance_host = match sc.instance.as_deref() {
            Some(i) => Some(
                instance_host(i).with_context(|| format!("instance `{i}` is not a URL or host"))?,
            ),
            None => None,
        };
        let base = match (&sc.base_url, default_base, &instance_host) {
            (Some(b), _, _) => b.trim().to_string(),
            (None, Some(d), _) => d.to_string(),
            (None, None, Some(host)) => format!("https://{host}"),
            (None, None, None) => bail!("needs `instance` or `base_url`"),
        };
        let parsed =
            reqwest::Url::parse(&base).with_context(|| format!("bad base_url `{base}`"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("base_url `{base}` must be http(s)");
        }
        let token = match &sc.token_env {
            Some(var) => match std::env::var(var) {
                Ok(t) if !t.trim().is_empty() => Some(Secret(t.trim().to_string())),
                _ => bail!("the environment variable {var} (token_env) is not set or empty"),
            },
            None => None,
        };
        Ok(Common {
            label: sc.label(),
            platform,
            api: Api::new(client, Policy::from_config(sc)),
            base: base.trim_end_matches('/').to_string(),
            instance_host,
            token,
            token_env: sc.token_env.clone(),
            max_results: sc.max_results.unwrap_or(DEFAULT_MAX_RESULTS),
            queries: sc.queries.clone(),
            max_variants: sc.max_variants.unwrap_or(default_max_variants),
            // X user search needs a paid user-context token; most X tokens are app-only.
            search: sc.search.unwrap_or(platform != Platform::X),
        })
    }

    /// An API URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Adds the bearer token, when there is one.
    pub fn auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t.expose()),
            None => rb,
        }
    }

    /// True when `handle` names one of the official accounts on this platform. Fediverse
    /// handles registered without an instance are taken to live on this source's instance.
    pub fn is_official(&self, plan: &DiscoveryPlan, handle: &str) -> bool {
        let qualify = |h: &str| {
            let c = canonical_handle(h);
            match (&self.instance_host, c.contains('@')) {
                (Some(host), false) => format!("{c}@{host}"),
                _ => c,
            }
        };
        let wanted = qualify(handle);
        plan.officials
            .iter()
            .filter(|o| o.platform == self.platform)
            .any(|o| qualify(&o.handle) == wanted)
    }
}

/// One page of search results.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub profiles: Vec<Profile>,
    /// The cursor / token / offset of the next page; `None` on the last.
    pub next: Option<String>,
}

/// The result of one exact lookup: the platform's answer, or why there was none.
pub type Probe = Result<Lookup, ApiError>;

/// What each platform client implements.
pub trait PlatformClient: Send + Sync + 'static {
    fn common(&self) -> &Common;
    /// The platform's rules for the local part of a handle.
    fn rules(&self) -> Rules;
    /// Most handles one lookup request may carry.
    fn batch_size(&self) -> usize;
    /// Most results one search page may carry.
    fn page_size(&self) -> usize;
    /// The query to send for a search term, or `None` when the platform cannot search it.
    fn search_query(&self, term: &str) -> Option<String> {
        Some(term.to_string())
    }
    /// One page of search results.
    fn search_page(
        &self,
        query: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> impl Future<Output = Result<Page, ApiError>> + Send;
    /// Exact lookups of handles already normalised by [`PlatformClient::normalize`], at most
    /// [`PlatformClient::batch_size`]; one probe per handle, in order.
    fn lookup_batch(&self, handles: &[String]) -> impl Future<Output = Vec<Probe>> + Send;
    /// The handle to look up for what a user or the registry wrote, or `None` when it cannot
    /// be a handle on this platform at all.
    fn normalize(&self, handle: &str) -> Option<String>;
    /// The full handle to look up for a generated local name.
    fn probe_handle(&self, local: &str) -> String {
        local.to_string()
    }
}

/// What `sources check` reads from a live source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Health {
    pub status: ApiStatus,
    /// Why the source stopped in this run, if it did.
    pub stopped: Option<String>,
    /// Whether a token is configured.
    pub token: bool,
}

/// A platform client as a [`Source`].
pub struct LiveSource<C> {
    client: C,
}

impl<C: PlatformClient> LiveSource<C> {
    pub fn new(client: C) -> Self {
        LiveSource { client }
    }
}

impl<C: PlatformClient> Source for LiveSource<C> {
    fn label(&self) -> String {
        self.client.common().label.clone()
    }

    fn platform(&self) -> Option<Platform> {
        Some(self.client.common().platform)
    }

    fn discover<'a>(&'a self, plan: &'a DiscoveryPlan) -> BoxFuture<'a, Discovery> {
        Box::pin(discover(&self.client, plan))
    }

    fn lookup<'a>(&'a self, platform: Platform, handle: &'a str) -> BoxFuture<'a, Lookup> {
        Box::pin(async move {
            let common = self.client.common();
            if platform != common.platform {
                return Lookup::Unknown(format!(
                    "{} covers {} only",
                    common.label, common.platform
                ));
            }
            let Some(h) = self.client.normalize(handle) else {
                return Lookup::Unknown(format!(
                    "@{} is not a valid {platform} handle",
                    super::text::bound(handle, 100)
                ));
            };
            match self
                .client
                .lookup_batch(std::slice::from_ref(&h))
                .await
                .pop()
            {
                Some(Ok(Lookup::Found(mut p))) => {
                    if let Some(w) = super::keep_only_remote_avatar(&mut p) {
                        tracing::warn!(source = %common.label, "{w}");
                    }
                    Lookup::Found(p)
                }
                Some(Ok(l)) => l,
                Some(Err(e)) => Lookup::Unknown(format!("{}: {e}", common.label)),
                None => Lookup::Unknown(format!("{}: no answer", common.label)),
            }
        })
    }

    fn api_status(&self) -> Option<Health> {
        let c = self.client.common();
        Some(Health {
            status: c.api.status(),
            stopped: c.api.stopped(),
            token: c.token.is_some(),
        })
    }
}

/// Error messages of one source in one run: bounded, with the source's label, and without
/// the echoes of a stop (reported once, at the end).
#[derive(Default)]
struct ErrorLog {
    messages: Vec<String>,
    more: usize,
}

impl ErrorLog {
    fn push(&mut self, what: String) {
        if self.messages.len() < MAX_ERRORS {
            if !self.messages.contains(&what) {
                self.messages.push(what);
            }
        } else {
            self.more += 1;
        }
    }

    fn api(&mut self, context: &str, e: &ApiError) {
        if !matches!(e, ApiError::Stopped(_)) {
            self.push(format!("{context}: {e}"));
        }
    }

    fn finish(mut self, label: &str, stopped: Option<String>) -> Vec<String> {
        if let Some(why) = stopped {
            self.messages.push(format!("stopped early: {why}"));
        }
        if self.more > 0 {
            self.messages.push(format!("and {} more errors", self.more));
        }
        self.messages
            .into_iter()
            .map(|m| format!("{label}: {m}"))
            .collect()
    }
}

/// The terms to search for: every official account's handle (local part) and display name,
/// then the source's own queries; trimmed, bounded, without duplicates.
pub fn search_terms(plan: &DiscoveryPlan, queries: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let handles = plan.officials.iter().map(|o| {
        let h = o.handle.trim().trim_start_matches('@');
        h.split('@').next().unwrap_or(h).to_string()
    });
    let names = plan.officials.iter().map(|o| o.display_name.clone());
    for term in handles.chain(names).chain(queries.iter().cloned()) {
        let t = super::text::bound(term.trim(), MAX_QUERY_CHARS);
        if !t.is_empty() && seen.insert(t.to_lowercase()) {
            out.push(t);
        }
    }
    out
}

/// What one query found, and the error that ended it early, if any.
type Searched = (Vec<Profile>, Option<ApiError>);

/// Every page of one query, up to `max_results`. A failure after some pages keeps them.
async fn search_all<C: PlatformClient>(c: &C, query: &str) -> Searched {
    let max = c.common().max_results;
    let mut out: Vec<Profile> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut cursors = HashSet::new();
    while out.len() < max {
        let limit = (max - out.len()).min(c.page_size()).max(1);
        let page = match c.search_page(query, cursor.as_deref(), limit).await {
            Ok(p) => p,
            Err(e) => return (out, Some(e)),
        };
        if page.profiles.is_empty() {
            break;
        }
        out.extend(page.profiles);
        // Stop on a missing or repeated cursor (platform-apis.md §2.2).
        match page.next {
            Some(n) if cursors.insert(n.clone()) => cursor = Some(n),
            _ => break,
        }
    }
    out.truncate(max);
    (out, None)
}

/// The handles to probe. For each official account on this platform: its base name (when it
/// is not the official handle itself, e.g. `bunkyo.bsky.social` for `city.bunkyo.lg.jp`) and
/// its look-alikes, at most `max_variants`. For each official account on *another* platform:
/// its handle as it stands (the classic clone registers the X handle on Misskey or Bluesky)
/// and a quarter as many look-alikes. Official handles and duplicates are left out.
pub fn probe_handles<C: PlatformClient>(c: &C, plan: &DiscoveryPlan) -> Vec<String> {
    let common = c.common();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    if common.max_variants == 0 {
        return out;
    }
    let rules = c.rules();
    // Same-platform officials first: their look-alikes are the likeliest impostors.
    let mut officials: Vec<_> = plan.officials.iter().collect();
    officials.sort_by_key(|o| o.platform != common.platform);
    for o in officials {
        let own = o.platform == common.platform;
        let base = if own {
            variants::base_name(common.platform, &o.handle)
        } else {
            variants::base_name(o.platform, &o.handle)
        };
        let cap = if own {
            common.max_variants
        } else {
            (common.max_variants / 4).max(1)
        };
        let generated = variants::generate(&base, &rules, cap);
        let locals = std::iter::once(base.clone())
            .filter(|b| rules.accepts(b))
            .chain(generated.into_iter().map(|v| v.handle));
        for local in locals {
            let h = c.probe_handle(&local);
            if !common.is_official(plan, &h) && seen.insert(canonical_handle(&h)) {
                out.push(h);
            }
        }
    }
    out
}

/// Discovery for one platform source: search, then probe. Never fails as a whole: what went
/// wrong is in the errors, what was found is kept.
pub async fn discover<C: PlatformClient>(c: &C, plan: &DiscoveryPlan) -> Discovery {
    let common = c.common();
    let concurrency = common.api.policy.concurrency;
    let mut log = ErrorLog::default();
    let mut found: Vec<Profile> = Vec::new();

    if common.search && common.max_results > 0 {
        let queries: Vec<String> = search_terms(plan, &common.queries)
            .iter()
            .filter_map(|t| {
                let q = c.search_query(t);
                if q.is_none() {
                    tracing::debug!(source = %common.label, term = %t, "term not searchable here");
                }
                q
            })
            .collect();
        let results: Vec<(String, Searched)> = stream::iter(queries)
            .map(|q| async move {
                let r = search_all(c, &q).await;
                (q, r)
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        for (q, (mut profiles, err)) in results {
            for p in &mut profiles {
                if let Some(w) = super::keep_only_remote_avatar(p) {
                    log.push(w);
                }
            }
            found.extend(profiles);
            if let Some(e) = err {
                log.api(&format!("search {q:?}"), &e);
            }
        }
    }

    let probes = probe_handles(c, plan);
    let batches: Vec<Vec<String>> = probes
        .chunks(c.batch_size().max(1))
        .map(<[String]>::to_vec)
        .collect();
    let results: Vec<(Vec<String>, Vec<Probe>)> = stream::iter(batches)
        .map(|b| async move {
            let r = c.lookup_batch(&b).await;
            (b, r)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for (handles, probes) in results {
        for (h, p) in handles.iter().zip(probes) {
            match p {
                Ok(Lookup::Found(mut p)) => {
                    if let Some(w) = super::keep_only_remote_avatar(&mut p) {
                        log.push(w);
                    }
                    found.push(*p)
                }
                Ok(Lookup::NotFound | Lookup::Suspended) => {}
                Ok(Lookup::Unknown(why)) => log.push(format!("lookup @{h}: {why}")),
                Err(e) => log.api(&format!("lookup @{h}"), &e),
            }
        }
    }

    let candidates = found
        .into_iter()
        .filter(|p| !common.is_official(plan, &p.handle))
        .map(|profile| Candidate {
            platform: common.platform,
            profile,
            source: common.label.clone(),
        })
        .collect();
    Discovery {
        candidates,
        errors: log.finish(&common.label, common.api.stopped()),
    }
}

/// A Mastodon or Misskey handle in the form the instance uses: `user` for a local account,
/// `user@host` for a remote one; `None` when it cannot be a handle there. Remote usernames may
/// carry `.` and `-` (platform-apis.md §3.7, §4.7).
pub fn fediverse_handle(handle: &str, local_host: &str) -> Option<String> {
    let h = handle.trim().trim_start_matches('@').to_ascii_lowercase();
    let (user, host) = match h.split_once('@') {
        Some((u, d)) => (u.to_string(), Some(d.to_string())),
        None => (h.clone(), None),
    };
    let user_ok = !user.is_empty()
        && user.len() <= 64
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    let host_ok = host.as_deref().is_none_or(|d| {
        !d.is_empty()
            && d.len() <= 253
            && d.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    });
    if !(user_ok && host_ok) {
        return None;
    }
    Some(match host {
        Some(d) if d != local_host => format!("{user}@{d}"),
        _ => user,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OfficialAccount;

    #[test]
    fn instance_hosts_parse_with_or_without_scheme() {
        assert_eq!(
            instance_host("https://MSTDN.jp/").as_deref(),
            Some("mstdn.jp")
        );
        assert_eq!(instance_host("misskey.io").as_deref(), Some("misskey.io"));
        assert_eq!(
            instance_host("http://127.0.0.1:8080").as_deref(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn search_terms_are_handles_names_and_queries_once_each() {
        let o = |p: Platform, h: &str, n: &str| OfficialAccount {
            platform: p,
            handle: h.into(),
            display_name: n.into(),
            url: "https://example.jp".into(),
            avatar: None,
            operator: None,
            bio: None,
            purpose: None,
        };
        let plan = DiscoveryPlan {
            officials: vec![
                o(Platform::X, "@bunkyo_city", "文京区"),
                o(Platform::Mastodon, "Bunkyo_City@mstdn.jp", "文京区"),
            ],
            organization: "文京区".into(),
        };
        assert_eq!(
            search_terms(&plan, &["文京区 公式".into(), " ".into()]),
            ["bunkyo_city", "文京区", "文京区 公式"]
        );
    }
}
