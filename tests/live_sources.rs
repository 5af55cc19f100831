//! The platform clients against local fakes of the platforms (tests/mock_platforms, wiremock
//! on 127.0.0.1): search with paging, batch lookups with missing handles, not-found and
//! suspended accounts, 429s with reset headers, usage caps, 500s, timeouts, malformed JSON,
//! bad avatars; and the binary end to end (`scan`, `check`, `sources check`) with all four
//! source kinds. Nothing here touches the internet, and nothing asserts on elapsed time.

mod mock_platforms;

use mock_platforms::{account, deactivated, start, suspended, Kind};
use narisumashi::config::Config;
use narisumashi::sources::{self, DiscoveryPlan, Lookup, Source};
use std::path::Path;
use std::time::Duration;
use wiremock::matchers::{path, path_regex};
use wiremock::{Mock, ResponseTemplate};

/// Retry settings that keep the tests fast: no real waits beyond milliseconds.
const FAST: &str = "retries = 2\nbackoff_ms = 1\nmax_wait_secs = 0.01\n";

fn config(officials: &str, source: &str) -> Config {
    let text = format!(
        r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[network]
allow_private_addresses = true
max_avatar_bytes = 100000

{officials}

[[source]]
{source}
"#
    );
    Config::parse(&text, Path::new(".")).unwrap()
}

fn official(platform: &str, handle: &str) -> String {
    format!(
        "[[official]]\nplatform = \"{platform}\"\nhandle = \"{handle}\"\ndisplay_name = \"文京区公式\"\nurl = \"https://example.jp/{handle}\"\n"
    )
}

fn client(cfg: &Config) -> reqwest::Client {
    narisumashi::http::client(&cfg.network)
}

fn build(cfg: &Config) -> Box<dyn Source> {
    sources::build_one(cfg, &cfg.source[0], &client(cfg)).unwrap()
}

fn plan(cfg: &Config) -> DiscoveryPlan {
    DiscoveryPlan {
        officials: cfg.official.clone(),
        organization: cfg.organization.name.clone(),
    }
}

fn found(l: Lookup) -> narisumashi::model::Profile {
    match l {
        Lookup::Found(p) => *p,
        other => panic!("expected found, got {other:?}"),
    }
}

fn unknown(l: Lookup) -> String {
    match l {
        Lookup::Unknown(why) => why,
        other => panic!("expected unknown, got {other:?}"),
    }
}

fn set_token(var: &str, value: &str) {
    // Each test uses its own variable name, so parallel tests do not race on it.
    std::env::set_var(var, value);
}

fn x_source(uri: &str, var: &str, extra: &str) -> String {
    format!("kind = \"x\"\nbase_url = \"{uri}\"\ntoken_env = \"{var}\"\n{FAST}{extra}")
}

// --- X ------------------------------------------------------------------------------------

#[tokio::test]
async fn x_lookup_tells_found_not_found_and_suspended_apart() {
    let fake = start(
        Kind::X,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_clty", "文京区公式", Some("copy.png")),
            suspended("bunkyo_citty"),
        ],
        Some("tok-x1"),
    )
    .await;
    set_token("NRSM_T_X1", "tok-x1");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(&fake.uri(), "NRSM_T_X1", ""),
    );
    let src = build(&cfg);
    let p = found(
        src.lookup(narisumashi::model::Platform::X, "@bunkyo_clty")
            .await,
    );
    assert_eq!(p.handle, "bunkyo_clty");
    assert_eq!(p.display_name.as_deref(), Some("文京区公式"));
    assert!(p
        .avatar
        .as_deref()
        .unwrap()
        .ends_with("/avatars/copy_400x400.png"));
    assert!(!p.default_avatar);
    assert_eq!(p.url.as_deref(), Some("https://x.com/bunkyo_clty"));
    use narisumashi::model::Platform::X;
    assert_eq!(src.lookup(X, "nobody_here").await, Lookup::NotFound);
    assert_eq!(src.lookup(X, "bunkyo_citty").await, Lookup::Suspended);
    // A name X could never accept is not sent at all, and is not "not found".
    let before = fake.server.received_requests().await.unwrap().len();
    unknown(src.lookup(X, "bad-name").await);
    assert_eq!(fake.server.received_requests().await.unwrap().len(), before);
}

#[tokio::test]
async fn x_probing_finds_lookalikes_in_batches_of_at_most_100() {
    let fake = start(
        Kind::X,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_clty", "文京区公式", None),
            account("bunkyocity", "文京区", None),
            suspended("bunkyo_citty"),
        ],
        Some("tok-x2"),
    )
    .await;
    set_token("NRSM_T_X2", "tok-x2");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(
            &fake.uri(),
            "NRSM_T_X2",
            "search = false\nmax_variants = 250\n",
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let mut handles: Vec<&str> = d
        .candidates
        .iter()
        .map(|c| c.profile.handle.as_str())
        .collect();
    handles.sort();
    assert_eq!(handles, ["bunkyo_clty", "bunkyocity"]);
    assert!(d.candidates.iter().all(|c| c.source == "x"));
    let x = d
        .candidates
        .iter()
        .find(|c| c.profile.handle == "bunkyo_clty")
        .unwrap();
    assert!(x.profile.default_avatar, "X's default picture is flagged");
    let batches = fake.requests_to("/2/users/by").await;
    assert!(batches.len() >= 2, "{} batch requests", batches.len());
    for r in &batches {
        let names = r
            .url
            .query_pairs()
            .find(|(k, _)| k == "usernames")
            .unwrap()
            .1
            .split(',')
            .count();
        assert!((1..=100).contains(&names), "{names} names in one request");
    }
    // Every name was answered by the batches: no single lookups were needed.
    let singles = fake
        .server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path().starts_with("/2/users/by/username/"))
        .count();
    assert_eq!(singles, 0);
}

