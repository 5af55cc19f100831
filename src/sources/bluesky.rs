//! Bluesky through the public AppView, no token (platform-apis.md §2): actor search
//! (`app.bsky.actor.searchActors`, cursor paging), batch lookup of up to 25 actors
//! (`getProfiles`, which silently drops unknown, deactivated and taken-down actors) and single
//! lookup (`getProfile`), which tells them apart.
//!
//! Outcomes (§6.3): a profile ⇒ found; 400 `InvalidRequest` "Profile not found" ⇒ not found;
//! 400 `AccountTakedown` / `AccountDeactivated` ⇒ suspended; anything else ⇒ unknown. Batches
//! serve discovery's probing only, where an actor a `getProfiles` answer leaves out is not a
//! candidate whichever of the three it is: it counts as not found without a request of its
//! own (a probe of 200 look-alikes is 8 requests, not 8 plus one per unregistered name).
//! Single lookups (`check`, removal re-checks, where "not found" must be certain) always go
//! through `getProfile`.

use super::facts;
use super::live::{Common, Page, PlatformClient, Probe};
use super::retry::ApiError;
use super::text::{self, MAX_BIO_CHARS, MAX_HANDLE_CHARS, MAX_NAME_CHARS, MAX_URL_CHARS};
use super::Lookup;
use crate::config::SourceConfig;
use crate::model::{Platform, Profile};
use crate::variants::Rules;
use anyhow::Result;
use serde::Deserialize;
use std::collections::HashMap;

/// Bluesky's cached public AppView.
pub const DEFAULT_BASE: &str = "https://public.api.bsky.app";
/// Look-alikes probed per official account: eight `getProfiles` requests.
pub const DEFAULT_MAX_VARIANTS: usize = 200;
/// `getProfiles` takes at most 25 actors.
pub const BATCH: usize = 25;
/// The hosting domain look-alikes are registered under.
pub const HOSTING_SUFFIX: &str = ".bsky.social";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Actor {
    did: String,
    handle: String,
    display_name: Option<String>,
    description: Option<String>,
    avatar: Option<String>,
    #[serde(default, deserialize_with = "facts::timestamp")]
    created_at: Option<String>,
    /// Only in `getProfile(s)` answers, not in search results.
    #[serde(default, deserialize_with = "facts::count")]
    posts_count: Option<u64>,
    #[serde(default, deserialize_with = "facts::count")]
    followers_count: Option<u64>,
}

#[derive(Deserialize)]
struct SearchReply {
    #[serde(default)]
    actors: Vec<Actor>,
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct ProfilesReply {
    #[serde(default)]
    profiles: Vec<Actor>,
}

#[derive(Deserialize)]
struct XrpcError {
    error: Option<String>,
    message: Option<String>,
}

/// The Bluesky source.
pub struct Bluesky {
    common: Common,
}

impl Bluesky {
    pub fn new(sc: &SourceConfig, client: reqwest::Client) -> Result<Bluesky> {
        if sc.token_env.is_some() {
            // The public AppView does not support authentication (§2.1); a token sent there
            // would only be refused.
            anyhow::bail!("the public Bluesky AppView takes no token: remove `token_env`");
        }
        Ok(Bluesky {
            common: Common::new(
                sc,
                client,
                Platform::Bluesky,
                Some(DEFAULT_BASE),
                DEFAULT_MAX_VARIANTS,
            )?,
        })
    }

    fn profile(a: Actor) -> Profile {
        let did = text::bound(&a.did, MAX_URL_CHARS);
        let handle = text::bound(&a.handle.to_ascii_lowercase(), MAX_HANDLE_CHARS);
        // `handle.invalid`: the handle no longer verifies; the DID is the identity (§2.6).
        let handle = if handle == "handle.invalid" || handle.is_empty() {
            did.clone()
        } else {
            handle
        };
        let avatar = text::field(a.avatar.as_deref(), MAX_URL_CHARS);
        Profile {
            platform: Some(Platform::Bluesky),
            url: Some(format!("https://bsky.app/profile/{handle}")),
            handle,
            display_name: text::field(a.display_name.as_deref(), MAX_NAME_CHARS),
            bio: text::field(a.description.as_deref(), MAX_BIO_CHARS),
            // No avatar at all is Bluesky's default picture.
            default_avatar: avatar.is_none(),
            avatar,
            id: Some(did),
            created_at: a.created_at,
            posts_count: a.posts_count,
            followers_count: a.followers_count,
            // Bluesky's verification badges are not read (§2).
            verified: None,
        }
    }

    async fn lookup_one(&self, actor: &str) -> Probe {
        let url = self.common.url("/xrpc/app.bsky.actor.getProfile");
        let reply = self
            .common
            .api
            .send(|c| self.common.auth(c.get(&url)).query(&[("actor", actor)]))
            .await?;
        match reply.status {
            200 => Ok(Lookup::Found(Box::new(Bluesky::profile(reply.json()?)))),
            // Classify by the XRPC error name, never by the status alone (§2.5).
            400 => {
                let e: XrpcError = reply.json()?;
                let message = e.message.unwrap_or_default();
                Ok(match e.error.as_deref() {
                    Some("InvalidRequest")
                        if message.to_ascii_lowercase().contains("profile not found") =>
                    {
                        Lookup::NotFound
                    }
                    Some("AccountTakedown") | Some("AccountDeactivated") => Lookup::Suspended,
                    other => Lookup::Unknown(format!(
                        "Bluesky error {}: {}",
                        text::bound(other.unwrap_or("?"), 60),
                        text::bound(&message, 200)
                    )),
                })
            }
            _ => Err(reply.unexpected()),
        }
    }
}

impl PlatformClient for Bluesky {
    fn common(&self) -> &Common {
        &self.common
    }

