//! X (Twitter) API v2 (platform-apis.md §1): batch lookup of up to 100 usernames
//! (`/2/users/by`), single lookup (`/2/users/by/username/{u}`) and user search
//! (`/2/users/search`, which needs a user-context token; set `search = false` otherwise).
//! A bearer token from the environment variable named by `token_env` is required.
//!
//! Outcomes (§6.3): in `data` ⇒ found; an `errors[]` entry titled "Not Found Error" (or a 404)
//! ⇒ not found; "User has been suspended" ⇒ suspended; everything else ⇒ unknown. A name the
//! batch answer mentions nowhere is confirmed with a single lookup.

use super::facts;
use super::live::{Common, Page, PlatformClient, Probe};
use super::retry::{ApiError, Reply};
use super::text::{self, MAX_BIO_CHARS, MAX_NAME_CHARS, MAX_URL_CHARS};
use super::Lookup;
use crate::config::SourceConfig;
use crate::model::{canonical_handle, Platform, Profile};
use crate::variants::Rules;
use anyhow::Result;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// The public API.
pub const DEFAULT_BASE: &str = "https://api.x.com";
/// Look-alikes probed per official account: two batch requests.
pub const DEFAULT_MAX_VARIANTS: usize = 200;
/// `usernames` takes 1–100 names.
pub const BATCH: usize = 100;
const USER_FIELDS: &str = "created_at,description,entities,profile_image_url,protected,public_metrics,url,verified,verified_type";

#[derive(Deserialize)]
struct User {
    id: Option<String>,
    username: String,
    name: Option<String>,
    description: Option<String>,
    profile_image_url: Option<String>,
    #[serde(default, deserialize_with = "facts::timestamp")]
    created_at: Option<String>,
    #[serde(default)]
    public_metrics: Option<Metrics>,
    #[serde(default, deserialize_with = "facts::flag")]
    verified: Option<bool>,
}

/// `public_metrics` (§1.3); only the counts the detector uses.
#[derive(Default, Deserialize)]
struct Metrics {
    #[serde(default, deserialize_with = "facts::count")]
    tweet_count: Option<u64>,
    #[serde(default, deserialize_with = "facts::count")]
    followers_count: Option<u64>,
}

