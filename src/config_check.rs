//! `narisumashi config check` (issue 8): every problem of a config at once, each with
//! `file:line:column` where the TOML gives one. Besides syntax, unknown keys and wrong types it
//! catches the mistakes that otherwise pass silently or surface only at scan time: duplicate
//! official accounts, `@` in a handle, an official URL that does not point at that platform and
//! handle, a website without `https://`, a Bluesky handle without a domain, missing avatar and
//! candidate files, no source at all, a review folder inside the public folder, keys that mean
//! nothing for a source kind, out-of-range numbers, token variables that are not set.

use crate::config::{Config, SourceConfig, SourceKind};
use crate::model::{canonical_handle, Platform};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One problem, at a line and column when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Keys each table accepts. A test keeps this in step with the structs: the starter config
/// of `narisumashi init` holds every key and is parsed with `deny_unknown_fields`.
const TOP: &[&str] = &[
    "organization",
    "storage",
    "official",
    "source",
    "detection",
    "network",
    "allow",
    "publish",
];
const ORGANIZATION: &[&str] = &["name", "department", "website", "contact", "name_en"];
const STORAGE: &[&str] = &["database", "busy_timeout_secs", "retention_days"];
const OFFICIAL: &[&str] = &[
    "platform",
    "handle",
    "display_name",
    "url",
    "avatar",
    "operator",
    "bio",
    "purpose",
];
const DETECTION: &[&str] = &[
    "suspect_threshold",
    "handle_floor",
    "display_name_floor",
    "avatar_match_distance",
    "avatar_max_distance",
];
const NETWORK: &[&str] = &[
    "allow_private_addresses",
    "connect_timeout_secs",
    "request_timeout_secs",
    "max_avatar_bytes",
    "avatar_concurrency",
    "proxy",
];
const ALLOW: &[&str] = &["platform", "handle", "note"];
const PUBLISH: &[&str] = &[
    "out_dir",
    "keep_removed_days",
    "never_does",
    "never_does_en",
    "review_dir",
    "public_url",
];
/// Keys of every platform source.
const PLATFORM_SOURCE: &[&str] = &[
    "kind",
    "base_url",
    "max_results",
    "queries",
    "max_variants",
    "concurrency",
    "search",
    "retries",
    "backoff_ms",
    "max_wait_secs",
];

/// The keys a `[[source]]` of this kind may have.
pub fn source_keys(kind: SourceKind) -> Vec<&'static str> {
    match kind {
        SourceKind::File => vec!["kind", "path"],
        SourceKind::Bluesky => PLATFORM_SOURCE.to_vec(),
        SourceKind::X => [PLATFORM_SOURCE, &["token_env"]].concat(),
        SourceKind::Mastodon | SourceKind::Misskey => {
            [PLATFORM_SOURCE, &["instance", "token_env"]].concat()
        }
    }
}

/// Every key any table accepts, by table (for the starter-config test).
pub fn all_keys() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("", TOP),
        ("organization", ORGANIZATION),
        ("storage", STORAGE),
        ("official", OFFICIAL),
        ("detection", DETECTION),
        ("network", NETWORK),
        ("allow", ALLOW),
        ("publish", PUBLISH),
    ]
}

/// Line and column (1-based, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

struct Checker<'a> {
    file: String,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, span: Option<std::ops::Range<usize>>, message: impl Into<String>) {
        let at = span.map(|s| line_col(self.text, s.start));
        self.problems.push(Problem {
            file: self.file.clone(),
            at,
            message: message.into(),
        });
    }
}

type Table<'i> = DeTable<'i>;

fn get<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

