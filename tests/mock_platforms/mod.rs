//! Local fakes of the four platforms' account APIs (wiremock on 127.0.0.1), answering the way
//! `platform-apis.md` §7 documents: the same routes, status codes, JSON shapes, error bodies
//! and rate-limit headers. Each fake holds a table of accounts and serves their avatars from
//! its own `/avatars/…` route. Failure modes (429, 500, slow, malformed) are mounted on top by
//! the tests with a higher priority.

#![allow(dead_code)]

use image::{DynamicImage, Rgb, RgbImage};
use serde_json::{json, Value};
use std::io::Cursor;
use std::sync::Arc;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    X,
    Bluesky,
    Mastodon,
    Misskey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Active,
    /// Suspended / taken down by the platform.
    Suspended,
    /// Deactivated by its owner (Bluesky).
    Deactivated,
}

/// One account on a fake platform. `handle` is what the platform calls it: an X username, a
/// full Bluesky handle, a Mastodon or Misskey local username.
#[derive(Clone, Debug)]
pub struct Account {
    pub handle: String,
    pub name: String,
    pub bio: String,
    /// A file under `/avatars/`, or `None` for the platform's default picture.
    pub avatar: Option<String>,
    pub state: State,
    /// Account facts, served in each platform's own fields and format.
    pub facts: Facts,
}

/// When the account was made (RFC 3339, as the platforms write it), its post and follower
/// counts, and X's verification flag.
#[derive(Clone, Debug)]
pub struct Facts {
    pub created_at: String,
    pub posts: u64,
    pub followers: u64,
    pub verified: bool,
}

impl Default for Facts {
    fn default() -> Self {
        Facts {
            created_at: "2026-04-30T10:00:00.000Z".into(),
            posts: 5,
            followers: 3,
            verified: false,
        }
    }
}

impl Account {
    /// The same account with these facts.
    pub fn with_facts(
        mut self,
        created_at: &str,
        posts: u64,
        followers: u64,
        verified: bool,
    ) -> Self {
        self.facts = Facts {
            created_at: created_at.into(),
            posts,
            followers,
            verified,
        };
        self
    }
}

pub fn account(handle: &str, name: &str, avatar: Option<&str>) -> Account {
    Account {
        handle: handle.into(),
        name: name.into(),
        bio: "お知らせを発信します".into(),
        avatar: avatar.map(String::from),
        state: State::Active,
        facts: Facts::default(),
    }
}

pub fn suspended(handle: &str) -> Account {
    Account {
        state: State::Suspended,
        ..account(handle, "停止", None)
    }
}

pub fn deactivated(handle: &str) -> Account {
    Account {
        state: State::Deactivated,
        ..account(handle, "退会", None)
    }
}

/// A detailed test picture (the "official logo").
pub fn logo() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(128, 128, |x, y| {
        let v = ((x * 7 + y * 13) % 97) as u8;
        Rgb([v.wrapping_mul(2), (x * 2) as u8, (y * 2) as u8])
    }))
}

pub fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Bytes larger than the tests' avatar limit.
pub const HUGE_AVATAR_BYTES: usize = 300_000;

/// Serves `/avatars/NAME`: `huge*` is oversized, `html*` has the wrong content type,
/// `corrupt*` is a truncated PNG, anything else is the logo. X size suffixes are ignored.
struct Avatars;

impl Respond for Avatars {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let name = req.url.path().trim_start_matches("/avatars/");
        if name.starts_with("huge") {
            let mut bytes = png(&logo());
            bytes.resize(HUGE_AVATAR_BYTES, 0);
            ResponseTemplate::new(200).set_body_raw(bytes, "image/png")
        } else if name.starts_with("html") {
            ResponseTemplate::new(200).set_body_raw("<html>not an image</html>", "text/html")
        } else if name.starts_with("corrupt") {
            let mut bytes = png(&logo());
            bytes.truncate(bytes.len() / 3);
            ResponseTemplate::new(200).set_body_raw(bytes, "image/png")
        } else if name.starts_with("missing") {
            ResponseTemplate::new(404)
        } else {
            ResponseTemplate::new(200).set_body_raw(png(&logo()), "image/png")
        }
    }
}

/// A running fake platform.
pub struct Fake {
    pub server: MockServer,
    pub kind: Kind,
}

impl Fake {
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The requests received on `path`.
    pub async fn requests_to(&self, path: &str) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect()
    }
}