#[tokio::test]
async fn x_search_pages_with_next_token_and_skips_japanese_terms() {
    let mut accounts = vec![account("bunkyo_city", "文京区公式", None)];
    for i in 0..5 {
        accounts.push(account(&format!("bunkyo_fan{i}"), "ファン", None));
    }
    let fake = start(Kind::X, accounts, Some("tok-x3")).await;
    set_token("NRSM_T_X3", "tok-x3");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(
            &fake.uri(),
            "NRSM_T_X3",
            "search = true\nmax_variants = 0\nmax_results = 3\nqueries = [\"bunkyo fan\", \"bunkyo_fan\"]\n",
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let searches = fake.requests_to("/2/users/search").await;
    let queries: Vec<String> = searches
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "query")
                .unwrap()
                .1
                .into_owned()
        })
        .collect();
    assert!(queries.iter().all(|q| q.is_ascii()), "{queries:?}");
    // "bunkyo_fan" matches 5; max_results 3 with pages of 2 ⇒ two pages, the second asking
    // for the one result still wanted.
    let paged: Vec<_> = searches
        .iter()
        .filter(|r| {
            r.url
                .query_pairs()
                .any(|(k, v)| k == "query" && v == "bunkyo_fan")
        })
        .collect();
    assert_eq!(paged.len(), 2);
    assert!(paged[1]
        .url
        .query_pairs()
        .any(|(k, v)| k == "next_token" && v == "tok2"));
    let fans = d
        .candidates
        .iter()
        .filter(|c| c.profile.handle.starts_with("bunkyo_fan"))
        .count();
    assert_eq!(fans, 3);
    // The official account itself is never a candidate.
    assert!(d
        .candidates
        .iter()
        .all(|c| c.profile.handle != "bunkyo_city"));
}

#[tokio::test]
async fn x_missing_token_is_a_config_error_for_that_source_only() {
    let cfg = config(
        &official("x", "bunkyo_city"),
        "kind = \"x\"\ntoken_env = \"NRSM_T_NEVER_SET\"\n\n[[source]]\nkind = \"bluesky\"\nbase_url = \"http://127.0.0.1:9\"\n",
    );
    let (built, errors) = sources::build(&cfg, &client(&cfg));
    assert_eq!(built.len(), 1, "the Bluesky source is still built");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("x: "), "{}", errors[0]);
    assert!(errors[0].contains("NRSM_T_NEVER_SET"), "{}", errors[0]);
}

#[tokio::test]
async fn x_rejected_token_stops_the_source_without_leaking_it() {
    let fake = start(
        Kind::X,
        vec![account("bunkyo_clty", "x", None)],
        Some("right"),
    )
    .await;
    set_token("NRSM_T_X4", "wrong-secret-value");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(&fake.uri(), "NRSM_T_X4", "search = false\n"),
    );
    let src = build(&cfg);
    let d = src.discover(&plan(&cfg)).await;
    let all = d.errors.join("\n");
    assert!(all.contains("refused the token"), "{all}");
    assert!(!all.contains("wrong-secret-value"));
    // The first refusal stops the source: only requests already in flight (concurrency 4)
    // were sent, and nothing after.
    let sent = fake.server.received_requests().await.unwrap().len();
    assert!((1..=4).contains(&sent), "{sent} requests");
    assert!(d.errors.len() <= 7, "{:?}", d.errors);
    let why = unknown(
        src.lookup(narisumashi::model::Platform::X, "bunkyo_clty")
            .await,
    );
    assert!(why.contains("stopped"), "{why}");
    assert!(!why.contains("wrong-secret-value"));
    assert_eq!(fake.server.received_requests().await.unwrap().len(), sent);
}