/// Span of the value at a path of keys and array indices, e.g. `official.2.handle`.
fn span_at(root: &Table, path: &[&str]) -> Option<std::ops::Range<usize>> {
    let mut table = root;
    let mut span = None;
    let mut i = 0;
    while i < path.len() {
        let v = get(table, path[i])?;
        span = Some(v.span());
        i += 1;
        let mut value = v.get_ref();
        if let (DeValue::Array(a), Some(idx)) =
            (value, path.get(i).and_then(|p| p.parse::<usize>().ok()))
        {
            let item = a.get(idx)?;
            span = Some(item.span());
            value = item.get_ref();
            i += 1;
        }
        match value {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    span
}

/// Checks keys of one table against the allowed list.
fn check_keys(c: &mut Checker, table: &Table, allowed: &[&str], what: &str) {
    for (k, _) in table.iter() {
        if !allowed.contains(&k.get_ref().as_ref()) {
            c.at(
                Some(k.span()),
                format!(
                    "unknown key `{}` in {what} (expected one of: {})",
                    k.get_ref(),
                    allowed.join(", ")
                ),
            );
        }
    }
}

fn tables_of<'a, 'i>(v: &'a DeValue<'i>) -> Vec<&'a Table<'i>> {
    match v {
        DeValue::Table(t) => vec![t],
        DeValue::Array(a) => a
            .iter()
            .filter_map(|i| match i.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

fn walk_keys(c: &mut Checker, root: &Table) {
    check_keys(c, root, TOP, "the config");
    for (name, allowed) in all_keys().into_iter().skip(1) {
        if let Some(v) = get(root, name) {
            for t in tables_of(v.get_ref()) {
                check_keys(c, t, allowed, &format!("[{name}]"));
            }
        }
    }
    if let Some(v) = get(root, "source") {
        for (i, t) in tables_of(v.get_ref()).into_iter().enumerate() {
            let kind = get(t, "kind").and_then(|k| match k.get_ref() {
                DeValue::String(s) => toml::Value::String(s.to_string())
                    .try_into::<SourceKind>()
                    .ok(),
                _ => None,
            });
            let Some(kind) = kind else {
                let all: Vec<&str> = [PLATFORM_SOURCE, &["path", "instance", "token_env"]].concat();
                check_keys(c, t, &all, &format!("[[source]] #{}", i + 1));
                continue;
            };
            let allowed = source_keys(kind);
            for (k, _) in t.iter() {
                let key: &str = k.get_ref();
                if allowed.contains(&key) {
                    continue;
                }
                let known_elsewhere = [PLATFORM_SOURCE, &["path", "instance", "token_env"]]
                    .concat()
                    .contains(&key);
                let msg = if known_elsewhere {
                    format!(
                        "`{key}` means nothing for a source of kind \"{}\" (its keys: {})",
                        kind_name(kind),
                        allowed.join(", ")
                    )
                } else {
                    format!(
                        "unknown key `{key}` in [[source]] #{} (its keys: {})",
                        i + 1,
                        allowed.join(", ")
                    )
                };
                c.at(Some(k.span()), msg);
            }
        }
    }
}

fn kind_name(k: SourceKind) -> &'static str {
    match k {
        SourceKind::File => "file",
        SourceKind::Bluesky => "bluesky",
        SourceKind::Mastodon => "mastodon",
        SourceKind::Misskey => "misskey",
        SourceKind::X => "x",
    }
}

/// Removes the keys [`walk_keys`] reported, so the rest can still be type-checked.
fn strip_unknown(value: &mut toml::Table) {
    value.retain(|k, _| TOP.contains(&k));
    for (name, allowed) in all_keys().into_iter().skip(1) {
        let strip = |t: &mut toml::Table| t.retain(|k, _| allowed.contains(&k));
        match value.get_mut(name) {
            Some(toml::Value::Table(t)) => strip(t),
            Some(toml::Value::Array(a)) => a.iter_mut().for_each(|i| {
                if let toml::Value::Table(t) = i {
                    strip(t)
                }
            }),
            _ => {}
        }
    }
    if let Some(toml::Value::Array(a)) = value.get_mut("source") {
        for i in a.iter_mut() {
            if let toml::Value::Table(t) = i {
                let kind = t
                    .get("kind")
                    .cloned()
                    .and_then(|k| k.try_into::<SourceKind>().ok());
                let allowed: Vec<&str> = match kind {
                    Some(k) => source_keys(k),
                    None => [PLATFORM_SOURCE, &["path", "instance", "token_env"]].concat(),
                };
                t.retain(|k, _| allowed.contains(&k));
            }
        }
    }
}

/// Checks a config file and returns every problem (empty: none).
pub fn check_file(path: &Path) -> Vec<Problem> {
    let file = path.display().to_string();
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return vec![Problem {
                    file,
                    at: None,
                    message: format!("not valid UTF-8: {e}"),
                }]
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return vec![Problem {
                file,
                at: None,
                message: crate::config::missing_config_message(path),
            }]
        }
        Err(e) => {
            return vec![Problem {
                file,
                at: None,
                message: format!("cannot read: {e}"),
            }]
        }
    };
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    check_text(&text, base, &file, &|name| std::env::var_os(name))
}

/// Checks config text; `env` looks up environment variables (tests pass their own).
pub fn check_text(
    text: &str,
    base_dir: &Path,
    file: &str,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<Problem> {
    let mut c = Checker {
        file: file.to_string(),
        text,
        problems: Vec::new(),
    };
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in syntax {
            c.at(e.span(), format!("syntax: {}", e.message()));
        }
        return c.problems;
    }
    let root = doc.get_ref();
    walk_keys(&mut c, root);
    // Types and required keys, on the config without the unknown keys already reported.
    let mut table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            c.at(e.span(), e.message().to_string());
            return c.problems;
        }
    };
    strip_unknown(&mut table);
    let config: Config = match toml::to_string(&table)
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str::<Config>(&t).map_err(|e| e.message().to_string()))
    {
        Ok(mut cfg) => {
            cfg.base_dir = base_dir.to_path_buf();
            cfg
        }
        Err(msg) => {
            // Locate the error by parsing the original text (its spans are right).
            let span = toml::from_str::<Config>(text).err().and_then(|e| {
                (!e.message().starts_with("unknown field"))
                    .then(|| e.span())
                    .flatten()
            });
            c.at(span, msg);
            return c.problems;
        }
    };
    semantics(&mut c, root, &config, env);
    c.problems.sort_by_key(|p| p.at.unwrap_or((usize::MAX, 0)));
    c.problems
}

