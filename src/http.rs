//! The one HTTP client builder, and bounded downloads. Everything fetched here was named by a
//! platform, so it is attacker-controlled: addresses on loopback and private networks are
//! refused (unless `[network] allow_private_addresses`), bodies are capped, requests time out.
//!
//! It also reads the platforms' rate-limit headers ([`RateInfo`]) into typed values: the retry
//! loop in `crate::sources::retry` waits on them, and `sources check` reports the headroom.

use crate::config::Network;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The User-Agent every request sends.
pub const USER_AGENT: &str = concat!(
    "narisumashi/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/narisumashi/narisumashi; municipal impersonation monitor)"
);

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused URL {0}: only http and https are fetched")]
    Scheme(String),
    #[error("refused URL {0}: URLs with a user name or password are never fetched")]
    Credentials(String),
    #[error("refused {0}: it points to a loopback or private address")]
    PrivateAddress(String),
    #[error("{url}: larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: unexpected content type `{content_type}`")]
    ContentType { url: String, content_type: String },
    #[error("{url}: {source}")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
}

/// True for addresses a platform-supplied URL must never reach: everything that is not
/// globally reachable unicast (issue 8). IPv4: the IANA special-purpose registry (0/8, 10/8,
/// 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24,
/// 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24), multicast 224/4 and 240/4 with the
/// broadcast address. IPv6: only global unicast 2000::/3 may be reached, and within it not
/// 2001::/23 (Teredo, benchmarking, ORCHID...), 2001:db8::/32, 2002::/16 (6to4, which embeds
/// any IPv4 address), 3fff::/20 (documentation); so `::a.b.c.d`, `::ffff:a.b.c.d`, NAT64
/// `64:ff9b::/96` and `64:ff9b:1::/48`, `100::/64`, ULA, link-local and multicast are refused.
pub fn is_private(ip: IpAddr) -> bool {
    !is_global(ip)
}

/// True for globally reachable unicast addresses (see [`is_private`]).
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            let n = u32::from(v4);
            let within = |net: u32, bits: u32| (n ^ net) >> (32 - bits) == 0;
            !(a == 0
                || a == 10
                || a == 127
                || a >= 224 // multicast 224/4, reserved 240/4, broadcast
                || within(0x6440_0000, 10) // 100.64/10 shared address space
                || (a == 169 && b == 254)
                || within(0xAC10_0000, 12) // 172.16/12
                || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
                || (a == 192 && b == 0 && c == 2) // TEST-NET-1
                || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
                || (a == 192 && b == 168)
                || within(0xC612_0000, 15) // 198.18/15 benchmarking
                || (a == 198 && b == 51 && c == 100) // TEST-NET-2
                || (a == 203 && b == 0 && c == 113)) // TEST-NET-3
        }
        IpAddr::V6(v6) => {
            let n = u128::from(v6);
            let within = |net: u128, bits: u32| (n ^ net) >> (128 - bits) == 0;
            within(0x2000 << 112, 3) // global unicast 2000::/3 only
                && !within(0x2001 << 112, 23) // Teredo, benchmarking, ORCHID, ...
                && !within(0x2001_0db8 << 96, 32) // documentation
                && !within(0x2002 << 112, 16) // 6to4
                && !within(0x3fff << 112, 20) // documentation
        }
    }
}

/// A URL for messages: without user name, password, query or fragment (they may hold
/// secrets), and bounded in length.
pub fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            let had_query = u.query().is_some() || u.fragment().is_some();
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            let mut s = u.to_string();
            if had_query {
                s.push_str("?…");
            }
            crate::sources::text::bound(&s, 200)
        }
        Err(_) => {
            // Not a URL: cut at anything that could start credentials or a query.
            let cut = url.split(['@', '?', '#']).next().unwrap_or("");
            let mut s = crate::sources::text::bound(cut, 200);
            if cut.len() < url.len() {
                s.push('…');
            }
            s
        }
    }
}