#[derive(Deserialize)]
struct Problem {
    value: Option<serde_json::Value>,
    resource_id: Option<String>,
    title: Option<String>,
    detail: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct Many {
    #[serde(default)]
    data: Vec<User>,
    #[serde(default)]
    errors: Vec<Problem>,
    #[serde(default)]
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct One {
    data: Option<User>,
    #[serde(default)]
    errors: Vec<Problem>,
}

#[derive(Deserialize)]
struct Meta {
    next_token: Option<String>,
}

/// The X source.
pub struct X {
    common: Common,
    /// Set once X refused user search to this token: the other queries are not sent.
    search_refused: AtomicBool,
}

impl X {
    pub fn new(sc: &SourceConfig, client: reqwest::Client) -> Result<X> {
        let common = Common::new(
            sc,
            client,
            Platform::X,
            Some(DEFAULT_BASE),
            DEFAULT_MAX_VARIANTS,
        )?;
        if common.token.is_none() {
            anyhow::bail!("X needs a bearer token: set `token_env` to the name of the environment variable holding it");
        }
        Ok(X {
            common,
            search_refused: AtomicBool::new(false),
        })
    }

    fn profile(u: User) -> Profile {
        let handle = text::bound(&u.username, 15);
        let avatar = text::field(u.profile_image_url.as_deref(), MAX_URL_CHARS);
        let default_avatar = avatar
            .as_deref()
            .is_some_and(|a| a.contains("/default_profile_images/"));
        let metrics = u.public_metrics.unwrap_or_default();
        Profile {
            platform: Some(Platform::X),
            url: Some(format!("https://x.com/{handle}")),
            handle,
            display_name: text::field(u.name.as_deref(), MAX_NAME_CHARS),
            // The API returns the 48×48 `_normal` picture; hash a larger one (§1.4).
            avatar: avatar.map(|a| a.replacen("_normal.", "_400x400.", 1)),
            bio: text::field(u.description.as_deref(), MAX_BIO_CHARS),
            id: text::field(u.id.as_deref(), 40),
            default_avatar,
            created_at: u.created_at,
            posts_count: metrics.tweet_count,
            followers_count: metrics.followers_count,
            verified: u.verified,
        }
    }

    /// Classifies an `errors[]` entry about one user (§1.5).
    fn classify(p: &Problem) -> Lookup {
        let detail = p.detail.as_deref().unwrap_or_default();
        let title = p.title.as_deref().unwrap_or_default();
        if detail.contains("User has been suspended") {
            Lookup::Suspended
        } else if title == "Not Found Error" {
            Lookup::NotFound
        } else {
            Lookup::Unknown(format!(
                "X problem {}: {}",
                text::bound(p.kind.as_deref().unwrap_or("?"), 100),
                text::bound(if detail.is_empty() { title } else { detail }, 200)
            ))
        }
    }

    fn problem_subject(p: &Problem) -> Option<String> {
        let v = match &p.value {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            _ => p.resource_id.clone(),
        };
        v.map(|s| canonical_handle(&s))
    }

    /// Token problems stop the source: every further request would fail the same way.
    fn refuse(&self, reply: &Reply) -> ApiError {
        let e = reply.unexpected();
        if matches!(reply.status, 401 | 403) {
            self.common.api.stop(&format!(
                "X refused the token (HTTP {}): check the token in {} and the app's access",
                reply.status,
                self.common.token_env.as_deref().unwrap_or("token_env")
            ));
        }
        e
    }

    async fn lookup_one(&self, handle: &str) -> Probe {
        let url = self.common.url(&format!("/2/users/by/username/{handle}"));
        let reply = self
            .common
            .api
            .send(|c| {
                self.common
                    .auth(c.get(&url))
                    .query(&[("user.fields", USER_FIELDS)])
            })
            .await?;
        match reply.status {
            200 => {
                let one: One = reply.json()?;
                match (one.data, one.errors.first()) {
                    (Some(u), _) => Ok(Lookup::Found(Box::new(X::profile(u)))),
                    (None, Some(p)) => Ok(X::classify(p)),
                    (None, None) => Err(ApiError::Malformed("neither data nor errors".into())),
                }
            }
            // The integration guide documents a 404 for the single endpoint (§1.2).
            404 => Ok(Lookup::NotFound),
            _ => Err(self.refuse(&reply)),
        }
    }
}

impl PlatformClient for X {
    fn common(&self) -> &Common {
        &self.common
    }

    fn rules(&self) -> Rules {
        Rules::X
    }

    fn batch_size(&self) -> usize {
        BATCH
    }

    fn page_size(&self) -> usize {
        100
    }

    /// The search `query` pattern is `^[A-Za-z0-9_' ]{1,50}$` (§1.3): Japanese names cannot be
    /// searched on X.
    fn search_query(&self, term: &str) -> Option<String> {
        let ok = !term.is_empty()
            && term.chars().count() <= 50
            && term
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | ' '));
        ok.then(|| term.to_string())
    }