/// Whether `url` points at `handle` on `platform`.
pub fn official_url_problem(platform: Platform, handle: &str, url: &str) -> Option<String> {
    let Ok(u) = url::Url::parse(url) else {
        return Some(format!("url `{url}` is not a URL"));
    };
    if u.scheme() != "https" {
        return Some(format!("url `{url}` must start with https://"));
    }
    let host = u.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let h = canonical_handle(handle);
    let user = h.split('@').next().unwrap_or(&h).to_string();
    let path = u.path().to_lowercase();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let first = segs.first().copied().unwrap_or("");
    let hosts: &[&str] = match platform {
        Platform::X => &["x.com", "twitter.com", "mobile.twitter.com"],
        Platform::Bluesky => &["bsky.app"],
        Platform::Instagram => &["instagram.com"],
        Platform::Facebook => &["facebook.com", "m.facebook.com"],
        Platform::Youtube => &["youtube.com", "m.youtube.com"],
        Platform::Tiktok => &["tiktok.com"],
        Platform::Line => &["line.me", "page.line.me", "lin.ee"],
        Platform::Mastodon | Platform::Misskey => &[],
    };
    if !hosts.is_empty() && !hosts.contains(&host.as_str()) {
        return Some(format!(
            "url `{url}` does not point at {} (expected a link on {})",
            platform.label_en(),
            hosts.join(" or ")
        ));
    }
    let ok = match platform {
        Platform::X | Platform::Instagram | Platform::Facebook => first == user,
        Platform::Bluesky => segs.first() == Some(&"profile") && segs.get(1) == Some(&h.as_str()),
        Platform::Tiktok => first == format!("@{user}"),
        Platform::Youtube => {
            first == format!("@{user}")
                || (matches!(first, "c" | "user") && segs.get(1) == Some(&user.as_str()))
                || first == "channel"
        }
        // LINE official accounts have ids unrelated to their display handle.
        Platform::Line => true,
        Platform::Mastodon | Platform::Misskey => {
            let instance = h.split_once('@').map(|(_, d)| d.to_string());
            let host_ok = instance.as_deref().is_none_or(|d| d == host);
            host_ok && (first == format!("@{user}") || path.starts_with(&format!("/users/{user}")))
        }
    };
    (!ok).then(|| {
        format!(
            "url `{url}` does not point at @{} on {}",
            crate::render::visible(&h, 80),
            platform.label_en()
        )
    })
}

