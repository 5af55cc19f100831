//! `narisumashi.toml`: the registry of official accounts, the sources to scan and the
//! detection thresholds. Every default lives on the structs here (`#[serde(default)]`), once.
//! Relative paths resolve against the config file's folder. Tokens are never read from the
//! file: a source names the environment variable that holds its token.

use crate::model::{OfficialAccount, Platform};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organization: Organization,
    #[serde(default)]
    pub storage: Storage,
    #[serde(default)]
    pub official: Vec<OfficialAccount>,
    #[serde(default)]
    pub source: Vec<SourceConfig>,
    #[serde(default)]
    pub detection: Detection,
    #[serde(default)]
    pub network: Network,
    /// Known innocent look-alikes that are never flagged.
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
    #[serde(default)]
    pub publish: Publish,
    /// The 決裁 rules: who may put a confirmed impostor on the public pages.
    #[serde(default)]
    pub review: Review,
    #[serde(default)]
    pub serve: Serve,
    /// The folder the config was read from; relative paths resolve against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    pub department: String,
    pub website: String,
    #[serde(default)]
    pub contact: Option<String>,
    /// English name for the English pages (defaults to the Japanese name).
    #[serde(default)]
    pub name_en: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Storage {
    pub database: String,
    /// Seconds a command waits for another process's lock on the database before failing.
    pub busy_timeout_secs: u64,
    /// Days observations of accounts that never became suspects are kept (purged at each
    /// scan). Suspects' evidence is kept.
    pub retention_days: u32,
}

impl Default for Storage {
    fn default() -> Self {
        Storage {
            database: "narisumashi.db".into(),
            busy_timeout_secs: 300,
            retention_days: 30,
        }
    }
}

impl Storage {
    /// The busy timeout as a duration.
    pub fn busy_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.busy_timeout_secs)
    }
}

/// Where candidates come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    File,
    Bluesky,
    Mastodon,
    Misskey,
    X,
}

/// One `[[source]]`. Fields that do not apply to a kind are rejected by `validate`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// `file`: the JSON Lines file of candidates.
    #[serde(default)]
    pub path: Option<String>,
    /// `mastodon` / `misskey`: the instance, e.g. `https://mstdn.jp`.
    #[serde(default)]
    pub instance: Option<String>,
    /// Overrides the API's base URL (tests point it at a local mock server).
    #[serde(default)]
    pub base_url: Option<String>,
    /// The environment variable that holds the token (never the token itself).
    #[serde(default)]
    pub token_env: Option<String>,
    /// Most results to take from one search query.
    #[serde(default)]
    pub max_results: Option<usize>,
    /// Extra search queries beyond the official handles and names.
    #[serde(default)]
    pub queries: Vec<String>,
    /// Most generated look-alike handles to probe per official account (0 disables probing).
    #[serde(default)]
    pub max_variants: Option<usize>,
    /// Parallel requests to this source.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// Whether to run search queries. Default: on, except for X, whose user search needs a
    /// paid user-context token (app-only tokens rely on look-alike lookups).
    #[serde(default)]
    pub search: Option<bool>,
    /// Retries of a request after a 429, a 5xx or a timeout (default 3).
    #[serde(default)]
    pub retries: Option<u32>,
    /// First backoff delay in milliseconds, doubled per retry with jitter (default 1000).
    #[serde(default)]
    pub backoff_ms: Option<u64>,
    /// Longest wait for a rate-limit reset, in seconds (default 60); longer resets are cut to it.
    #[serde(default)]
    pub max_wait_secs: Option<f64>,
}

impl SourceConfig {
    /// A short, stable name for messages and the database, e.g. `file:candidates.jsonl`.
    pub fn label(&self) -> String {
        match self.kind {
            SourceKind::File => format!("file:{}", self.path.as_deref().unwrap_or("?")),
            SourceKind::Bluesky => "bluesky".into(),
            SourceKind::X => "x".into(),
            SourceKind::Mastodon => format!("mastodon:{}", self.instance.as_deref().unwrap_or("?")),
            SourceKind::Misskey => format!("misskey:{}", self.instance.as_deref().unwrap_or("?")),
        }
    }

    /// The platform this source reports on, if it is a single one.
    pub fn platform(&self) -> Option<Platform> {
        match self.kind {
            SourceKind::File => None,
            SourceKind::Bluesky => Some(Platform::Bluesky),
            SourceKind::Mastodon => Some(Platform::Mastodon),
            SourceKind::Misskey => Some(Platform::Misskey),
            SourceKind::X => Some(Platform::X),
        }
    }
}

