//! The one HTTP client builder, and bounded downloads. Everything fetched here was named by a
//! platform, so it is attacker-controlled: addresses on loopback and private networks are
//! refused (unless `[network] allow_private_addresses`), bodies are capped, requests time out.

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

/// True for addresses a platform-supplied URL must never reach.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64 // CGNAT 100.64/10
                || v4.octets()[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xFE00) == 0xFC00 // unique local
                || (v6.segments()[0] & 0xFFC0) == 0xFE80 // link local
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
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
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
        .redirect(redirect);
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
    }
    builder
        .build()
        .expect("the HTTP client configuration is valid")
}

/// Checks a URL before it is requested: http(s) only, no literal private address.
pub fn check_url(url: &str, network: &Network) -> Result<reqwest::Url, FetchError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| FetchError::Scheme(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::Scheme(url.to_string()));
    }
    if literal_ip_is_refused(&parsed, network.allow_private_addresses) {
        return Err(FetchError::PrivateAddress(url.to_string()));
    }
    Ok(parsed)
}

/// Downloads at most `limit` bytes of an image; anything larger is refused, not truncated.
pub async fn fetch_image(
    client: &reqwest::Client,
    network: &Network,
    url: &str,
    limit: usize,
) -> Result<Vec<u8>, FetchError> {
    let parsed = check_url(url, network)?;
    let req_err = |source| FetchError::Request {
        url: url.to_string(),
        source,
    };
    let mut resp = client.get(parsed).send().await.map_err(req_err)?;
    if !resp.status().is_success() {
        return Err(FetchError::Status {
            url: url.to_string(),
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
                url: url.to_string(),
                content_type: ct,
            });
        }
    }
    if resp.content_length().is_some_and(|n| n as usize > limit) {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            limit,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(req_err)? {
        if body.len() + chunk.len() > limit {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "2001:4860:4860::8888"] {
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
        let open = Network {
            allow_private_addresses: true,
            ..Network::default()
        };
        assert!(check_url("http://127.0.0.1:8080/a.png", &open).is_ok());
    }
}