    fn rules(&self) -> Rules {
        Rules::BLUESKY
    }

    fn batch_size(&self) -> usize {
        BATCH
    }

    fn page_size(&self) -> usize {
        100
    }

    async fn search_page(
        &self,
        query: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page, ApiError> {
        let url = self.common.url("/xrpc/app.bsky.actor.searchActors");
        let limit = limit.clamp(1, 100).to_string();
        let reply = self
            .common
            .api
            .send(|c| {
                let mut rb = self
                    .common
                    .auth(c.get(&url))
                    .query(&[("q", query), ("limit", limit.as_str())]);
                if let Some(cur) = cursor {
                    rb = rb.query(&[("cursor", cur)]);
                }
                rb
            })
            .await?;
        if reply.status != 200 {
            return Err(reply.unexpected());
        }
        let r: SearchReply = reply.json()?;
        Ok(Page {
            profiles: r.actors.into_iter().map(Bluesky::profile).collect(),
            next: r.cursor,
        })
    }

    async fn lookup_batch(&self, handles: &[String]) -> Vec<Probe> {
        if handles.len() == 1 {
            return vec![self.lookup_one(&handles[0]).await];
        }
        let url = self.common.url("/xrpc/app.bsky.actor.getProfiles");
        // Repeated parameter: actors=a&actors=b (§6.1).
        let params: Vec<(&str, &str)> = handles.iter().map(|h| ("actors", h.as_str())).collect();
        let reply = match self
            .common
            .api
            .send(|c| self.common.auth(c.get(&url)).query(&params))
            .await
        {
            Ok(r) if r.status == 200 => r,
            Ok(r) => {
                let e = r.unexpected();
                return handles.iter().map(|_| Err(e.clone())).collect();
            }
            Err(e) => return handles.iter().map(|_| Err(e.clone())).collect(),
        };
        let profiles: ProfilesReply = match reply.json() {
            Ok(p) => p,
            Err(e) => return handles.iter().map(|_| Err(e.clone())).collect(),
        };
        let mut by_key: HashMap<String, Profile> = HashMap::new();
        for a in profiles.profiles {
            let did = a.did.clone();
            let handle = a.handle.to_ascii_lowercase();
            let p = Bluesky::profile(a);
            by_key.insert(did, p.clone());
            by_key.insert(handle, p);
        }
        handles
            .iter()
            .map(|h| match by_key.get(&h.to_ascii_lowercase()) {
                Some(p) => Ok(Lookup::Found(Box::new(p.clone()))),
                // Dropped silently: unknown, deactivated or taken down — for a probe, no
                // candidate either way (never used where "not found" must be certain).
                None => Ok(Lookup::NotFound),
            })
            .collect()
    }

    fn normalize(&self, handle: &str) -> Option<String> {
        let h = handle.trim().trim_start_matches('@').to_ascii_lowercase();
        if h.starts_with("did:") {
            return Some(h);
        }
        let h = if h.contains('.') {
            h
        } else {
            format!("{h}{HOSTING_SUFFIX}")
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let labels: Vec<&str> = h.split('.').collect();
        let valid = h.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(|l| label_ok(l))
            && !labels
                .last()
                .is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_digit()));
        valid.then_some(h)
    }

    fn probe_handle(&self, local: &str) -> String {
        format!("{local}{HOSTING_SUFFIX}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_refused_at_setup() {
        let sc: SourceConfig = toml::from_str("kind = \"bluesky\"\ntoken_env = \"X\"").unwrap();
        let err = Bluesky::new(&sc, reqwest::Client::new()).err().unwrap();
        assert!(err.to_string().contains("token_env"), "{err}");
    }

    #[test]
    fn actors_map_to_profiles() {
        let a: Actor = serde_json::from_str(r#"{"did":"did:plc:zyx","handle":"Example-Clty.bsky.social","displayName":"例市（公式）","description":"例市の公式アカウントです","avatar":"https://cdn.bsky.app/img/avatar/plain/did:plc:zyx/bafkrei@jpeg","labels":[]}"#).unwrap();
        let p = Bluesky::profile(a);
        assert_eq!(p.handle, "example-clty.bsky.social");
        assert_eq!(p.id.as_deref(), Some("did:plc:zyx"));
        assert!(!p.default_avatar);
        let b: Actor =
            serde_json::from_str(r#"{"did":"did:plc:abc","handle":"handle.invalid"}"#).unwrap();
        let p = Bluesky::profile(b);
        assert_eq!(p.handle, "did:plc:abc");
        assert!(p.default_avatar);
    }
}