/// Thresholds of the detector. Scores and signals are 0..1.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Detection {
    /// A candidate whose combined score reaches this is a suspect.
    pub suspect_threshold: f64,
    /// Handle similarity below this is no evidence at all.
    pub handle_floor: f64,
    /// Display-name similarity below this is no evidence at all.
    pub display_name_floor: f64,
    /// Avatar distance (0..64, see `AvatarHash::distance`) at or below which two avatars are
    /// the same picture.
    pub avatar_match_distance: u32,
    /// Avatar hash distance beyond which avatars are unrelated.
    pub avatar_max_distance: u32,
}

impl Default for Detection {
    fn default() -> Self {
        Detection {
            suspect_threshold: 0.5,
            handle_floor: 0.78,
            display_name_floor: 0.72,
            avatar_match_distance: 11,
            avatar_max_distance: 18,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    /// Allow requests to loopback and private addresses (test mock servers only).
    pub allow_private_addresses: bool,
    /// Seconds to connect, and for a whole request.
    pub connect_timeout_secs: u64,
    pub request_timeout_secs: u64,
    /// Largest avatar download, in bytes.
    pub max_avatar_bytes: usize,
    /// Parallel avatar downloads.
    pub avatar_concurrency: usize,
    /// The HTTP(S) proxy for every request, e.g. `http://proxy.city.example:8080`. The
    /// `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` environment variables are ignored: a proxy
    /// would resolve platform-supplied hostnames where the address checks cannot see.
    pub proxy: Option<String>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            allow_private_addresses: false,
            connect_timeout_secs: 10,
            request_timeout_secs: 30,
            max_avatar_bytes: 5 * 1024 * 1024,
            avatar_concurrency: 4,
            proxy: None,
        }
    }
}

/// An account known to be innocent even though it looks like an official one.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    pub platform: Platform,
    pub handle: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Publish {
    /// Where `publish` writes when `--out` is not given.
    pub out_dir: String,
    /// Days a removed impostor or a withdrawal (訂正) stays on the notice.
    pub keep_removed_days: i64,
    /// What the official accounts never do, shown to citizens on the notice.
    pub never_does: Vec<String>,
    /// The same in English, for `notice.en.html`.
    pub never_does_en: Vec<String>,
    /// Where `publish` writes the internal `review.html` (never into `out_dir`: it is not for
    /// the public website).
    pub review_dir: String,
    /// The public address of `out_dir` (e.g. `https://www.city.example.lg.jp/sns/`). When set,
    /// links between the pages are absolute, so a notice fragment pasted into a CMS still links
    /// to the official-accounts page. Without it links are relative.
    pub public_url: Option<String>,
}

impl Default for Publish {
    fn default() -> Self {
        Publish {
            out_dir: "public".into(),
            keep_removed_days: 30,
            never_does: vec![
                "ダイレクトメッセージ（DM）で個人情報、パスワード、口座番号などをお尋ねすることはありません。".into(),
                "懸賞・プレゼントの当選を理由に、金銭の支払いや外部サイトへの登録を求めることはありません。".into(),
            ],
            never_does_en: vec![
                "Our official accounts never ask for personal data, passwords or bank details by direct message (DM).".into(),
                "They never ask you to pay money or sign up on another website because you won a prize or a campaign.".into(),
            ],
            review_dir: "review".into(),
            public_url: None,
        }
    }
}

/// `[review]`: the approval (決裁) a confirmed impostor needs before it is published (issue 11).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Review {
    /// A confirmed impostor appears on the public pages only after `suspects approve`.
    /// Off for an office where the confirmation itself is the decision.
    pub approval: bool,
    /// The approver must be someone other than the person who confirmed it, and withdrawing
    /// a published account (訂正) is not the confirmer's alone either. Off for a one-person
    /// office.
    pub separate_approver: bool,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            approval: true,
            separate_approver: true,
        }
    }
}

/// `[serve]`: the review queue in the browser (`narisumashi serve`, issue 11).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Serve {
    /// Minutes without a request after which a session ends.
    pub idle_timeout_minutes: u64,
    /// Hours after login after which a session ends however active it is.
    pub max_session_hours: u64,
    /// Always mark the session cookie `Secure` (the site is only reached over https). Without
    /// it the cookie is `Secure` when a trusted proxy says `X-Forwarded-Proto: https`.
    pub secure_cookie: bool,
    /// Addresses of reverse proxies whose `X-Forwarded-Proto` is believed (e.g. `127.0.0.1`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Failed logins in a row for one user name before logins for it are refused (429).
    pub login_max_failures: u32,
    /// Minutes logins stay refused after that.
    pub login_lockout_minutes: u64,
}