    async fn search_page(
        &self,
        query: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page, ApiError> {
        if self.search_refused.load(Ordering::Relaxed) {
            return Err(ApiError::Stopped("X refused user search".into()));
        }
        let url = self.common.url("/2/users/search");
        let limit = limit.clamp(1, 1000).to_string();
        let reply = self
            .common
            .api
            .send(|c| {
                let mut rb = self.common.auth(c.get(&url)).query(&[
                    ("query", query),
                    ("max_results", limit.as_str()),
                    ("user.fields", USER_FIELDS),
                ]);
                if let Some(t) = cursor {
                    rb = rb.query(&[("next_token", t)]);
                }
                rb
            })
            .await?;
        match reply.status {
            200 => {
                let many: Many = reply.json()?;
                Ok(Page {
                    profiles: many.data.into_iter().map(X::profile).collect(),
                    next: many.meta.and_then(|m| m.next_token),
                })
            }
            // Search needs a user-context token; an app-only token gets 403 (§1.1). Lookups
            // still work, so only search is refused here.
            403 => {
                if self.search_refused.swap(true, Ordering::Relaxed) {
                    return Err(ApiError::Stopped("X refused user search".into()));
                }
                Err(ApiError::Status {
                status: 403,
                detail: format!(
                    "user search is not available to this token (set `search = false` to rely on look-alike lookups): {}",
                    reply.excerpt()
                ),
                })
            }
            _ => Err(self.refuse(&reply)),
        }
    }

    async fn lookup_batch(&self, handles: &[String]) -> Vec<Probe> {
        if handles.len() == 1 {
            return vec![self.lookup_one(&handles[0]).await];
        }
        let url = self.common.url("/2/users/by");
        let joined = handles.join(",");
        let reply = match self
            .common
            .api
            .send(|c| {
                self.common
                    .auth(c.get(&url))
                    .query(&[("usernames", joined.as_str()), ("user.fields", USER_FIELDS)])
            })
            .await
        {
            Ok(r) => r,
            Err(e) => return handles.iter().map(|_| Err(e.clone())).collect(),
        };
        if reply.status != 200 {
            let e = self.refuse(&reply);
            return handles.iter().map(|_| Err(e.clone())).collect();
        }
        let many: Many = match reply.json() {
            Ok(m) => m,
            Err(e) => return handles.iter().map(|_| Err(e.clone())).collect(),
        };
        let mut answers: HashMap<String, Lookup> = HashMap::new();
        for p in &many.errors {
            if let Some(subject) = X::problem_subject(p) {
                answers.insert(subject, X::classify(p));
            }
        }
        for u in many.data {
            answers.insert(
                canonical_handle(&u.username),
                Lookup::Found(Box::new(X::profile(u))),
            );
        }
        let mut out = Vec::with_capacity(handles.len());
        for h in handles {
            match answers.remove(&canonical_handle(h)) {
                Some(l) => out.push(Ok(l)),
                // Mentioned nowhere: ask once more, alone, before concluding anything.
                None => out.push(self.lookup_one(h).await),
            }
        }
        out
    }

    fn normalize(&self, handle: &str) -> Option<String> {
        let h = handle.trim().trim_start_matches('@');
        let valid = !h.is_empty()
            && h.len() <= 15
            && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        valid.then(|| h.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_classified_by_title_and_detail() {
        let p: Many = serde_json::from_str(
            r#"{"errors":[
            {"value":"examp1e_city","detail":"Could not find user with usernames: [examp1e_city].","title":"Not Found Error","resource_type":"user","parameter":"usernames","resource_id":"examp1e_city","type":"https://api.twitter.com/2/problems/resource-not-found"},
            {"value":"example_citty","detail":"User has been suspended: [example_citty].","title":"Forbidden","resource_type":"user","parameter":"usernames","resource_id":"example_citty","type":"https://api.twitter.com/2/problems/resource-not-found"},
            {"value":"x","title":"Authorization Error","detail":"Sorry","type":"https://api.twitter.com/2/problems/not-authorized-for-resource"}]}"#,
        )
        .unwrap();
        assert_eq!(X::classify(&p.errors[0]), Lookup::NotFound);
        assert_eq!(X::classify(&p.errors[1]), Lookup::Suspended);
        assert!(matches!(X::classify(&p.errors[2]), Lookup::Unknown(_)));
        assert_eq!(
            X::problem_subject(&p.errors[0]).as_deref(),
            Some("examp1e_city")
        );
    }

    #[test]
    fn users_map_to_profiles_with_large_and_default_avatars() {
        let u: User = serde_json::from_str(r#"{"id":"1500000000000000001","username":"example_city","name":"例市（公式）","description":"例市の公式アカウントです。","profile_image_url":"https://pbs.twimg.com/profile_images/1500000000000000001/AbCd1234_normal.jpg","public_metrics":{"followers_count":1,"post_count":3}}"#).unwrap();
        let p = X::profile(u);
        assert_eq!(p.handle, "example_city");
        assert_eq!(p.url.as_deref(), Some("https://x.com/example_city"));
        assert_eq!(
            p.avatar.as_deref(),
            Some("https://pbs.twimg.com/profile_images/1500000000000000001/AbCd1234_400x400.jpg")
        );
        assert!(!p.default_avatar);
        let d: User = serde_json::from_str(r#"{"id":"2","username":"a","profile_image_url":"https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"}"#).unwrap();
        assert!(X::profile(d).default_avatar);
    }
}
