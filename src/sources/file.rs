//! A JSON Lines file of candidate accounts, one per line: `platform` and `handle` required;
//! `display_name`, `avatar` (a path relative to the file, or a URL), `bio`, `url`, `id`, and the
//! account facts `created_at` (RFC 3339), `posts_count`, `followers_count`, `verified`
//! optional; unknown fields ignored. A malformed line (bad JSON, invalid UTF-8, longer than
//! [`MAX_LINE_BYTES`]) is reported with its number and skipped; only that line is lost. Long
//! names and bios are cut to [`MAX_FIELD_CHARS`] and the account is still scored.

use super::{Discovery, DiscoveryPlan, Lookup, Source};
use crate::model::{canonical_handle, rfc3339_utc, Candidate, Platform, Profile};
use futures::future::BoxFuture;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Longest line accepted; longer ones are malformed input, not candidates. Generous, so a
/// 100 kB bio is cut (below) and its account still scored rather than skipped.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// Longest field kept from a line (names, bios, URLs are attacker-controlled).
pub const MAX_FIELD_CHARS: usize = 2000;

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
    parse_bytes(text.as_bytes(), base_dir, label)
}

/// Parses candidates file bytes: each line on its own, so one line of invalid UTF-8 loses
/// that line only.
pub fn parse_bytes(bytes: &[u8], base_dir: &Path, label: &str) -> Discovery {
    let mut out = Discovery::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let n = i + 1;
        if raw.len() > MAX_LINE_BYTES {
            out.errors.push(format!(
                "{label} line {n}: longer than {MAX_LINE_BYTES} bytes, skipped"
            ));
            continue;
        }
        let Ok(raw) = std::str::from_utf8(raw) else {
            out.errors
                .push(format!("{label} line {n}: not valid UTF-8, skipped"));
            continue;
        };
        match parse_line(raw.trim_start_matches('\u{FEFF}'), n, base_dir, label) {
            Ok(Some(c)) => out.candidates.push(c),
            Ok(None) => {}
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// Parses line `n` of a candidates file: a candidate, nothing (blank or comment), or the
/// message saying why the line was skipped.
pub fn parse_line(
    raw: &str,
    n: usize,
    base_dir: &Path,
    label: &str,
) -> Result<Option<Candidate>, String> {
    let line = raw.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
        return Ok(None);
    }
    if line.len() > MAX_LINE_BYTES {
        return Err(format!(
            "{label} line {n}: longer than {MAX_LINE_BYTES} bytes, skipped"
        ));
    }
    let parsed: Line =
        serde_json::from_str(line).map_err(|e| format!("{label} line {n}: {e}, skipped"))?;
    let platform: Platform = parsed
        .platform
        .parse()
        .map_err(|e| format!("{label} line {n}: {e}, skipped"))?;
    let handle = parsed.handle.trim().trim_start_matches('@').to_string();
    if handle.is_empty() || handle.chars().count() > 320 {
        return Err(format!(
            "{label} line {n}: handle is empty or too long, skipped"
        ));
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
    Ok(Some(Candidate {
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
    }))
}

/// The lines of a candidates file, read as a stream: at most [`MAX_LINE_BYTES`] (plus one) of
/// a line are ever held, and a line that is not UTF-8 is reported and skipped alone.
pub struct Lines {
    reader: std::io::BufReader<std::fs::File>,
    base_dir: PathBuf,
    label: String,
    n: usize,
    buf: Vec<u8>,
}

impl Iterator for Lines {
    /// A candidate, or why line n was skipped.
    type Item = Result<Candidate, String>;

    fn next(&mut self) -> Option<Self::Item> {
        use std::io::BufRead;
        loop {
            self.buf.clear();
            let mut too_long = false;
            let mut any = false;
            loop {
                let chunk = match self.reader.fill_buf() {
                    Ok(c) => c,
                    Err(e) => {
                        return Some(Err(format!(
                            "{} line {}: cannot read: {e}",
                            self.label,
                            self.n + 1
                        )))
                    }
                };
                if chunk.is_empty() {
                    break;
                }
                any = true;
                let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                };
                let room = (MAX_LINE_BYTES + 1).saturating_sub(self.buf.len());
                if take > room {
                    too_long = true;
                }
                self.buf.extend_from_slice(&chunk[..take.min(room)]);
                self.reader.consume(take);
                if done {
                    break;
                }
            }
            if !any {
                return None;
            }
            self.n += 1;
            let n = self.n;
            if too_long || self.buf.len() > MAX_LINE_BYTES + 1 {
                return Some(Err(format!(
                    "{} line {n}: longer than {MAX_LINE_BYTES} bytes, skipped",
                    self.label
                )));
            }
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                return Some(Err(format!(
                    "{} line {n}: not valid UTF-8, skipped",
                    self.label
                )));
            };
            match parse_line(text, n, &self.base_dir, &self.label) {
                Ok(Some(c)) => return Some(Ok(c)),
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// A candidates file, read afresh for every scan and lookup.
#[derive(Clone)]
pub struct FileSource {
    path: PathBuf,
    label: String,
}

impl FileSource {
    pub fn new(path: PathBuf, label: String) -> Self {
        FileSource { path, label }
    }

    /// The file's candidates as a stream, for scans of any size.
    pub fn lines(&self) -> std::io::Result<Lines> {
        let file = std::fs::File::open(&self.path)?;
        Ok(Lines {
            reader: std::io::BufReader::with_capacity(256 * 1024, file),
            base_dir: self.path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            label: self.label.clone(),
            n: 0,
            buf: Vec::new(),
        })
    }

    /// Why the file cannot be streamed, as a scan error.
    pub fn open_error(&self, e: &std::io::Error) -> String {
        format!("{}: cannot read {}: {e}", self.label, self.path.display())
    }

    fn read(&self) -> Discovery {
        match std::fs::read(&self.path) {
            Ok(bytes) => parse_bytes(
                &bytes,
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

    fn as_file(&self) -> Option<&FileSource> {
        Some(self)
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
    fn invalid_utf8_loses_only_its_line() {
        let mut bytes = br#"{"platform":"x","handle":"one"}"#.to_vec();
        bytes.extend_from_slice(b"\n{\"platform\":\"x\",\"handle\":\"bad\xff\xfe\"}\n");
        bytes.extend_from_slice(br#"{"platform":"X","handle":"two"}"#);
        let d = parse_bytes(&bytes, Path::new("."), "f");
        let handles: Vec<_> = d
            .candidates
            .iter()
            .map(|c| c.profile.handle.as_str())
            .collect();
        assert_eq!(handles, ["one", "two"]);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].contains("line 2") && d.errors[0].contains("UTF-8"));
    }

    #[test]
    fn a_100_kb_name_and_bio_are_cut_and_the_account_kept() {
        let long = "文京区".repeat(12_000); // 108 kB
        let text = format!(
            r#"{{"platform":"twitter","handle":"b_diverjnzai","display_name":"{long}","bio":"{long}"}}"#
        );
        let d = parse(&text, Path::new("."), "f");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let p = &d.candidates[0].profile;
        assert_eq!(
            p.display_name.as_ref().unwrap().chars().count(),
            MAX_FIELD_CHARS
        );
        assert_eq!(p.bio.as_ref().unwrap().chars().count(), MAX_FIELD_CHARS);
        assert_eq!(d.candidates[0].platform, Platform::X);
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

    #[test]
    fn streamed_lines_match_parse_and_lose_only_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let mut bytes = br#"{"platform":"x","handle":"a","avatar":"a.png"}"#.to_vec();
        bytes.extend_from_slice(b"\n{\"platform\":\"x\",\"handle\":\"bad\xff\"}\n");
        bytes.extend_from_slice(format!("{}\n", "x".repeat(MAX_LINE_BYTES * 3)).as_bytes());
        bytes.extend_from_slice(b"\n# comment\n{\"platform\":\"bluesky\",\"handle\":\"b\"}");
        std::fs::write(&path, &bytes).unwrap();
        let src = FileSource::new(path, "file:c".into());
        let got: Vec<_> = src.lines().unwrap().collect();
        assert_eq!(got.len(), 4, "{got:?}");
        let ok: Vec<&Candidate> = got.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].profile.handle, "a");
        assert_eq!(
            ok[0]
                .profile
                .avatar
                .as_deref()
                .map(|a| a.ends_with("a.png")),
            Some(true)
        );
        assert_eq!(ok[1].profile.handle, "b");
        let errs: Vec<&String> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(
            errs[0].contains("line 2") && errs[0].contains("UTF-8"),
            "{errs:?}"
        );
        assert!(
            errs[1].contains("line 3") && errs[1].contains("longer"),
            "{errs:?}"
        );
    }
}