/// Starts a fake platform with these accounts. `token`: the bearer token it requires (X) or
/// accepts (Mastodon, Misskey).
pub async fn start(kind: Kind, accounts: Vec<Account>, token: Option<&str>) -> Fake {
    let server = MockServer::start().await;
    let platform = PlatformMock {
        kind,
        accounts: Arc::new(accounts),
        token: token.map(String::from),
        uri: server.uri(),
    };
    Mock::given(wiremock::matchers::path_regex("^/avatars/"))
        .respond_with(Avatars)
        .with_priority(9)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(platform)
        .with_priority(10)
        .mount(&server)
        .await;
    Fake { server, kind }
}

struct PlatformMock {
    kind: Kind,
    accounts: Arc<Vec<Account>>,
    token: Option<String>,
    uri: String,
}

fn query(req: &Request, name: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn query_all(req: &Request, name: &str) -> Vec<String> {
    req.url
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn bearer(req: &Request) -> Option<String> {
    req.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(String::from)
}

fn matches(a: &Account, q: &str) -> bool {
    let q = q.trim_start_matches('@').to_lowercase();
    a.state == State::Active
        && (a.handle.to_lowercase().contains(&q) || a.name.to_lowercase().contains(&q))
}

impl PlatformMock {
    fn find(&self, handle: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| {
            a.handle
                .eq_ignore_ascii_case(handle.trim_start_matches('@'))
        })
    }

    fn avatar_url(&self, a: &Account, default: &str) -> String {
        match &a.avatar {
            Some(f) => format!("{}/avatars/{f}", self.uri),
            None => default.to_string(),
        }
    }

    fn id(&self, a: &Account) -> usize {
        self.accounts
            .iter()
            .position(|b| b.handle == a.handle)
            .unwrap_or(0)
            + 1
    }

    fn searched(&self, q: &str) -> Vec<&Account> {
        self.accounts.iter().filter(|a| matches(a, q)).collect()
    }
}

impl Respond for PlatformMock {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        match self.kind {
            Kind::X => self.x(req),
            Kind::Bluesky => self.bluesky(req),
            Kind::Mastodon => self.mastodon(req),
            Kind::Misskey => self.misskey(req),
        }
    }
}

// --- X (§7.1) ---------------------------------------------------------------------------