fn semantics(
    c: &mut Checker,
    root: &Table,
    config: &Config,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) {
    let o = &config.organization;
    if o.name.trim().is_empty() {
        c.at(
            span_at(root, &["organization", "name"]),
            "[organization] name must not be empty",
        );
    }
    if !o.website.starts_with("https://") || url::Url::parse(&o.website).is_err() {
        c.at(
            span_at(root, &["organization", "website"]),
            format!(
                "[organization] website `{}` must be an https:// URL (without it the link disappears from the pages)",
                o.website
            ),
        );
    }
    let mut seen: HashMap<(Platform, String), usize> = HashMap::new();
    for (i, a) in config.official.iter().enumerate() {
        let idx = i.to_string();
        let span = |k: &str| span_at(root, &["official", &idx, k]);
        let h = a.handle.trim();
        if h.starts_with('@') {
            c.at(
                span("handle"),
                format!("handle `{h}` is written with a leading @; write it without (it would be published as @{h})"),
            );
        }
        if h.trim_start_matches('@').is_empty() {
            c.at(span("handle"), "handle must not be empty");
        }
        if let Some(first) = seen.insert((a.platform, canonical_handle(h)), i + 1) {
            c.at(
                span("handle"),
                format!(
                    "duplicate official account {} @{} (also [[official]] #{first}; handles are compared without case)",
                    a.platform,
                    canonical_handle(h)
                ),
            );
        }
        if a.platform == Platform::Bluesky && !canonical_handle(h).contains('.') {
            c.at(
                span("handle"),
                format!(
                    "Bluesky handle `{h}` needs its domain, e.g. `{}.bsky.social`",
                    canonical_handle(h)
                ),
            );
        }
        if let Some(p) = official_url_problem(a.platform, h, &a.url) {
            c.at(span("url"), p);
        }
        if let Some(av) = &a.avatar {
            if crate::config::is_url(av) {
                if !av.trim_start().to_ascii_lowercase().starts_with("https://") {
                    c.at(
                        span("avatar"),
                        format!("avatar URL `{av}` must be https://"),
                    );
                }
            } else if !config.resolve(av).is_file() {
                c.at(
                    span("avatar"),
                    format!(
                        "avatar file {} does not exist",
                        config.resolve(av).display()
                    ),
                );
            }
        }
    }
    if config.source.is_empty() {
        c.at(None, "no [[source]]: a scan would look nowhere (add at least one, e.g. kind = \"file\" or \"bluesky\")");
    }
    for (i, s) in config.source.iter().enumerate() {
        source_semantics(c, root, i, s, config, env);
    }
    for problem in config.range_problems() {
        let span = range_span(root, &problem);
        c.at(span, problem);
    }
    let d = &config.detection;
    if !(0.0..=1.0).contains(&d.suspect_threshold) {
        c.at(
            span_at(root, &["detection", "suspect_threshold"]),
            "[detection] suspect_threshold must be between 0 and 1",
        );
    }
    if d.avatar_match_distance > d.avatar_max_distance || d.avatar_max_distance > 64 {
        c.at(
            span_at(root, &["detection", "avatar_match_distance"]),
            "[detection] need avatar_match_distance <= avatar_max_distance <= 64",
        );
    }
    if let Some(u) = &config.publish.public_url {
        if !matches!(url::Url::parse(u), Ok(p) if matches!(p.scheme(), "http" | "https")) {
            c.at(
                span_at(root, &["publish", "public_url"]),
                format!("[publish] public_url must be an http(s) URL (got `{u}`)"),
            );
        }
    }
    let out = config.resolve(&config.publish.out_dir);
    let review = config.resolve(&config.publish.review_dir);
    if let Err(e) = crate::publish::check_review_dir(&out, &review) {
        let span = span_at(root, &["publish", "review_dir"])
            .or_else(|| span_at(root, &["publish", "out_dir"]));
        c.at(span, format!("{e:#}"));
    }
}