#[tokio::test]
async fn x_rate_limit_is_waited_out_then_retried() {
    let fake = start(
        Kind::X,
        vec![account("bunkyo_clty", "文京区", None)],
        Some("t5"),
    )
    .await;
    Mock::given(path("/2/users/by/username/bunkyo_clty"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("content-type", "application/problem+json")
                .insert_header("x-rate-limit-limit", "300")
                .insert_header("x-rate-limit-remaining", "0")
                .insert_header("x-rate-limit-reset", "1767225600")
                .set_body_string(r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_X5", "t5");
    let cfg = config("", &x_source(&fake.uri(), "NRSM_T_X5", ""));
    let src = build(&cfg);
    let p = found(
        src.lookup(narisumashi::model::Platform::X, "bunkyo_clty")
            .await,
    );
    assert_eq!(p.handle, "bunkyo_clty");
    assert_eq!(
        fake.requests_to("/2/users/by/username/bunkyo_clty")
            .await
            .len(),
        3
    );
    // The headroom the platform announced is kept for `sources check`.
    let status = src.api_status().unwrap().status;
    assert_eq!(status.rate.unwrap().limit, Some(300));
}

#[tokio::test]
async fn x_usage_cap_is_reported_and_not_retried() {
    let fake = start(Kind::X, vec![account("bunkyo_clty", "x", None)], Some("t6")).await;
    Mock::given(path_regex("^/2/users/"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("content-type", "application/problem+json")
                .set_body_string(r#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_X6", "t6");
    let cfg = config("", &x_source(&fake.uri(), "NRSM_T_X6", ""));
    let src = build(&cfg);
    let why = unknown(
        src.lookup(narisumashi::model::Platform::X, "bunkyo_clty")
            .await,
    );
    assert!(why.contains("Usage cap exceeded"), "{why}");
    assert_eq!(fake.server.received_requests().await.unwrap().len(), 1);
    let why = unknown(src.lookup(narisumashi::model::Platform::X, "other").await);
    assert!(why.contains("stopped"), "{why}");
    assert_eq!(fake.server.received_requests().await.unwrap().len(), 1);
}

// --- failures common to every client ------------------------------------------------------

#[tokio::test]
async fn server_errors_are_retried_then_unknown() {
    let fake = start(
        Kind::Bluesky,
        vec![account("a.bsky.social", "a", None)],
        None,
    )
    .await;
    Mock::given(path("/xrpc/app.bsky.actor.getProfile"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            serde_json::json!({"error":"InternalServerError","message":"Internal Server Error"}),
        ))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let cfg = config(
        "",
        &format!("kind = \"bluesky\"\nbase_url = \"{}\"\n{FAST}", fake.uri()),
    );
    let why = unknown(
        build(&cfg)
            .lookup(narisumashi::model::Platform::Bluesky, "a.bsky.social")
            .await,
    );
    assert!(why.contains("HTTP 500"), "{why}");
    // One attempt plus `retries = 2`.
    assert_eq!(
        fake.requests_to("/xrpc/app.bsky.actor.getProfile")
            .await
            .len(),
        3
    );
}

#[tokio::test]
async fn slow_responses_time_out_as_unknown() {
    let fake = start(Kind::Mastodon, vec![account("slow", "s", None)], None).await;
    Mock::given(path("/api/v1/accounts/lookup"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let cfg = config(
        "",
        &format!(
            "kind = \"mastodon\"\ninstance = \"https://mstdn.example\"\nbase_url = \"{}\"\nretries = 1\nbackoff_ms = 1\n",
            fake.uri()
        ),
    );
    let short = reqwest::Client::builder()
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let src = sources::build_one(&cfg, &cfg.source[0], &short).unwrap();
    let why = unknown(
        src.lookup(narisumashi::model::Platform::Mastodon, "slow")
            .await,
    );
    assert!(why.contains("timed out"), "{why}");
}

#[tokio::test]
async fn malformed_json_is_unknown_never_not_found() {
    let fake = start(Kind::Misskey, vec![account("a", "a", None)], None).await;
    Mock::given(path("/api/users/show"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\": ", "application/json"))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    Mock::given(path("/api/users/search"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let cfg = config(
        "",
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\n{FAST}",
            fake.uri()
        ),
    );
    let why = unknown(
        build(&cfg)
            .lookup(narisumashi::model::Platform::Misskey, "a")
            .await,
    );
    assert!(why.contains("malformed"), "{why}");
}

#[tokio::test]
async fn a_source_that_keeps_failing_stops_with_bounded_errors() {
    let fake = start(Kind::Bluesky, vec![], None).await;
    Mock::given(path_regex("^/xrpc/"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>down</html>", "text/html"))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let cfg = config(
        &official("bluesky", "bunkyo-city.bsky.social"),
        &format!("kind = \"bluesky\"\nbase_url = \"{}\"\n{FAST}", fake.uri()),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.candidates.is_empty());
    assert!(
        d.errors.iter().any(|e| e.contains("stopped early")),
        "{:?}",
        d.errors
    );
    assert!(d.errors.len() <= 7, "{:?}", d.errors);
    // The breaker stops after 5 failed requests (3 attempts each), give or take those in
    // flight (concurrency 4) — not hundreds of probes.
    let sent = fake.server.received_requests().await.unwrap().len();
    assert!(sent <= (5 + 4) * 3, "{sent} requests");
}

// --- Bluesky ------------------------------------------------------------------------------

#[tokio::test]
async fn bluesky_probing_takes_batch_omissions_as_absent_and_singles_tell_them_apart() {
    let fake = start(
        Kind::Bluesky,
        vec![
            account("bunkyo-city.bsky.social", "文京区公式", Some("logo.png")),
            account("bunkyo-clty.bsky.social", "文京区公式", Some("copy.png")),
            account("bunkyocity.bsky.social", "ぶんきょう", None),
            suspended("bunkyo-c1ty.bsky.social"),
            deactivated("bunkyo-cty.bsky.social"),
        ],
        None,
    )
    .await;
    let cfg = config(
        &official("bluesky", "bunkyo-city.bsky.social"),
        &format!(
            "kind = \"bluesky\"\nbase_url = \"{}\"\nsearch = false\nmax_variants = 60\n{FAST}",
            fake.uri()
        ),
    );
    let src = build(&cfg);
    use narisumashi::model::Platform::Bluesky;
    let p = found(src.lookup(Bluesky, "@Bunkyo-Clty.bsky.social").await);
    assert_eq!(p.handle, "bunkyo-clty.bsky.social");
    assert!(p.id.as_deref().unwrap().starts_with("did:plc:"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://bsky.app/profile/bunkyo-clty.bsky.social")
    );
    assert_eq!(
        src.lookup(Bluesky, "nobody.bsky.social").await,
        Lookup::NotFound
    );
    assert_eq!(
        src.lookup(Bluesky, "bunkyo-c1ty.bsky.social").await,
        Lookup::Suspended
    );
    assert_eq!(src.lookup(Bluesky, "bunkyo-cty").await, Lookup::Suspended);

    let singles_before = fake
        .requests_to("/xrpc/app.bsky.actor.getProfile")
        .await
        .len();
    let d = src.discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let mut handles: Vec<&str> = d
        .candidates
        .iter()
        .map(|c| c.profile.handle.as_str())
        .collect();
    handles.sort();
    assert_eq!(
        handles,
        ["bunkyo-clty.bsky.social", "bunkyocity.bsky.social"]
    );
    let no_avatar = d
        .candidates
        .iter()
        .find(|c| c.profile.handle.starts_with("bunkyocity"))
        .unwrap();
    assert!(no_avatar.profile.default_avatar);
    let batches = fake.requests_to("/xrpc/app.bsky.actor.getProfiles").await;
    assert!(batches.len() >= 2);
    for r in &batches {
        let n = r.url.query_pairs().filter(|(k, _)| k == "actors").count();
        assert!((1..=25).contains(&n), "{n} actors in one request");
    }
    // Probing never asks again one by one for the actors a batch left out (issue 9): the
    // batches are all the lookups it makes. Single lookups above still tell not-found from
    // suspended.
    let singles = fake
        .requests_to("/xrpc/app.bsky.actor.getProfile")
        .await
        .len();
    assert_eq!(
        singles, singles_before,
        "no single lookups during discovery"
    );
}

#[tokio::test]
async fn bluesky_search_follows_cursors_and_honours_retry_after() {
    let mut accounts = vec![];
    for i in 0..5 {
        accounts.push(account(
            &format!("bunkyo-fan{i}.bsky.social"),
            "ファン",
            None,
        ));
    }
    let fake = start(Kind::Bluesky, accounts, None).await;
    Mock::given(path("/xrpc/app.bsky.actor.searchActors"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("RateLimit-Limit", "3000")
                .insert_header("RateLimit-Remaining", "0")
                .insert_header("RateLimit-Reset", "1767225600")
                .insert_header("RateLimit-Policy", "3000;w=300")
                .insert_header("Retry-After", "42")
                .set_body_json(serde_json::json!({"error":"RateLimitExceeded","message":"Rate Limit Exceeded"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let cfg = config(
        "",
        &format!(
            "kind = \"bluesky\"\nbase_url = \"{}\"\nqueries = [\"bunkyo-fan\"]\nmax_results = 4\n{FAST}",
            fake.uri()
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.candidates.len(), 4);
    let searches = fake.requests_to("/xrpc/app.bsky.actor.searchActors").await;
    // The 429, then pages of 2 with cursors 2 (two results still wanted).
    assert_eq!(searches.len(), 3);
    assert!(searches[2]
        .url
        .query_pairs()
        .any(|(k, v)| k == "cursor" && v == "2"));
}

// --- Mastodon -----------------------------------------------------------------------------

fn mastodon_source(uri: &str, extra: &str) -> String {
    format!("kind = \"mastodon\"\ninstance = \"https://mstdn.example\"\nbase_url = \"{uri}\"\n{FAST}{extra}")
}

#[tokio::test]
async fn mastodon_lookup_search_and_html_bios() {
    let fake = start(
        Kind::Mastodon,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_city_jp", "文京区公式", Some("copy.png")),
            account("bunkyo_fan", "ファン", None),
            suspended("bunkyo_citty"),
        ],
        None,
    )
    .await;
    let cfg = config(
        &official("mastodon", "bunkyo_city@mstdn.example"),
        &mastodon_source(&fake.uri(), "max_variants = 5\n"),
    );
    let src = build(&cfg);
    use narisumashi::model::Platform::Mastodon;
    let p = found(src.lookup(Mastodon, "@bunkyo_city_jp@mstdn.example").await);
    assert_eq!(p.handle, "bunkyo_city_jp@mstdn.example");
    assert_eq!(
        p.bio.as_deref(),
        Some("お知らせを発信します\n詳しくはこちら")
    );
    assert!(!p.default_avatar);
    let fan = found(src.lookup(Mastodon, "bunkyo_fan").await);
    assert!(fan.default_avatar, "missing.png is the default avatar");
    assert_eq!(src.lookup(Mastodon, "nobody").await, Lookup::NotFound);
    assert_eq!(
        src.lookup(Mastodon, "bunkyo_citty").await,
        Lookup::Suspended
    );

    let d = src.discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let handles: Vec<&str> = d
        .candidates
        .iter()
        .map(|c| c.profile.handle.as_str())
        .collect();
    assert!(
        handles.contains(&"bunkyo_city_jp@mstdn.example"),
        "{handles:?}"
    );
    assert!(
        !handles.contains(&"bunkyo_city@mstdn.example"),
        "the official is no candidate"
    );
    // Anonymous: one page per query, never `offset` (the server refuses it).
    for r in fake.requests_to("/api/v2/search").await {
        assert!(!r
            .url
            .query_pairs()
            .any(|(k, _)| k == "offset" || k == "resolve"));
    }
    // Look-alikes were probed one at a time, capped.
    assert_eq!(
        fake.requests_to("/api/v1/accounts/lookup").await.len(),
        4 + 5
    );
    // A 404 for a remote account only means this instance has not seen it.
    unknown(src.lookup(Mastodon, "someone@elsewhere.example").await);
    let last = fake
        .requests_to("/api/v1/accounts/lookup")
        .await
        .pop()
        .unwrap();
    assert!(last
        .url
        .query_pairs()
        .any(|(k, v)| k == "acct" && v == "someone@elsewhere.example"));
}

#[tokio::test]
async fn mastodon_token_enables_offset_paging() {
    let accounts = (0..45)
        .map(|i| account(&format!("bunkyo_fan{i}"), "ファン", None))
        .collect();
    let fake = start(Kind::Mastodon, accounts, Some("m-token")).await;
    set_token("NRSM_T_M1", "m-token");
    let cfg = config(
        "",
        &mastodon_source(
            &fake.uri(),
            "token_env = \"NRSM_T_M1\"\nqueries = [\"bunkyo_fan\"]\nmax_results = 50\n",
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.candidates.len(), 45);
    let searches = fake.requests_to("/api/v2/search").await;
    assert_eq!(searches.len(), 2);
    assert!(searches[1]
        .url
        .query_pairs()
        .any(|(k, v)| k == "offset" && v == "40"));
    assert!(searches
        .iter()
        .all(|r| r.headers.get("authorization").unwrap() == "Bearer m-token"));
}

// --- Misskey ------------------------------------------------------------------------------

#[tokio::test]
async fn misskey_classifies_by_error_code() {
    let fake = start(
        Kind::Misskey,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_clty", "文京区公式", None),
        ],
        None,
    )
    .await;
    let cfg = config(
        &official("misskey", "bunkyo_city"),
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\nmax_variants = 3\n{FAST}",
            fake.uri()
        ),
    );
    let src = build(&cfg);
    use narisumashi::model::Platform::Misskey;
    let p = found(src.lookup(Misskey, "@bunkyo_clty@misskey.example").await);
    assert_eq!(p.handle, "bunkyo_clty@misskey.example");
    assert_eq!(
        p.bio.as_deref(),
        Some("お知らせを発信します"),
        "MFM stripped"
    );
    assert!(p.default_avatar, "identicon");
    assert_eq!(
        p.url.as_deref(),
        Some("https://misskey.example/@bunkyo_clty")
    );
    assert_eq!(src.lookup(Misskey, "nobody").await, Lookup::NotFound);
    // Older servers answer 400 with the same code.
    assert_eq!(
        src.lookup(Misskey, mock_platforms::MISSKEY_OLD_STYLE).await,
        Lookup::NotFound
    );
    // A remote that cannot be resolved is unknown, not missing.
    let why = unknown(
        src.lookup(
            Misskey,
            &format!("someone@{}", mock_platforms::MISSKEY_FAILING_HOST),
        )
        .await,
    );
    assert!(why.contains("500"), "{why}");
    let show = fake.requests_to("/api/users/show").await;
    let body: serde_json::Value = serde_json::from_slice(&show[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"username": "bunkyo_clty", "host": null})
    );
}

#[tokio::test]
async fn misskey_search_pages_by_offset() {
    let accounts = (0..120)
        .map(|i| account(&format!("bunkyo_fan{i}"), "ファン", None))
        .collect();
    let fake = start(Kind::Misskey, accounts, None).await;
    let cfg = config(
        "",
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\nqueries = [\"bunkyo_fan\"]\nmax_results = 150\n{FAST}",
            fake.uri()
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.candidates.len(), 120);
    let searches = fake.requests_to("/api/users/search").await;
    assert_eq!(searches.len(), 2);
    let second: serde_json::Value = serde_json::from_slice(&searches[1].body).unwrap();
    assert_eq!(second["offset"], 100);
    assert_eq!(second["limit"], 50);
}

// --- account facts ------------------------------------------------------------------------

/// (created_at, posts, followers, verified) of a profile.
fn facts(
    p: &narisumashi::model::Profile,
) -> (Option<&str>, Option<u64>, Option<u64>, Option<bool>) {
    (
        p.created_at.as_deref(),
        p.posts_count,
        p.followers_count,
        p.verified,
    )
}

#[tokio::test]
async fn account_facts_are_read_from_all_four_platforms() {
    use narisumashi::model::Platform;
    let new = |h: &str| {
        account(h, "文京区公式", None).with_facts("2026-11-28T21:30:00.000+09:00", 0, 2, true)
    };
    let want = Some("2026-11-28T12:30:00Z");

    let x = start(Kind::X, vec![new("bunkyo_clty")], Some("tok-facts")).await;
    set_token("NRSM_T_FACTS", "tok-facts");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(&x.uri(), "NRSM_T_FACTS", ""),
    );
    let p = found(build(&cfg).lookup(Platform::X, "bunkyo_clty").await);
    assert_eq!(facts(&p), (want, Some(0), Some(2), Some(true)));
    // The fields are asked for.
    let fields = x.requests_to("/2/users/by/username/bunkyo_clty").await[0]
        .url
        .query_pairs()
        .find(|(k, _)| k == "user.fields")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    for f in ["created_at", "public_metrics", "verified"] {
        assert!(fields.split(',').any(|x| x == f), "{f} not in {fields}");
    }

    let bsky = start(Kind::Bluesky, vec![new("bunkyo-clty.bsky.social")], None).await;
    let cfg = config(
        &official("bluesky", "bunkyo-city.bsky.social"),
        &format!("kind = \"bluesky\"\nbase_url = \"{}\"\n{FAST}", bsky.uri()),
    );
    let src = build(&cfg);
    let p = found(
        src.lookup(Platform::Bluesky, "bunkyo-clty.bsky.social")
            .await,
    );
    assert_eq!(facts(&p), (want, Some(0), Some(2), None));
    // Search results are profile views without counts: the date alone, no made-up zeros.
    let d = src.discover(&plan(&cfg)).await;
    let hit = d
        .candidates
        .iter()
        .find(|c| c.profile.handle == "bunkyo-clty.bsky.social")
        .expect("found by search");
    assert_eq!(facts(&hit.profile).0, want);

    let masto = start(Kind::Mastodon, vec![new("bunkyo_clty")], None).await;
    let cfg = config(
        &official("mastodon", "bunkyo_city@mstdn.example"),
        &mastodon_source(&masto.uri(), "max_variants = 2\n"),
    );
    let p = found(build(&cfg).lookup(Platform::Mastodon, "bunkyo_clty").await);
    assert_eq!(facts(&p), (want, Some(0), Some(2), None));

    let misskey = start(Kind::Misskey, vec![new("bunkyo_clty")], None).await;
    let cfg = config(
        &official("misskey", "bunkyo_city"),
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\nmax_variants = 2\n{FAST}",
            misskey.uri()
        ),
    );
    let p = found(build(&cfg).lookup(Platform::Misskey, "bunkyo_clty").await);
    assert_eq!(facts(&p), (want, Some(0), Some(2), None));
}

#[tokio::test]
async fn malformed_account_facts_are_dropped_not_fatal() {
    let fake = start(Kind::X, vec![], Some("tok-badfacts")).await;
    Mock::given(path("/2/users/by/username/bunkyo_clty"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {
                "id": "1", "username": "bunkyo_clty", "name": "文京区公式",
                "created_at": "a while ago", "verified": "yes",
                "public_metrics": {"tweet_count": -1, "followers_count": "many"}
            }})),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_BADFACTS", "tok-badfacts");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(&fake.uri(), "NRSM_T_BADFACTS", ""),
    );
    let p = found(
        build(&cfg)
            .lookup(narisumashi::model::Platform::X, "bunkyo_clty")
            .await,
    );
    assert_eq!(p.display_name.as_deref(), Some("文京区公式"));
    assert_eq!(facts(&p), (None, None, None, None));
}

// --- avatars ------------------------------------------------------------------------------

#[tokio::test]
async fn bad_avatars_are_refused() {
    use narisumashi::http::{fetch_image, FetchError};
    let fake = start(Kind::X, vec![], None).await;
    let cfg = config("", "kind = \"file\"\npath = \"none.jsonl\"\n");
    let c = client(&cfg);
    let net = &cfg.network;
    let limit = net.max_avatar_bytes;
    let url = |f: &str| format!("{}/avatars/{f}", fake.uri());
    assert!(matches!(
        fetch_image(&c, net, &url("huge.png"), limit).await,
        Err(FetchError::TooLarge { .. })
    ));
    assert!(matches!(
        fetch_image(&c, net, &url("html.png"), limit).await,
        Err(FetchError::ContentType { .. })
    ));
    let corrupt = fetch_image(&c, net, &url("corrupt.png"), limit)
        .await
        .unwrap();
    assert!(narisumashi::avatar::hash_bytes(&corrupt).is_err());
    let good = fetch_image(&c, net, &url("logo.png"), limit).await.unwrap();
    assert!(narisumashi::avatar::hash_bytes(&good).is_ok());
    // Production configs refuse the mock's loopback address outright.
    let closed = narisumashi::config::Network::default();
    assert!(matches!(
        fetch_image(
            &narisumashi::http::client(&closed),
            &closed,
            &url("logo.png"),
            limit
        )
        .await,
        Err(FetchError::PrivateAddress(_))
    ));
}

// --- the binary, end to end ---------------------------------------------------------------

struct World {
    dir: tempfile::TempDir,
    _fakes: Vec<mock_platforms::Fake>,
}

async fn world(x_token_env: &str) -> World {
    let x = start(
        Kind::X,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_clty", "文京区公式", Some("copy.png")),
            account("ramen_lover", "ラーメン好き", None),
            suspended("bunkyo_citty"),
        ],
        Some("e2e-x-token"),
    )
    .await;
    let bsky = start(
        Kind::Bluesky,
        vec![
            account("bunkyo-city.bsky.social", "文京区公式", Some("logo.png")),
            account("bunkyo-clty.bsky.social", "文京区公式", Some("copy.png")),
            account("tokyo-cafe.bsky.social", "文京区のカフェ巡り", None),
        ],
        None,
    )
    .await;
    let masto = start(
        Kind::Mastodon,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_city_jp", "文京区公式", Some("huge.png")),
        ],
        None,
    )
    .await;
    let misskey = start(
        Kind::Misskey,
        vec![
            account("bunkyo_city", "文京区公式", Some("logo.png")),
            account("bunkyo_clty", "文京区公式", Some("corrupt.png")),
        ],
        None,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("avatars")).unwrap();
    std::fs::write(
        dir.path().join("avatars/official.png"),
        mock_platforms::png(&mock_platforms::logo()),
    )
    .unwrap();
    let off = |p: &str, h: &str| format!("{}avatar = \"avatars/official.png\"\n", official(p, h));
    let text = format!(
        r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[network]
allow_private_addresses = true
max_avatar_bytes = 100000

{}
{}
{}
{}

[[source]]
kind = "x"
base_url = "{}"
token_env = "{x_token_env}"
search = false
{FAST}
[[source]]
kind = "bluesky"
base_url = "{}"
{FAST}
[[source]]
kind = "mastodon"
instance = "https://mstdn.example"
base_url = "{}"
max_variants = 10
{FAST}
[[source]]
kind = "misskey"
instance = "https://misskey.example"
base_url = "{}"
max_variants = 10
{FAST}
"#,
        off("x", "bunkyo_city"),
        off("bluesky", "bunkyo-city.bsky.social"),
        off("mastodon", "bunkyo_city@mstdn.example"),
        off("misskey", "bunkyo_city@misskey.example"),
        x.uri(),
        bsky.uri(),
        masto.uri(),
        misskey.uri(),
    );
    std::fs::write(dir.path().join("narisumashi.toml"), text).unwrap();
    World {
        dir,
        _fakes: vec![x, bsky, masto, misskey],
    }
}

fn narisumashi(w: &World) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("narisumashi").unwrap();
    cmd.current_dir(w.dir.path())
        .env("NARISUMASHI_CONFIG", w.dir.path().join("narisumashi.toml"))
        .env("E2E_X_TOKEN", "e2e-x-token")
        .env_remove("NARISUMASHI_LOG");
    cmd
}

/// Runs the binary off the test's runtime thread (the fakes live on that runtime).
async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_finds_impostors_on_all_four_platforms() {
    let w = world("E2E_X_TOKEN").await;
    let mut cmd = narisumashi(&w);
    cmd.args(["scan", "--json"]);
    let out = run(cmd).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let suspects: Vec<(String, String)> = report["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["platform"].as_str().unwrap().to_string(),
                s["handle"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("x", "bunkyo_clty"),
        ("bluesky", "bunkyo-clty.bsky.social"),
        ("mastodon", "bunkyo_city_jp@mstdn.example"),
        ("misskey", "bunkyo_clty@misskey.example"),
    ] {
        assert!(
            suspects
                .iter()
                .any(|(p, h)| p == expected.0 && h == expected.1),
            "{expected:?} missing from {suspects:?}\n{stdout}"
        );
    }
    for innocent in ["ramen_lover", "tokyo-cafe.bsky.social", "bunkyo_citty"] {
        assert!(!suspects.iter().any(|(_, h)| h == innocent), "{innocent}");
    }
    // Official accounts are never suspects.
    assert!(!suspects.iter().any(|(_, h)| h == "bunkyo_city"));
    let by = |h: &str| {
        report["suspects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["handle"] == h)
            .unwrap()
            .clone()
    };
    // A copied avatar is matched; an oversized or corrupt one leaves the signal empty, and
    // the account is still scored and flagged.
    assert!(by("bunkyo_clty")["signals"]["avatar"].as_f64().unwrap() > 0.9);
    assert!(by("bunkyo_city_jp@mstdn.example")["signals"]["avatar"].is_null());
    assert!(by("bunkyo_clty@misskey.example")["signals"]["avatar"].is_null());
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e.contains("bunkyo_city_jp") && e.contains("larger than")));
    assert!(errors
        .iter()
        .any(|e| e.contains("bunkyo_clty@misskey.example")));
    assert_eq!(out.status.code(), Some(5), "partial: some avatars failed");
    // Not a terminal: no progress bar in the output.
    assert!(!stderr.contains("sources ["), "{stderr}");
    assert!(!stderr.contains("avatars ["), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_without_its_token_is_reported_and_the_scan_goes_on() {
    let w = world("E2E_X_TOKEN_NOT_SET").await;
    let mut cmd = narisumashi(&w);
    cmd.args(["scan", "--json"]);
    let out = run(cmd).await;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].to_string();
    assert!(errors.contains("E2E_X_TOKEN_NOT_SET"), "{errors}");
    assert!(!errors.contains("e2e-x-token"));
    let suspects = report["suspects"].to_string();
    assert!(suspects.contains("bunkyo-clty.bsky.social"), "{suspects}");
    assert_eq!(out.status.code(), Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_looks_the_handle_up_live() {
    let w = world("E2E_X_TOKEN").await;
    let mut cmd = narisumashi(&w);
    cmd.args(["check", "@bunkyo_clty", "--platform", "x", "--json"]);
    let out = run(cmd).await;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["verdict"], "suspect");
    // Every official account here is called bunkyo_city (on its own platform).
    assert!(report["matched"]["handle"]
        .as_str()
        .unwrap()
        .starts_with("bunkyo_city"));
    assert_eq!(out.status.code(), Some(3));

    let mut cmd = narisumashi(&w);
    cmd.args(["check", "@nobody_at_all", "--platform", "x", "--json"]);
    let out = run(cmd).await;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "not_found");
    assert!(report["reasons"]
        .to_string()
        .contains("does not exist on x"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_check_reports_each_source_and_exits_by_health() {
    let w = world("E2E_X_TOKEN").await;
    let mut cmd = narisumashi(&w);
    cmd.args(["sources", "check", "--json"]);
    let out = run(cmd).await;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let all = report.as_array().unwrap();
    assert_eq!(all.len(), 4);
    for h in all {
        assert_eq!(h["healthy"], true, "{h}");
        assert_eq!(h["reachable"], true, "{h}");
    }
    assert_eq!(all[0]["authenticated"], "yes");
    assert_eq!(all[1]["authenticated"], "anonymous");
    assert!(all[0]["rate_limit"].as_str().unwrap().contains("299/300"));
    assert_eq!(out.status.code(), Some(0));

    // A wrong token: X is unhealthy, the others are not, and the exit status says so.
    let mut cmd = narisumashi(&w);
    cmd.env("E2E_X_TOKEN", "wrong").args(["sources", "check"]);
    let out = run(cmd).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL x"), "{text}");
    assert!(text.contains("authenticated: no (HTTP 401)"), "{text}");
    assert!(text.contains("OK   bluesky"), "{text}");
    assert!(!text.contains("wrong\n"));
    assert_eq!(out.status.code(), Some(6));
}

#[tokio::test]
async fn mastodon_and_misskey_429s_are_waited_out() {
    let masto = start(Kind::Mastodon, vec![account("a", "a", None)], None).await;
    Mock::given(path("/api/v1/accounts/lookup"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "300")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", "2099-01-01T00:05:00.000000Z")
                .set_body_json(serde_json::json!({"error": "Too many requests"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&masto.server)
        .await;
    let cfg = config("", &mastodon_source(&masto.uri(), ""));
    // The reset lies decades ahead: the wait is cut to max_wait_secs, then the retry works.
    found(
        build(&cfg)
            .lookup(narisumashi::model::Platform::Mastodon, "a")
            .await,
    );
    assert_eq!(masto.requests_to("/api/v1/accounts/lookup").await.len(), 2);

    let misskey = start(Kind::Misskey, vec![account("a", "a", None)], None).await;
    Mock::given(path("/api/users/show"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(serde_json::json!({"error": {"message": "Rate limit exceeded. Please try again later.", "code": "RATE_LIMIT_EXCEEDED", "id": "d5826d14-3982-4d2e-8011-b9e9f02499ef", "kind": "client"}})),
        )
        .with_priority(1)
        .mount(&misskey.server)
        .await;
    let cfg = config(
        "",
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\n{FAST}",
            misskey.uri()
        ),
    );
    // Rate limited on every attempt: unknown, never "not found".
    let why = unknown(
        build(&cfg)
            .lookup(narisumashi::model::Platform::Misskey, "a")
            .await,
    );
    assert!(why.contains("rate limited"), "{why}");
    assert_eq!(misskey.requests_to("/api/users/show").await.len(), 3);
}

#[tokio::test]
async fn x_names_a_batch_answer_leaves_out_are_confirmed_alone() {
    let fake = start(
        Kind::X,
        vec![
            account("bunkyo_clty", "文京区公式", None),
            suspended("bunkyo_c1ty"),
        ],
        Some("t7"),
    )
    .await;
    // A batch answer that mentions only one of the names it was asked about.
    Mock::given(path("/2/users/by"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": [{"id": "1500000000000000002", "username": "bunkyo_clty", "name": "文京区公式"}]
        })))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_X7", "t7");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(
            &fake.uri(),
            "NRSM_T_X7",
            "search = false\nmax_variants = 8\n",
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.candidates.len(), 1);
    let batch = fake.requests_to("/2/users/by").await;
    assert_eq!(batch.len(), 1);
    let asked = batch[0]
        .url
        .query_pairs()
        .find(|(k, _)| k == "usernames")
        .unwrap()
        .1
        .split(',')
        .count();
    let singles = fake
        .server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path().starts_with("/2/users/by/username/"))
        .count();
    assert_eq!(singles, asked - 1);
}

#[tokio::test]
async fn x_search_refused_to_an_app_only_token_is_reported_once_and_lookups_go_on() {
    let fake = start(
        Kind::X,
        vec![account("bunkyo_clty", "文京区公式", None)],
        Some("t8"),
    )
    .await;
    Mock::given(path("/2/users/search"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "title": "Forbidden", "type": "https://api.twitter.com/2/problems/client-forbidden",
            "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.",
            "status": 403
        })))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_X8", "t8");
    let cfg = config(
        &official("x", "bunkyo_city"),
        &x_source(
            &fake.uri(),
            "NRSM_T_X8",
            "search = true\nconcurrency = 1\nmax_variants = 20\nqueries = [\"bunkyo\", \"bunkyo pr\"]\n",
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    assert!(d.errors[0].contains("search = false"), "{}", d.errors[0]);
    assert_eq!(fake.requests_to("/2/users/search").await.len(), 1);
    assert_eq!(d.candidates.len(), 1, "look-alike probing still ran");
}

#[tokio::test]
async fn x_single_lookup_accepts_the_documented_404_too() {
    let fake = start(Kind::X, vec![], Some("t9")).await;
    Mock::given(path("/2/users/by/username/ghost_city"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found",
            "detail": "Could not find user with username: [ghost_city].", "status": 404
        })))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    set_token("NRSM_T_X9", "t9");
    let cfg = config("", &x_source(&fake.uri(), "NRSM_T_X9", ""));
    let src = build(&cfg);
    assert_eq!(
        src.lookup(narisumashi::model::Platform::X, "ghost_city")
            .await,
        Lookup::NotFound
    );
    // The 200-with-errors form of the same answer.
    assert_eq!(
        src.lookup(narisumashi::model::Platform::X, "ghost_town")
            .await,
        Lookup::NotFound
    );
}

/// The classic cross-platform clone: the organisation has no Misskey account, and the
/// impostor registered its X handle there. Probing alone (no search) must find it.
#[tokio::test]
async fn probing_finds_the_x_handle_cloned_on_another_platform() {
    let fake = start(
        Kind::Misskey,
        vec![account(
            "b_diverjinzai",
            "文京区中小企業ダイバーシティ人材採用促進事業",
            None,
        )],
        None,
    )
    .await;
    let cfg = config(
        &official("x", "b_diverjinzai"),
        &format!(
            "kind = \"misskey\"\ninstance = \"https://misskey.example\"\nbase_url = \"{}\"\nsearch = false\nmax_variants = 8\n{FAST}",
            fake.uri()
        ),
    );
    let d = build(&cfg).discover(&plan(&cfg)).await;
    let handles: Vec<&str> = d
        .candidates
        .iter()
        .map(|c| c.profile.handle.as_str())
        .collect();
    assert!(
        handles.contains(&"b_diverjinzai@misskey.example"),
        "{handles:?} {:?}",
        d.errors
    );
}
