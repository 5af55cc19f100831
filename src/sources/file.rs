//! A JSON Lines file of candidate accounts, one per line: `platform` and `handle` required;
//! `display_name`, `avatar` (a path relative to the file, or a URL), `bio`, `url`, `id`, and the
//! account facts `created_at` (RFC 3339), `posts_count`, `followers_count`, `verified`
//! optional; unknown fields ignored. A malformed line is reported with its number and skipped.

use super::{Discovery, DiscoveryPlan, Lookup, Source};
use crate::model::{canonical_handle, rfc3339_utc, Candidate, Platform, Profile};
use futures::future::BoxFuture;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Longest line accepted; longer ones are malformed input, not candidates.
const MAX_LINE_BYTES: usize = 64 * 1024;
/// Longest field kept from a line (names, bios, URLs are attacker-controlled).
const MAX_FIELD_CHARS: usize = 2000;

#[derive(Deserialize)]
struct Line {
    platform: String,
    handle: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    bio: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    default_avatar: bool,
    /// RFC 3339; anything else is dropped.
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    posts_count: Option<u64>,
    #[serde(default)]
    followers_count: Option<u64>,
    #[serde(default)]
    verified: Option<bool>,
}

fn bounded(s: Option<String>) -> Option<String> {
    s.map(|s| s.chars().take(MAX_FIELD_CHARS).collect())
}

/// Parses candidates file text. Returns the candidates and one message per bad line.
pub fn parse(text: &str, base_dir: &Path, label: &str) -> Discovery {
    let mut out = Discovery::default();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            out.errors.push(format!(
                "{label} line {n}: longer than {MAX_LINE_BYTES} bytes, skipped"
            ));
            continue;
        }
        let parsed: Line = match serde_json::from_str(line) {
            Ok(l) => l,
            Err(e) => {
                out.errors.push(format!("{label} line {n}: {e}, skipped"));
                continue;
            }
        };
        let platform: Platform = match parsed.platform.parse() {
            Ok(p) => p,
            Err(e) => {
                out.errors.push(format!("{label} line {n}: {e}, skipped"));
                continue;
            }
        };
        let handle = parsed.handle.trim().trim_start_matches('@').to_string();
        if handle.is_empty() || handle.chars().count() > 320 {
            out.errors.push(format!(
                "{label} line {n}: handle is empty or too long, skipped"
            ));
            continue;
        }
        let avatar = parsed.avatar.filter(|a| !a.trim().is_empty()).map(|a| {
            if crate::config::is_url(&a) {
                a
            } else {
                base_dir.join(a).to_string_lossy().into_owned()
            }
        });
        let id = parsed.id.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        out.candidates.push(Candidate {
            platform,
            source: label.to_string(),
            profile: Profile {
                platform: Some(platform),
                handle,
                display_name: bounded(parsed.display_name),
                avatar,
                bio: bounded(parsed.bio),
                url: bounded(parsed.url),
                id: bounded(id),
                default_avatar: parsed.default_avatar,
                created_at: parsed.created_at.as_deref().and_then(rfc3339_utc),
                posts_count: parsed.posts_count,
                followers_count: parsed.followers_count,
                verified: parsed.verified,
            },
        });
    }
    out
}

/// A candidates file, read afresh for every scan and lookup.
pub struct FileSource {
    path: PathBuf,
    label: String,
}

impl FileSource {
    pub fn new(path: PathBuf, label: String) -> Self {
        FileSource { path, label }
    }

    fn read(&self) -> Discovery {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => parse(
                &text,
                self.path.parent().unwrap_or(Path::new(".")),
                &self.label,
            ),
            Err(e) => Discovery {
                candidates: vec![],
                errors: vec![format!(
                    "{}: cannot read {}: {e}",
                    self.label,
                    self.path.display()
                )],
            },
        }
    }
}

impl Source for FileSource {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn platform(&self) -> Option<Platform> {
        None
    }

    fn discover<'a>(&'a self, _plan: &'a DiscoveryPlan) -> BoxFuture<'a, Discovery> {
        Box::pin(async move { self.read() })
    }

    fn lookup<'a>(&'a self, platform: Platform, handle: &'a str) -> BoxFuture<'a, Lookup> {
        Box::pin(async move {
            let found = self.read();
            let wanted = canonical_handle(handle);
            match found
                .candidates
                .into_iter()
                .find(|c| c.platform == platform && canonical_handle(&c.profile.handle) == wanted)
            {
                Some(c) => Lookup::Found(Box::new(c.profile)),
                // A file is not the platform: absence from it says nothing about existence.
                None => Lookup::Unknown(format!("{} does not list @{handle}", self.label)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_reports_bad_ones_by_number() {
        let text = r#"{"platform":"x","handle":"@b_diverjnzai","display_name":"文京区","avatar":"a.png","extra":1}
not json
{"platform":"myspace","handle":"x"}
{"handle":"nohandleplatform"}

{"platform":"bluesky","handle":"bunkyo.bsky.social","avatar":"https://cdn.example/a.jpg","id":42}
"#;
        let d = parse(text, Path::new("/data"), "file:c.jsonl");
        assert_eq!(d.candidates.len(), 2);
        assert_eq!(d.candidates[0].profile.handle, "b_diverjnzai");
        assert_eq!(
            d.candidates[0].profile.avatar.as_deref(),
            Some("/data/a.png")
        );
        assert_eq!(
            d.candidates[1].profile.avatar.as_deref(),
            Some("https://cdn.example/a.jpg")
        );
        assert_eq!(d.candidates[1].profile.id.as_deref(), Some("42"));
        assert_eq!(d.errors.len(), 3, "{:?}", d.errors);
        assert!(d.errors[0].contains("line 2"));
        assert!(d.errors[1].contains("line 3"));
        assert!(d.errors[2].contains("line 4"));
    }

    #[test]
    fn reads_account_facts_and_drops_bad_dates() {
        let text = r#"{"platform":"x","handle":"a","created_at":"2026-11-28T21:00:00+09:00","posts_count":0,"followers_count":3,"verified":false}
{"platform":"x","handle":"b","created_at":"last tuesday"}
{"platform":"x","handle":"c"}
"#;
        let d = parse(text, Path::new("."), "f");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let a = &d.candidates[0].profile;
        assert_eq!(a.created_at.as_deref(), Some("2026-11-28T12:00:00Z"));
        assert_eq!(
            (a.posts_count, a.followers_count, a.verified),
            (Some(0), Some(3), Some(false))
        );
        assert_eq!(d.candidates[1].profile.created_at, None);
        let c = &d.candidates[2].profile;
        assert_eq!(
            (&c.created_at, c.posts_count, c.followers_count, c.verified),
            (&None, None, None, None)
        );
    }

    #[test]
    fn long_fields_are_bounded() {
        let long = "あ".repeat(10_000);
        let text = format!(r#"{{"platform":"x","handle":"a","bio":"{long}"}}"#);
        let d = parse(&text, Path::new("."), "f");
        assert_eq!(
            d.candidates[0]
                .profile
                .bio
                .as_ref()
                .unwrap()
                .chars()
                .count(),
            MAX_FIELD_CHARS
        );
    }
}
