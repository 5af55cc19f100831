//! Misskey, one source per instance (platform-apis.md §4): user search
//! (`POST /api/users/search`, offset paging) and exact lookup (`POST /api/users/show` with
//! `{username, host}`, one user per request). JSON bodies, not query strings. The token,
//! optional, comes from the environment variable named by `token_env` and is sent as a bearer
//! header.
//!
//! Outcomes (§6.3), classified by `error.code`, never by message or status: a user ⇒ found
//! (`isSuspended` ⇒ suspended); `NO_SUCH_USER` (404, or 400 on older servers) ⇒ not found — the
//! platform gives the same answer for suspended users; everything else
//! (`FAILED_TO_RESOLVE_REMOTE_USER`, 429, 5xx, `AUTHENTICATION_FAILED`) ⇒ unknown.

use super::facts;
use super::live::{fediverse_handle, Common, Page, PlatformClient, Probe};
use super::retry::{ApiError, Reply};
use super::text::{self, MAX_BIO_CHARS, MAX_HANDLE_CHARS, MAX_NAME_CHARS, MAX_URL_CHARS};
use super::Lookup;
use crate::config::SourceConfig;
use crate::model::{Platform, Profile};
use crate::variants::Rules;
use anyhow::Result;
use serde::Deserialize;
use serde_json::json;

/// One request per look-alike.
pub const DEFAULT_MAX_VARIANTS: usize = 40;
/// `limit` is 1–100.
pub const PAGE: usize = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    name: Option<String>,
    username: String,
    host: Option<String>,
    avatar_url: Option<String>,
    description: Option<String>,
    url: Option<String>,
    uri: Option<String>,
    #[serde(default)]
    is_suspended: bool,
    #[serde(default, deserialize_with = "facts::timestamp")]
    created_at: Option<String>,
    /// Only in `users/show` answers (UserDetailed), not in search results.
    #[serde(default, deserialize_with = "facts::count")]
    notes_count: Option<u64>,
    #[serde(default, deserialize_with = "facts::count")]
    followers_count: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorInner,
}

#[derive(Deserialize)]
struct ErrorInner {
    code: Option<String>,
    message: Option<String>,
}

/// The Misskey source of one instance.
pub struct Misskey {
    common: Common,
    host: String,
}

impl Misskey {
    pub fn new(sc: &SourceConfig, client: reqwest::Client) -> Result<Misskey> {
        let common = Common::new(sc, client, Platform::Misskey, None, DEFAULT_MAX_VARIANTS)?;
        let host = common
            .instance_host
            .clone()
            .ok_or_else(|| anyhow::anyhow!("needs `instance`"))?;
        Ok(Misskey { common, host })
    }

    fn profile(&self, u: User) -> Profile {
        let username = u.username.to_ascii_lowercase();
        let host = u
            .host
            .as_deref()
            .map(str::to_ascii_lowercase)
            .unwrap_or_else(|| self.host.clone());
        let local = host == self.host;
        let avatar = text::field(u.avatar_url.as_deref(), MAX_URL_CHARS);
        Profile {
            platform: Some(Platform::Misskey),
            handle: text::bound(&format!("{username}@{host}"), MAX_HANDLE_CHARS),
            display_name: text::field(u.name.as_deref(), MAX_NAME_CHARS),
            bio: u
                .description
                .as_deref()
                .map(|d| text::mfm_to_text(d, MAX_BIO_CHARS))
                .filter(|b| !b.is_empty()),
            url: text::field(u.url.as_deref(), MAX_URL_CHARS).or_else(|| {
                local.then(|| format!("https://{}/@{}", self.host, text::bound(&username, 64)))
            }),
            id: text::field(u.uri.as_deref(), MAX_URL_CHARS).or_else(|| {
                Some(format!(
                    "https://{}/users/{}",
                    self.host,
                    text::bound(&u.id, 64)
                ))
            }),
            // Users without an avatar get a generated identicon (§4.4).
            default_avatar: avatar.as_deref().is_none_or(|a| a.contains("/identicon/")),
            avatar,
            created_at: u.created_at,
            posts_count: u.notes_count,
            followers_count: u.followers_count,
            verified: None,
        }
    }

    fn error_code(reply: &Reply) -> Option<String> {
        serde_json::from_slice::<ErrorBody>(&reply.body)
            .ok()
            .and_then(|e| e.error.code.or(e.error.message))
    }

    async fn lookup_one(&self, handle: &str) -> Probe {
        let (username, host) = match handle.split_once('@') {
            Some((u, h)) => (u, Some(h)),
            None => (handle, None),
        };
        let url = self.common.url("/api/users/show");
        let body = json!({ "username": username, "host": host });
        let reply = self
            .common
            .api
            .send(|c| self.common.auth(c.post(&url)).json(&body))
            .await?;
        if reply.status == 200 {
            let u: User = reply.json()?;
            return Ok(if u.is_suspended {
                Lookup::Suspended
            } else {
                Lookup::Found(Box::new(self.profile(u)))
            });
        }
        match Misskey::error_code(&reply).as_deref() {
            Some("NO_SUCH_USER") => Ok(Lookup::NotFound),
            Some(code @ ("AUTHENTICATION_FAILED" | "CREDENTIAL_REQUIRED")) => {
                self.common.api.stop(&format!(
                    "{} refused the request ({code}): check the token",
                    self.host
                ));
                Err(reply.unexpected())
            }
            Some(code) => Ok(Lookup::Unknown(format!(
                "Misskey error {} (HTTP {})",
                text::bound(code, 60),
                reply.status
            ))),
            None => Err(reply.unexpected()),
        }
    }
}

impl PlatformClient for Misskey {
    fn common(&self) -> &Common {
        &self.common
    }

    fn rules(&self) -> Rules {
        Rules::MISSKEY
    }

    fn batch_size(&self) -> usize {
        1
    }

    fn page_size(&self) -> usize {
        PAGE
    }

    async fn search_page(
        &self,
        query: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page, ApiError> {
        let url = self.common.url("/api/users/search");
        let limit = limit.clamp(1, PAGE);
        let offset: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        let body = json!({
            "query": query, "limit": limit, "offset": offset,
            "origin": "combined", "detail": true,
        });
        let reply = self
            .common
            .api
            .send(|c| self.common.auth(c.post(&url)).json(&body))
            .await?;
        if reply.status != 200 {
            return Err(reply.unexpected());
        }
        let users: Vec<User> = reply.json()?;
        let full = users.len() >= limit;
        let profiles: Vec<Profile> = users.into_iter().map(|u| self.profile(u)).collect();
        Ok(Page {
            next: full.then(|| (offset + profiles.len()).to_string()),
            profiles,
        })
    }

    async fn lookup_batch(&self, handles: &[String]) -> Vec<Probe> {
        let mut out = Vec::with_capacity(handles.len());
        for h in handles {
            out.push(self.lookup_one(h).await);
        }
        out
    }

    fn normalize(&self, handle: &str) -> Option<String> {
        fediverse_handle(handle, &self.host)
    }
}
