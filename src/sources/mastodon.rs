//! Mastodon, one source per instance (platform-apis.md §3): account search
//! (`/api/v2/search?type=accounts`; anonymous callers get one page, paging by `offset` needs a
//! token) and exact lookup (`/api/v1/accounts/lookup?acct=`, one account per request). The
//! token, optional, comes from the environment variable named by `token_env`.
//!
//! Outcomes (§6.3): 200 ⇒ found, unless `"suspended": true` ⇒ suspended (410 Gone from servers
//! before 3.3 likewise); 404 for a local account ⇒ not found (for a remote `user@host` ⇒
//! unknown: the instance may just not have seen it); 401, 429, 5xx and the rest ⇒ unknown. Local accounts
//! are recorded as `name@instance` so the same name on two instances stays two accounts.

use super::facts;
use super::live::{fediverse_handle, Common, Page, PlatformClient, Probe};
use super::retry::ApiError;
use super::text::{self, MAX_BIO_CHARS, MAX_HANDLE_CHARS, MAX_NAME_CHARS, MAX_URL_CHARS};
use super::Lookup;
use crate::config::SourceConfig;
use crate::model::{Platform, Profile};
use crate::variants::Rules;
use anyhow::Result;
use serde::Deserialize;

/// One request per look-alike: keep the default modest (300 requests / 5 min per IP).
pub const DEFAULT_MAX_VARIANTS: usize = 40;
/// `limit` is capped at 40 by the server.
pub const PAGE: usize = 40;

#[derive(Deserialize)]
struct Account {
    id: String,
    acct: String,
    display_name: Option<String>,
    note: Option<String>,
    url: Option<String>,
    uri: Option<String>,
    avatar: Option<String>,
    avatar_static: Option<String>,
    #[serde(default)]
    suspended: bool,
    #[serde(default, deserialize_with = "facts::timestamp")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "facts::count")]
    statuses_count: Option<u64>,
    #[serde(default, deserialize_with = "facts::count")]
    followers_count: Option<u64>,
}

#[derive(Deserialize)]
struct SearchReply {
    #[serde(default)]
    accounts: Vec<Account>,
}

/// The Mastodon source of one instance.
pub struct Mastodon {
    common: Common,
    host: String,
}

impl Mastodon {
    pub fn new(sc: &SourceConfig, client: reqwest::Client) -> Result<Mastodon> {
        let common = Common::new(sc, client, Platform::Mastodon, None, DEFAULT_MAX_VARIANTS)?;
        let host = common
            .instance_host
            .clone()
            .ok_or_else(|| anyhow::anyhow!("needs `instance`"))?;
        Ok(Mastodon { common, host })
    }

    fn profile(&self, a: Account) -> Profile {
        let acct = a.acct.trim().trim_start_matches('@').to_ascii_lowercase();
        // Local accounts carry no domain in `acct`; qualify them with this instance.
        let handle = if acct.contains('@') {
            acct
        } else {
            format!("{acct}@{}", self.host)
        };
        let avatar = text::field(
            a.avatar_static.as_deref().or(a.avatar.as_deref()),
            MAX_URL_CHARS,
        );
        Profile {
            platform: Some(Platform::Mastodon),
            handle: text::bound(&handle, MAX_HANDLE_CHARS),
            display_name: text::field(a.display_name.as_deref(), MAX_NAME_CHARS),
            bio: a
                .note
                .as_deref()
                .map(|n| text::html_to_text(n, MAX_BIO_CHARS))
                .filter(|b| !b.is_empty()),
            url: text::field(a.url.as_deref(), MAX_URL_CHARS),
            // `id` is local to the instance asked; `uri` is the actor everywhere (§3.4).
            id: text::field(a.uri.as_deref().or(Some(&a.id)), MAX_URL_CHARS),
            default_avatar: avatar
                .as_deref()
                .is_none_or(|u| u.ends_with("/avatars/original/missing.png")),
            avatar,
            created_at: a.created_at,
            posts_count: a.statuses_count,
            followers_count: a.followers_count,
            // Mastodon has no verification; verified links are the owner's own claim.
            verified: None,
        }
    }
}

impl PlatformClient for Mastodon {
    fn common(&self) -> &Common {
        &self.common
    }

    fn rules(&self) -> Rules {
        Rules::MASTODON
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
        let url = self.common.url("/api/v2/search");
        let limit = limit.clamp(1, PAGE);
        let limit_s = limit.to_string();
        let reply = self
            .common
            .api
            .send(|c| {
                let mut rb = self.common.auth(c.get(&url)).query(&[
                    ("q", query),
                    ("type", "accounts"),
                    ("limit", limit_s.as_str()),
                ]);
                // Anonymous requests that merely contain `offset` are refused (§3.2).
                if let Some(off) = cursor {
                    rb = rb.query(&[("offset", off)]);
                }
                rb
            })
            .await?;
        if reply.status != 200 {
            return Err(reply.unexpected());
        }
        let r: SearchReply = reply.json()?;
        let offset: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        let full = r.accounts.len() >= limit;
        let profiles: Vec<Profile> = r.accounts.into_iter().map(|a| self.profile(a)).collect();
        Ok(Page {
            next: (self.common.token.is_some() && full)
                .then(|| (offset + profiles.len()).to_string()),
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

impl Mastodon {
    async fn lookup_one(&self, acct: &str) -> Probe {
        let url = self.common.url("/api/v1/accounts/lookup");
        let reply = self
            .common
            .api
            .send(|c| self.common.auth(c.get(&url)).query(&[("acct", acct)]))
            .await?;
        match reply.status {
            200 => {
                let a: Account = reply.json()?;
                Ok(if a.suspended {
                    Lookup::Suspended
                } else {
                    Lookup::Found(Box::new(self.profile(a)))
                })
            }
            // `lookup` skips WebFinger: a remote account this instance has never seen is a 404
            // even when it exists (§3.3), so only a local 404 means "does not exist".
            404 if acct.contains('@') => Ok(Lookup::Unknown(format!(
                "{} does not know @{} (remote accounts are found only once the instance has seen them)",
                self.host,
                text::bound(acct, 200)
            ))),
            404 => Ok(Lookup::NotFound),
            410 => Ok(Lookup::Suspended),
            401 => {
                let why = format!(
                    "{} refused the request (HTTP 401: {}); a token with read:accounts may be needed",
                    self.host,
                    reply.excerpt()
                );
                self.common.api.stop(&why);
                Err(ApiError::Status {
                    status: 401,
                    detail: reply.excerpt(),
                })
            }
            _ => Err(reply.unexpected()),
        }
    }
}