impl Default for Serve {
    fn default() -> Self {
        Serve {
            idle_timeout_minutes: 30,
            max_session_hours: 12,
            secure_cookie: false,
            trusted_proxies: Vec::new(),
            login_max_failures: 5,
            login_lockout_minutes: 15,
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(crate::errors::InvalidConfig(missing_config_message(path)).into())
            }
            Err(e) => {
                return Err(anyhow::Error::from(e)
                    .context(format!("cannot read config {}", path.display())))
            }
        };
        let base = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        Config::parse(&text, base)
            .map_err(|e| anyhow::Error::from(crate::errors::InvalidConfig(format!("{e:#}"))))
            .with_context(|| format!("invalid config {}", path.display()))
    }

    /// Parses config text; `base_dir` is where relative paths resolve.
    pub fn parse(text: &str, base_dir: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        config.base_dir = base_dir.to_path_buf();
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        if self.organization.name.trim().is_empty() {
            bail!("[organization] name must not be empty");
        }
        for (i, o) in self.official.iter().enumerate() {
            if o.handle.trim().trim_start_matches('@').is_empty() {
                bail!("[[official]] #{}: handle must not be empty", i + 1);
            }
            if !(o.url.starts_with("https://") || o.url.starts_with("http://")) {
                bail!(
                    "[[official]] @{}: url must start with https:// (got `{}`)",
                    o.handle,
                    o.url
                );
            }
        }
        for (i, s) in self.source.iter().enumerate() {
            let n = i + 1;
            match s.kind {
                SourceKind::File if s.path.is_none() => {
                    bail!("[[source]] #{n}: kind = \"file\" needs `path`")
                }
                SourceKind::Mastodon | SourceKind::Misskey if s.instance.is_none() => {
                    bail!("[[source]] #{n}: kind = \"{:?}\" needs `instance`", s.kind)
                }
                SourceKind::X if s.token_env.is_none() => {
                    bail!("[[source]] #{n}: kind = \"x\" needs `token_env` (the name of the environment variable holding the bearer token)")
                }
                _ => {}
            }
        }
        if let Some(u) = &self.publish.public_url {
            match url::Url::parse(u) {
                Ok(p) if matches!(p.scheme(), "http" | "https") => {}
                _ => bail!("[publish] public_url must be an http(s) URL (got `{u}`)"),
            }
        }
        let d = &self.detection;
        if !(0.0..=1.0).contains(&d.suspect_threshold) {
            bail!("[detection] suspect_threshold must be between 0 and 1");
        }
        if d.avatar_match_distance > d.avatar_max_distance || d.avatar_max_distance > 64 {
            bail!("[detection] need avatar_match_distance <= avatar_max_distance <= 64");
        }
        if let Some(problem) = self.range_problems().into_iter().next() {
            bail!("{problem}");
        }
        Ok(())
    }

    /// Numbers outside the range they may take: rejected, never silently clamped.
    pub fn range_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut range = |what: String, v: f64, lo: f64, hi: f64| {
            if !(v.is_finite() && (lo..=hi).contains(&v)) {
                out.push(format!("{what} = {v} is out of range ({lo}..={hi})"));
            }
        };
        let n = &self.network;
        range(
            "[network] connect_timeout_secs".into(),
            n.connect_timeout_secs as f64,
            1.0,
            600.0,
        );
        range(
            "[network] request_timeout_secs".into(),
            n.request_timeout_secs as f64,
            1.0,
            3600.0,
        );
        range(
            "[network] max_avatar_bytes".into(),
            n.max_avatar_bytes as f64,
            1024.0,
            50.0 * 1024.0 * 1024.0,
        );
        range(
            "[network] avatar_concurrency".into(),
            n.avatar_concurrency as f64,
            1.0,
            64.0,
        );
        let st = &self.storage;
        range(
            "[storage] busy_timeout_secs".into(),
            st.busy_timeout_secs as f64,
            0.0,
            86400.0,
        );
        range(
            "[storage] retention_days".into(),
            st.retention_days as f64,
            1.0,
            36500.0,
        );
        range(
            "[publish] keep_removed_days".into(),
            self.publish.keep_removed_days as f64,
            0.0,
            36500.0,
        );
        let d = &self.detection;
        for (k, v) in [
            ("handle_floor", d.handle_floor),
            ("display_name_floor", d.display_name_floor),
        ] {
            range(format!("[detection] {k}"), v, 0.0, 1.0);
        }
        for (i, sc) in self.source.iter().enumerate() {
            let at = format!("[[source]] #{} ({})", i + 1, sc.label());
            if let Some(v) = sc.concurrency {
                range(format!("{at} concurrency"), v as f64, 1.0, 64.0);
            }
            if let Some(v) = sc.retries {
                range(format!("{at} retries"), v as f64, 0.0, 10.0);
            }
            if let Some(v) = sc.backoff_ms {
                range(format!("{at} backoff_ms"), v as f64, 1.0, 600_000.0);
            }
            if let Some(v) = sc.max_wait_secs {
                range(format!("{at} max_wait_secs"), v, 0.0, 3600.0);
            }
            if let Some(v) = sc.max_results {
                range(format!("{at} max_results"), v as f64, 0.0, 10_000.0);
            }
            if let Some(v) = sc.max_variants {
                range(format!("{at} max_variants"), v as f64, 0.0, 10_000.0);
            }
        }
        if let Some(p) = &n.proxy {
            match url::Url::parse(p) {
                Ok(u) if matches!(u.scheme(), "http" | "https" | "socks5" | "socks5h") => {}
                _ => out.push(format!(
                    "[network] proxy must be an http(s) URL (got `{}`)",
                    crate::http::redact(p)
                )),
            }
        }
        out
    }

    /// Resolves a path from the config against the config's folder.
    pub fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// The database file.
    pub fn database_path(&self) -> PathBuf {
        self.resolve(&self.storage.database)
    }

    /// Resolves an avatar reference: URLs stay as they are, paths resolve against the config.
    pub fn resolve_avatar(&self, avatar: &str) -> String {
        if is_url(avatar) {
            avatar.to_string()
        } else {
            self.resolve(avatar).to_string_lossy().into_owned()
        }
    }

    pub fn is_allowed(&self, platform: Platform, handle: &str) -> Option<&AllowEntry> {
        let h = crate::model::canonical_handle(handle);
        self.allow
            .iter()
            .find(|a| a.platform == platform && crate::model::canonical_handle(&a.handle) == h)
    }
}