/// The span of the key a range problem names (`[network] avatar_concurrency = …`).
fn range_span(root: &Table, problem: &str) -> Option<std::ops::Range<usize>> {
    let key = problem.split(" = ").next()?;
    if let Some(rest) = key.strip_prefix("[[source]] #") {
        let (n, tail) = rest.split_once(' ')?;
        let idx = n.parse::<usize>().ok()?.checked_sub(1)?.to_string();
        let field = tail.rsplit(' ').next()?;
        return span_at(root, &["source", &idx, field]);
    }
    let (table, field) = key.strip_prefix('[')?.split_once("] ")?;
    span_at(root, &[table, field])
}

fn source_semantics(
    c: &mut Checker,
    root: &Table,
    i: usize,
    s: &SourceConfig,
    config: &Config,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) {
    let idx = i.to_string();
    let span = |k: &str| span_at(root, &["source", &idx, k]);
    let n = i + 1;
    match s.kind {
        SourceKind::File => match &s.path {
            None => c.at(span("kind"), format!("[[source]] #{n}: kind = \"file\" needs `path`")),
            Some(p) if !config.resolve(p).is_file() => c.at(
                span("path"),
                format!("[[source]] #{n}: candidates file {} does not exist", config.resolve(p).display()),
            ),
            Some(_) => {}
        },
        SourceKind::Mastodon | SourceKind::Misskey if s.instance.is_none() => c.at(
            span("kind"),
            format!("[[source]] #{n}: kind = \"{}\" needs `instance`", kind_name(s.kind)),
        ),
        SourceKind::X if s.token_env.is_none() => c.at(
            span("kind"),
            format!("[[source]] #{n}: kind = \"x\" needs `token_env` (the name of the environment variable holding the bearer token)"),
        ),
        _ => {}
    }
    if let Some(var) = &s.token_env {
        if s.kind != SourceKind::File && s.kind != SourceKind::Bluesky {
            let set = env(var).is_some_and(|v| !v.is_empty());
            if !set {
                c.at(
                    span("token_env"),
                    format!("[[source]] #{n} ({}): the environment variable {var} is not set (it must hold the token)", s.label()),
                );
            }
        }
    }
    if let Some(b) = &s.base_url {
        if !matches!(url::Url::parse(b), Ok(u) if matches!(u.scheme(), "http" | "https")) {
            c.at(
                span("base_url"),
                format!(
                    "[[source]] #{n}: base_url `{}` must be an http(s) URL",
                    crate::http::redact(b)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<std::ffi::OsString> {
        None
    }

    #[test]
    fn line_and_column_count_characters() {
        let t = "a = 1\n名前 = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, t.find('=').unwrap()), (1, 3));
        let second = t.rfind('=').unwrap();
        assert_eq!(line_col(t, second), (2, 4));
    }

    #[test]
    fn every_listed_mistake_is_reported_at_once_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"[organization]
name = "文京区"
department = "課"
website = "www.city.bunkyo.lg.jp"
colour = "blue"

[[official]]
platform = "X"
handle = "@bunkyo_koho"
display_name = "文京区広報"
url = "https://x.com/someone_else"
avatar = "avatars/missing.png"

[[official]]
platform = "twitter"
handle = "Bunkyo_Koho"
display_name = "文京区広報"
url = "https://x.com/bunkyo_koho"

[[official]]
platform = "bluesky"
handle = "bunkyo"
display_name = "文京区"
url = "https://bsky.app/profile/bunkyo"

[[source]]
kind = "file"
path = "missing.jsonl"
instance = "https://mstdn.jp"

[[source]]
kind = "x"
token_env = "NARISUMASHI_TEST_UNSET_TOKEN"
concurrency = 1000

[network]
avatar_concurrency = 0

[publish]
out_dir = "public"
review_dir = "public/internal"
"#;
        let problems = check_text(text, dir.path(), "n.toml", &no_env);
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let all = shown.join("\n");
        let expect = [
            ("n.toml:4:11:", "website"),
            ("n.toml:5:1:", "unknown key `colour`"),
            ("n.toml:9:10:", "leading @"),
            ("n.toml:11:7:", "does not point at @bunkyo_koho"),
            ("n.toml:12:10:", "missing.png does not exist"),
            ("n.toml:16:10:", "duplicate official account x @bunkyo_koho"),
            ("n.toml:22:10:", "needs its domain"),
            ("n.toml:28:8:", "missing.jsonl does not exist"),
            (
                "n.toml:29:1:",
                "`instance` means nothing for a source of kind \"file\"",
            ),
            ("n.toml:33:13:", "NARISUMASHI_TEST_UNSET_TOKEN is not set"),
            ("n.toml:34:15:", "concurrency = 1000 is out of range"),
            ("n.toml:37:22:", "avatar_concurrency = 0 is out of range"),
            ("n.toml:41:14:", "must not go to the public folder"),
        ];
        for (pos, what) in expect {
            assert!(
                shown.iter().any(|s| s.starts_with(pos) && s.contains(what)),
                "missing {pos} {what} in:\n{all}"
            );
        }
        assert_eq!(problems.len(), expect.len(), "{all}");
    }

    #[test]
    fn syntax_errors_and_no_source_are_reported() {
        let p = check_text(
            "[organization\nname = 1\n",
            Path::new("."),
            "f.toml",
            &no_env,
        );
        assert!(
            !p.is_empty() && p[0].to_string().starts_with("f.toml:1:"),
            "{p:?}"
        );
        let p = check_text(
            "[organization]\nname = \"a\"\ndepartment = \"b\"\nwebsite = \"https://a.jp/\"\n",
            Path::new("."),
            "f.toml",
            &no_env,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("no [[source]]"));
        let p = check_text(
            "[organization]\nname = 1\n",
            Path::new("."),
            "f.toml",
            &no_env,
        );
        assert!(p[0].to_string().starts_with("f.toml:"), "{p:?}");
    }

    #[test]
    fn official_urls_are_checked_per_platform() {
        use Platform::*;
        let ok = [
            (X, "b_diverjinzai", "https://x.com/b_diverjinzai"),
            (X, "b_diverjinzai", "https://twitter.com/B_diverjinzai"),
            (
                Bluesky,
                "bunkyo.bsky.social",
                "https://bsky.app/profile/bunkyo.bsky.social",
            ),
            (Mastodon, "bunkyo@mstdn.jp", "https://mstdn.jp/@bunkyo"),
            (Misskey, "bunkyo", "https://misskey.io/@bunkyo"),
            (Youtube, "bunkyo", "https://www.youtube.com/@bunkyo"),
            (Instagram, "bunkyo", "https://www.instagram.com/bunkyo/"),
            (Tiktok, "bunkyo", "https://www.tiktok.com/@bunkyo"),
        ];
        for (p, h, u) in ok {
            assert_eq!(official_url_problem(p, h, u), None, "{p} {h} {u}");
        }
        let bad = [
            (X, "bunkyo", "https://x.com/other"),
            (X, "bunkyo", "https://bsky.app/profile/bunkyo"),
            (X, "bunkyo", "http://x.com/bunkyo"),
            (
                Mastodon,
                "bunkyo@mstdn.jp",
                "https://mastodon.social/@bunkyo",
            ),
            (
                Bluesky,
                "a.bsky.social",
                "https://bsky.app/profile/b.bsky.social",
            ),
        ];
        for (p, h, u) in bad {
            assert!(official_url_problem(p, h, u).is_some(), "{p} {h} {u}");
        }
    }
}