/// A resolver that drops private addresses, so a hostname cannot smuggle a request inward
/// (checked at connect time, which also defeats DNS rebinding).
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !is_private(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(Box::new(FetchError::PrivateAddress(host)) as Box<_>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

fn literal_ip_is_refused(url: &reqwest::Url, allow_private: bool) -> bool {
    if allow_private {
        return false;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost") || !d.contains('.')
        }
        None => true,
    }
}

/// Builds the client every source and download uses.
pub fn client(network: &Network) -> reqwest::Client {
    let allow_private = network.allow_private_addresses;
    let redirect = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else if !matches!(attempt.url().scheme(), "http" | "https")
            || !attempt.url().username().is_empty()
            || attempt.url().password().is_some()
            || literal_ip_is_refused(attempt.url(), allow_private)
        {
            attempt.error("redirect to a refused address")
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(network.connect_timeout_secs))
        .timeout(Duration::from_secs(network.request_timeout_secs))
        .redirect(redirect)
        // Proxy variables are ignored (a proxy resolves names where our checks cannot see);
        // `[network] proxy` sets one explicitly.
        .no_proxy();
    if let Some(p) = network
        .proxy
        .as_deref()
        .and_then(|p| reqwest::Proxy::all(p).ok())
    {
        builder = builder.proxy(p);
    }
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
    }
    builder
        .build()
        .expect("the HTTP client configuration is valid")
}

/// Checks a URL before it is requested: http(s) only, no literal private address.
pub fn check_url(url: &str, network: &Network) -> Result<reqwest::Url, FetchError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| FetchError::Scheme(redact(url)))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::Scheme(redact(url)));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(FetchError::Credentials(redact(url)));
    }
    if literal_ip_is_refused(&parsed, network.allow_private_addresses) {
        return Err(FetchError::PrivateAddress(redact(url)));
    }
    Ok(parsed)
}

/// Resolves a URL's host and refuses it when any address is not global (used when a proxy,
/// not our resolver, will connect).
async fn check_target_resolves_globally(url: &reqwest::Url) -> Result<(), FetchError> {
    let refused = || FetchError::PrivateAddress(redact(url.as_str()));
    let host = url.host_str().ok_or_else(refused)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| refused())?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|a| is_private(a.ip())) {
        return Err(refused());
    }
    Ok(())
}