/// What to say when there is no config file: where it looked and how to point at one.
pub fn missing_config_message(path: &Path) -> String {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "no config file at {} (the config is --config PATH, else $NARISUMASHI_CONFIG, else ./narisumashi.toml in the current folder); point at yours with --config PATH or NARISUMASHI_CONFIG=PATH, or create a starter one with `narisumashi init`",
        shown.display()
    )
}

/// True for `http://` and `https://` references.
pub fn is_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[[official]]
platform = "x"
handle = "b_diverjinzai"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/b_diverjinzai"
avatar = "avatars/b.png"

[[source]]
kind = "file"
path = "candidates.jsonl"
"#;

    #[test]
    fn parses_minimal_config_with_defaults() {
        let c = Config::parse(MINIMAL, Path::new("/etc/n")).unwrap();
        assert_eq!(c.storage.database, "narisumashi.db");
        assert_eq!(c.database_path(), Path::new("/etc/n/narisumashi.db"));
        assert_eq!(c.official[0].platform, Platform::X);
        assert_eq!(c.detection, Detection::default());
        assert!(c.review.approval && c.review.separate_approver);
        assert_eq!(c.resolve_avatar("avatars/b.png"), "/etc/n/avatars/b.png");
        assert_eq!(c.resolve_avatar("https://e.jp/a.png"), "https://e.jp/a.png");
    }

    #[test]
    fn rejects_unknown_keys_and_platforms() {
        let bad = MINIMAL.replace("platform = \"x\"", "platform = \"myspace\"");
        assert!(Config::parse(&bad, Path::new(".")).is_err());
        let bad = MINIMAL.replace("[storage]", "") + "\n[storage]\ndatabse = \"x\"\n";
        assert!(Config::parse(&bad, Path::new(".")).is_err());
    }

    #[test]
    fn a_one_person_office_can_turn_the_approval_rules_off() {
        let text = format!("{MINIMAL}\n[review]\nseparate_approver = false\n");
        let c = Config::parse(&text, Path::new(".")).unwrap();
        assert!(c.review.approval && !c.review.separate_approver);
        let text = format!("{MINIMAL}\n[review]\napproval = false\n");
        assert!(
            !Config::parse(&text, Path::new("."))
                .unwrap()
                .review
                .approval
        );
        let text = format!("{MINIMAL}\n[review]\napprover = \"x\"\n");
        assert!(Config::parse(&text, Path::new(".")).is_err());
    }

    #[test]
    fn x_source_needs_token_env() {
        let bad = format!("{MINIMAL}\n[[source]]\nkind = \"x\"\n");
        let err = Config::parse(&bad, Path::new(".")).unwrap_err().to_string();
        assert!(err.contains("token_env"), "{err}");
    }
}