fn x_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 15
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl PlatformMock {
    fn x_user(&self, a: &Account) -> Value {
        json!({
            "id": format!("15000000000000000{:02}", self.id(a)),
            "username": a.handle,
            "name": a.name,
            "description": a.bio,
            "profile_image_url": match &a.avatar {
                Some(f) => format!("{}/avatars/{}", self.uri, f.replacen('.', "_normal.", 1)),
                None => "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png".into(),
            },
            "created_at": a.facts.created_at,
            "protected": false,
            "verified": a.facts.verified,
            "verified_type": if a.facts.verified { "blue" } else { "none" },
            "public_metrics": {"followers_count": a.facts.followers, "following_count": 100, "tweet_count": a.facts.posts, "listed_count": 0}
        })
    }

    fn x_problem(name: &str, param: &str, suspended: bool) -> Value {
        if suspended {
            json!({"value": name, "detail": format!("User has been suspended: [{name}]."), "title": "Forbidden",
                   "resource_type": "user", "parameter": param, "resource_id": name,
                   "type": "https://api.twitter.com/2/problems/resource-not-found"})
        } else {
            let plural = if param == "usernames" {
                "usernames"
            } else {
                "username"
            };
            json!({"value": name, "detail": format!("Could not find user with {plural}: [{name}]."), "title": "Not Found Error",
                   "resource_type": "user", "parameter": param, "resource_id": name,
                   "type": "https://api.twitter.com/2/problems/resource-not-found"})
        }
    }

    fn x_headers(t: ResponseTemplate) -> ResponseTemplate {
        t.insert_header("x-rate-limit-limit", "300")
            .insert_header("x-rate-limit-remaining", "299")
            .insert_header("x-rate-limit-reset", "1767225600")
    }

    fn x(&self, req: &Request) -> ResponseTemplate {
        if bearer(req) != self.token {
            return ResponseTemplate::new(401).set_body_json(
                json!({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}),
            );
        }
        let path = req.url.path().to_string();
        let t = if path == "/2/users/by" {
            let names: Vec<String> = query(req, "usernames")
                .unwrap_or_default()
                .split(',')
                .map(String::from)
                .collect();
            if names.len() > 100 || names.iter().any(|n| !x_valid(n)) {
                let bad: Vec<&String> = names.iter().filter(|n| !x_valid(n)).collect();
                ResponseTemplate::new(400).set_body_json(json!({
                    "errors": [{"parameters": {"usernames": bad}, "message": "The `usernames` query parameter value does not match ^[A-Za-z0-9_]{1,15}$"}],
                    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request"}))
            } else {
                let mut data = Vec::new();
                let mut errors = Vec::new();
                for n in &names {
                    match self.find(n) {
                        Some(a) if a.state == State::Active => data.push(self.x_user(a)),
                        Some(_) => errors.push(Self::x_problem(n, "usernames", true)),
                        None => errors.push(Self::x_problem(n, "usernames", false)),
                    }
                }
                let mut body = json!({});
                if !data.is_empty() {
                    body["data"] = json!(data);
                }
                if !errors.is_empty() {
                    body["errors"] = json!(errors);
                }
                ResponseTemplate::new(200).set_body_json(body)
            }
        } else if let Some(name) = path.strip_prefix("/2/users/by/username/") {
            match self.find(name) {
                Some(a) if a.state == State::Active => {
                    ResponseTemplate::new(200).set_body_json(json!({"data": self.x_user(a)}))
                }
                Some(_) => ResponseTemplate::new(200)
                    .set_body_json(json!({"errors": [Self::x_problem(name, "username", true)]})),
                None => ResponseTemplate::new(200)
                    .set_body_json(json!({"errors": [Self::x_problem(name, "username", false)]})),
            }
        } else if path == "/2/users/search" {
            let q = query(req, "query").unwrap_or_default();
            // The fake's pages hold at most 2 users, so paging is exercised.
            let page = query(req, "max_results")
                .and_then(|m| m.parse::<usize>().ok())
                .unwrap_or(100)
                .min(2);
            let offset: usize = query(req, "next_token")
                .and_then(|t| t.strip_prefix("tok").and_then(|n| n.parse().ok()))
                .unwrap_or(0);
            let found = self.searched(&q);
            let slice: Vec<Value> = found
                .iter()
                .skip(offset)
                .take(page)
                .map(|a| self.x_user(a))
                .collect();
            let mut meta = json!({"result_count": slice.len()});
            if offset + page < found.len() {
                meta["next_token"] = json!(format!("tok{}", offset + page));
            }
            ResponseTemplate::new(200).set_body_json(json!({"data": slice, "meta": meta}))
        } else {
            ResponseTemplate::new(404)
                .set_body_json(json!({"title":"Not Found","type":"about:blank","status":404}))
        };
        Self::x_headers(t)
    }
}

// --- Bluesky (§7.2) -----------------------------------------------------------------------

impl PlatformMock {
    /// A `profileView`; `detailed` (getProfile/getProfiles) adds the counts (§2.3).
    fn bsky_actor(&self, a: &Account, detailed: bool) -> Value {
        let did = format!("did:plc:mock{:020}", self.id(a));
        let mut v = json!({
            "did": did, "handle": a.handle, "displayName": a.name, "description": a.bio,
            "createdAt": a.facts.created_at, "indexedAt": "2026-04-30T10:00:01.000Z",
            "labels": [],
            "verification": {"verifications": [], "verifiedStatus": "none", "trustedVerifierStatus": "none"}
        });
        if let Some(f) = &a.avatar {
            v["avatar"] = json!(format!("{}/avatars/{f}", self.uri));
        }
        if detailed {
            v["postsCount"] = json!(a.facts.posts);
            v["followersCount"] = json!(a.facts.followers);
            v["followsCount"] = json!(7);
        }
        v
    }

    fn bsky_error(status: u16, error: &str, message: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(json!({"error": error, "message": message}))
    }

    fn bluesky(&self, req: &Request) -> ResponseTemplate {
        match req.url.path() {
            "/xrpc/app.bsky.actor.searchActors" => {
                let q = query(req, "q").unwrap_or_default();
                let limit: usize = query(req, "limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(25)
                    .clamp(1, 100)
                    .min(2); // small pages so cursors are exercised
                let offset: usize = query(req, "cursor")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                let found = self.searched(&q);
                let actors: Vec<Value> = found
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|a| self.bsky_actor(a, false))
                    .collect();
                let mut body = json!({ "actors": actors });
                if offset + limit < found.len() {
                    body["cursor"] = json!((offset + limit).to_string());
                }
                ResponseTemplate::new(200).set_body_json(body)
            }
            "/xrpc/app.bsky.actor.getProfiles" => {
                let actors = query_all(req, "actors");
                if actors.len() > 25 {
                    return Self::bsky_error(400, "InvalidRequest", "Array too long: actors");
                }
                let profiles: Vec<Value> = actors
                    .iter()
                    .filter_map(|h| self.find(h))
                    .filter(|a| a.state == State::Active)
                    .map(|a| self.bsky_actor(a, true))
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!({ "profiles": profiles }))
            }
            "/xrpc/app.bsky.actor.getProfile" => {
                let actor = query(req, "actor").unwrap_or_default();
                match self.find(&actor) {
                    Some(a) if a.state == State::Active => {
                        ResponseTemplate::new(200).set_body_json(self.bsky_actor(a, true))
                    }
                    Some(a) if a.state == State::Suspended => {
                        Self::bsky_error(400, "AccountTakedown", "Account has been suspended")
                    }
                    Some(_) => {
                        Self::bsky_error(400, "AccountDeactivated", "Account is deactivated")
                    }
                    None => Self::bsky_error(400, "InvalidRequest", "Profile not found"),
                }
            }
            _ => Self::bsky_error(404, "MethodNotImplemented", "Method Not Implemented"),
        }
    }
}

// --- Mastodon (§7.3) ----------------------------------------------------------------------

impl PlatformMock {
    fn mastodon_account(&self, a: &Account) -> Value {
        let host = url::Url::parse(&self.uri).unwrap();
        let suspended = a.state != State::Active;
        let missing = format!("{}/avatars/original/missing.png", self.uri);
        json!({
            "id": format!("10900000000000{:04}", self.id(a)),
            "username": a.handle, "acct": a.handle,
            "display_name": if suspended { String::new() } else { a.name.clone() },
            "locked": false, "bot": false, "group": false, "discoverable": true,
            "created_at": a.facts.created_at,
            "note": if suspended { String::new() } else { format!("<p>{}</p><p>詳しくは<a href=\"https://example.jp\">こちら</a></p>", a.bio) },
            "url": format!("{}/@{}", self.uri, a.handle),
            "uri": format!("https://{}/users/{}", host.host_str().unwrap(), a.handle),
            "avatar": if suspended { missing.clone() } else { self.avatar_url(a, &missing) },
            "avatar_static": if suspended { missing.clone() } else { self.avatar_url(a, &missing) },
            "header": missing.clone(), "header_static": missing,
            "followers_count": a.facts.followers, "following_count": 0, "statuses_count": a.facts.posts,
            "last_status_at": null, "emojis": [], "fields": [],
            "suspended": suspended,
        })
    }

    fn mastodon_headers(t: ResponseTemplate) -> ResponseTemplate {
        t.insert_header("X-RateLimit-Limit", "300")
            .insert_header("X-RateLimit-Remaining", "298")
            .insert_header("X-RateLimit-Reset", "2026-01-01T00:05:00.000000Z")
    }

    fn mastodon(&self, req: &Request) -> ResponseTemplate {
        let authed = bearer(req).is_some() && bearer(req) == self.token;
        if bearer(req).is_some() && !authed {
            return ResponseTemplate::new(401)
                .set_body_json(json!({"error": "The access token is invalid"}));
        }
        let t = match req.url.path() {
            "/api/v2/search" => {
                if !authed && query(req, "offset").is_some() {
                    ResponseTemplate::new(401).set_body_json(json!({"error": "Search queries pagination is not supported without authentication"}))
                } else if !authed && query(req, "resolve").as_deref() == Some("true") {
                    ResponseTemplate::new(401).set_body_json(json!({"error": "Search queries that resolve remote resources are not supported without authentication"}))
                } else {
                    let q = query(req, "q").unwrap_or_default();
                    let limit: usize = query(req, "limit")
                        .and_then(|l| l.parse().ok())
                        .unwrap_or(20)
                        .clamp(1, 40);
                    let offset: usize = query(req, "offset")
                        .and_then(|o| o.parse().ok())
                        .unwrap_or(0);
                    let accounts: Vec<Value> = self
                        .searched(&q)
                        .iter()
                        .skip(offset)
                        .take(limit)
                        .map(|a| self.mastodon_account(a))
                        .collect();
                    ResponseTemplate::new(200).set_body_json(
                        json!({"accounts": accounts, "statuses": [], "hashtags": []}),
                    )
                }
            }
            "/api/v1/accounts/lookup" => {
                let acct = query(req, "acct").unwrap_or_default();
                match self.find(&acct) {
                    Some(a) => ResponseTemplate::new(200).set_body_json(self.mastodon_account(a)),
                    None => ResponseTemplate::new(404)
                        .set_body_json(json!({"error": "Record not found"})),
                }
            }
            _ => ResponseTemplate::new(404).set_body_json(json!({"error": "Record not found"})),
        };
        Self::mastodon_headers(t)
    }
}

// --- Misskey (§7.4) -----------------------------------------------------------------------

/// Usernames the fake Misskey answers with the older 400 `NO_SUCH_USER` instead of 404.
pub const MISSKEY_OLD_STYLE: &str = "oldstyle";
/// A remote host whose resolution "fails".
pub const MISSKEY_FAILING_HOST: &str = "fail.example";

impl PlatformMock {
    fn misskey_user(&self, a: &Account) -> Value {
        let host = url::Url::parse(&self.uri).unwrap();
        let identicon = format!(
            "{}/identicon/{}@{}",
            self.uri,
            a.handle,
            host.host_str().unwrap()
        );
        json!({
            "id": format!("9xyz{:06}", self.id(a)),
            "name": a.name, "username": a.handle, "host": null,
            "avatarUrl": self.avatar_url(a, &identicon),
            "avatarBlurhash": null, "avatarDecorations": [], "isBot": false, "isCat": false,
            "emojis": {}, "onlineStatus": "unknown", "url": null, "uri": null,
            "createdAt": a.facts.created_at, "updatedAt": "2026-05-01T00:00:00.000Z",
            "description": format!("$[x2 **{}**]", a.bio), "fields": [], "verifiedLinks": [],
            "followersCount": a.facts.followers, "followingCount": 0, "notesCount": a.facts.posts,
            "isLocked": false, "isSilenced": false, "isLimited": false, "isSuspended": false
        })
    }

    fn misskey_error(
        status: u16,
        code: &str,
        message: &str,
        id: &str,
        kind: &str,
    ) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(
            json!({"error": {"message": message, "code": code, "id": id, "kind": kind}}),
        )
    }

    fn no_such_user(status: u16) -> ResponseTemplate {
        Self::misskey_error(
            status,
            "NO_SUCH_USER",
            "No such user.",
            "4362f8dc-731f-4ad8-a694-be5a88922a24",
            "client",
        )
    }

    fn misskey(&self, req: &Request) -> ResponseTemplate {
        if req.method.as_str() != "POST" {
            return Self::misskey_error(
                405,
                "METHOD_NOT_ALLOWED",
                "Method not allowed",
                "x",
                "client",
            );
        }
        if let Some(t) = bearer(req) {
            if Some(&t) != self.token.as_ref() {
                return Self::misskey_error(
                    403,
                    "AUTHENTICATION_FAILED",
                    "Authentication failed.",
                    "b0a7f5f8-dc2f-4171-b91f-de88ad238e14",
                    "permission",
                );
            }
        }
        let body: Value = match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(_) => {
                return Self::misskey_error(
                    400,
                    "INVALID_PARAM",
                    "Invalid param.",
                    "3d81ceae",
                    "client",
                )
            }
        };
        match req.url.path() {
            "/api/users/search" => {
                let q = body["query"].as_str().unwrap_or_default().to_string();
                let limit = body["limit"].as_u64().unwrap_or(10).clamp(1, 100) as usize;
                let offset = body["offset"].as_u64().unwrap_or(0) as usize;
                let users: Vec<Value> = self
                    .searched(&q)
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|a| self.misskey_user(a))
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!(users))
            }
            "/api/users/show" => {
                if body["host"].as_str() == Some(MISSKEY_FAILING_HOST) {
                    return Self::misskey_error(
                        500,
                        "FAILED_TO_RESOLVE_REMOTE_USER",
                        "Failed to resolve remote user.",
                        "ef7b9be4-9cba-4e6f-ab41-90ed171c7d3c",
                        "server",
                    );
                }
                let username = body["username"].as_str().unwrap_or_default();
                match self.find(username) {
                    Some(a) if a.state == State::Active => {
                        ResponseTemplate::new(200).set_body_json(self.misskey_user(a))
                    }
                    // Suspended users look exactly like missing ones to non-moderators.
                    _ if username == MISSKEY_OLD_STYLE => Self::no_such_user(400),
                    _ => Self::no_such_user(404),
                }
            }
            _ => Self::misskey_error(404, "NO_SUCH_ENDPOINT", "No such endpoint.", "x", "client"),
        }
    }
}