/// Downloads at most `limit` bytes of an image; anything larger is refused, not truncated.
pub async fn fetch_image(
    client: &reqwest::Client,
    network: &Network,
    url: &str,
    limit: usize,
) -> Result<Vec<u8>, FetchError> {
    let parsed = check_url(url, network)?;
    let req_err = |source: reqwest::Error| FetchError::Request {
        url: redact(url),
        source: source.without_url(),
    };
    if network.proxy.is_some() && !network.allow_private_addresses {
        // Through a proxy the resolver above is not asked: check the target here.
        check_target_resolves_globally(&parsed).await?;
    }
    let mut resp = client.get(parsed).send().await.map_err(req_err)?;
    if !resp.status().is_success() {
        return Err(FetchError::Status {
            url: redact(url),
            status: resp.status().as_u16(),
        });
    }
    if let Some(ct) = resp.headers().get(reqwest::header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        if !(ct.starts_with("image/")
            || ct.starts_with("application/octet-stream")
            || ct.is_empty())
        {
            return Err(FetchError::ContentType {
                url: redact(url),
                content_type: ct,
            });
        }
    }
    if resp.content_length().is_some_and(|n| n as usize > limit) {
        return Err(FetchError::TooLarge {
            url: redact(url),
            limit,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(req_err)? {
        if body.len() + chunk.len() > limit {
            return Err(FetchError::TooLarge {
                url: redact(url),
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A platform refused a request for exceeding its rate limit; retry after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("rate limited; retry after {}s", retry_after.as_secs_f64().ceil())]
pub struct RateLimited {
    pub retry_after: Duration,
}

/// What a response's rate-limit headers say. Every field is optional: platforms differ, and
/// forks differ again (see `platform-apis.md` §6.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateInfo {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// Time until the window resets (zero when the reset lies in the past).
    pub reset_in: Option<Duration>,
    /// `Retry-After`, as a duration.
    pub retry_after: Option<Duration>,
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| headers.get(*n))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Parses a reset header. X and Bluesky send Unix epoch seconds, Mastodon an RFC 3339
/// timestamp, Misskey forks a delta in (decimal) seconds; the value's shape tells them apart.
fn parse_reset(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let now_secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    if let Ok(n) = value.parse::<f64>() {
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        // Anything past 2001-09-09 is an epoch timestamp; smaller numbers are deltas.
        let delta = if n >= 1_000_000_000.0 {
            n - now_secs
        } else {
            n
        };
        return Some(Duration::from_secs_f64(delta.clamp(0.0, 1e9)));
    }
    let at = chrono::DateTime::parse_from_rfc3339(value).ok()?;
    let delta = at.timestamp_millis() as f64 / 1000.0 - now_secs;
    Some(Duration::from_secs_f64(delta.clamp(0.0, 1e9)))
}

/// Parses `Retry-After`: delta seconds, or (per HTTP) a date.
fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    if let Ok(n) = value.parse::<f64>() {
        return (n.is_finite() && n >= 0.0).then(|| Duration::from_secs_f64(n.min(1e9)));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now_secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let delta = at.timestamp_millis() as f64 / 1000.0 - now_secs;
    Some(Duration::from_secs_f64(delta.clamp(0.0, 1e9)))
}

impl RateInfo {
    /// Reads the rate-limit headers of any of the four platforms.
    pub fn parse(headers: &reqwest::header::HeaderMap, now: std::time::SystemTime) -> RateInfo {
        let count = |names: &[&str]| {
            header(headers, names).and_then(|v| {
                // Sharkey sends decimals; Bluesky's limit may carry a policy after `;`.
                let v = v.split(';').next().unwrap_or(v).trim();
                v.parse::<u64>()
                    .ok()
                    .or_else(|| v.parse::<f64>().ok().map(|f| f.max(0.0) as u64))
            })
        };
        RateInfo {
            limit: count(&["x-rate-limit-limit", "ratelimit-limit", "x-ratelimit-limit"]),
            remaining: count(&[
                "x-rate-limit-remaining",
                "ratelimit-remaining",
                "x-ratelimit-remaining",
            ]),
            reset_in: header(
                headers,
                &["x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"],
            )
            .and_then(|v| parse_reset(v, now)),
            retry_after: header(headers, &["retry-after"]).and_then(|v| parse_retry_after(v, now)),
        }
    }

    /// True when the headers say nothing about rate limits.
    pub fn is_empty(&self) -> bool {
        *self == RateInfo::default()
    }

    /// How long to wait before the next request after a 429: `Retry-After` when given, else
    /// the window reset, else `fallback`; always within `min..=max` (clock skew and resets in
    /// the past would otherwise mean no wait, absurd ones a wait of days).
    pub fn wait(&self, fallback: Duration, min: Duration, max: Duration) -> RateLimited {
        let raw = self.retry_after.or(self.reset_in).unwrap_or(fallback);
        RateLimited {
            retry_after: raw.max(min).min(max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::time::{SystemTime, UNIX_EPOCH};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn rate_headers_of_each_platform_parse() {
        let now = UNIX_EPOCH + Duration::from_secs(1_767_225_000);
        // X: epoch seconds.
        let x = RateInfo::parse(
            &headers(&[
                ("x-rate-limit-limit", "300"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "1767225600"),
            ]),
            now,
        );
        assert_eq!(x.limit, Some(300));
        assert_eq!(x.remaining, Some(0));
        assert_eq!(x.reset_in, Some(Duration::from_secs(600)));
        // Bluesky: epoch reset plus Retry-After, which wins.
        let b = RateInfo::parse(
            &headers(&[
                ("RateLimit-Limit", "3000"),
                ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", "1767225600"),
                ("RateLimit-Policy", "3000;w=300"),
                ("Retry-After", "42"),
            ]),
            now,
        );
        assert_eq!(b.remaining, Some(0));
        let max = Duration::from_secs(60);
        assert_eq!(
            b.wait(Duration::ZERO, Duration::ZERO, max).retry_after,
            Duration::from_secs(42)
        );
        // Mastodon: RFC 3339 with microseconds.
        let m = RateInfo::parse(
            &headers(&[
                ("X-RateLimit-Limit", "300"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", "2026-01-01T00:05:00.000000Z"),
            ]),
            now,
        );
        assert_eq!(m.reset_in, Some(Duration::from_secs(900)));
        // A wait beyond the maximum is clamped.
        assert_eq!(m.wait(Duration::ZERO, Duration::ZERO, max).retry_after, max);
        // Misskey fork: delta seconds, decimal.
        let k = RateInfo::parse(
            &headers(&[("X-RateLimit-Reset", "1.5"), ("Retry-After", "30")]),
            now,
        );
        assert_eq!(k.reset_in, Some(Duration::from_millis(1500)));
        assert_eq!(k.retry_after, Some(Duration::from_secs(30)));
        // A reset in the past means no wait, which the minimum then raises.
        let past = RateInfo::parse(&headers(&[("x-rate-limit-reset", "1000000000")]), now);
        assert_eq!(past.reset_in, Some(Duration::ZERO));
        assert_eq!(
            past.wait(Duration::ZERO, Duration::from_millis(5), max)
                .retry_after,
            Duration::from_millis(5)
        );
        // Retry-After as an HTTP date.
        let d = RateInfo::parse(
            &headers(&[("Retry-After", "Thu, 01 Jan 2026 00:00:10 GMT")]),
            UNIX_EPOCH + Duration::from_secs(1_767_225_600),
        );
        assert_eq!(d.retry_after, Some(Duration::from_secs(10)));
        // Garbage is ignored, not guessed.
        let g = RateInfo::parse(
            &headers(&[("x-rate-limit-reset", "soon"), ("retry-after", "-3")]),
            SystemTime::now(),
        );
        assert!(g.is_empty());
    }

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "100.127.255.254",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::127.0.0.1",
            "::10.0.0.1",
            "::8.8.8.8",
            "64:ff9b::7f00:1",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2001:2::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "3fff::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "::ffff:192.168.1.1",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "198.20.0.1",
            "223.255.255.254",
            "2001:4860:4860::8888",
            "2400:cb00::1",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked_before_fetching() {
        let n = Network::default();
        assert!(matches!(
            check_url("file:///etc/passwd", &n),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(
            check_url("javascript:alert(1)", &n),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(
            check_url("http://127.0.0.1:8080/a.png", &n),
            Err(FetchError::PrivateAddress(_))
        ));
        assert!(matches!(
            check_url("http://localhost/a.png", &n),
            Err(FetchError::PrivateAddress(_))
        ));
        assert!(check_url("https://example.jp/a.png", &n).is_ok());
        for host in ["localhost.", "a.localhost", "intranet", "LOCALHOST"] {
            assert!(
                matches!(
                    check_url(&format!("http://{host}/a.png"), &n),
                    Err(FetchError::PrivateAddress(_))
                ),
                "{host}"
            );
        }
        for bad in [
            "http://[::1]/",
            "http://[64:ff9b::a00:1]/",
            "http://0x7f.1/",
            "http://2130706433/",
        ] {
            assert!(check_url(bad, &n).is_err(), "{bad}");
        }
        let e = check_url("https://admin:hunter2@example.jp/a.png?sig=abc", &n).unwrap_err();
        assert!(matches!(e, FetchError::Credentials(_)), "{e}");
        let shown = e.to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("admin") && !shown.contains("sig=abc"),
            "{shown}"
        );
        assert!(redact("not a url user:pw@host").ends_with('…'));
        let open = Network {
            allow_private_addresses: true,
            ..Network::default()
        };
        assert!(check_url("http://127.0.0.1:8080/a.png", &open).is_ok());
    }
}
