//! Requests to a platform API under its rate limits: bounded parallelism per source, a pause
//! while the platform says the window is used up, waits on 429 for `Retry-After` or the reset
//! (clamped), capped exponential backoff with jitter for 5xx and timeouts, and a breaker that
//! stops a source which keeps failing so the scan can go on with the others (issue 4).
//!
//! Everything the platform answers that is not a 429 or a 5xx is handed back as a [`Reply`]:
//! a 404 or a 400 may be the very answer ("not found"), and only the client knows that.

use crate::config::SourceConfig;
use crate::http::{RateInfo, RateLimited};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// Largest API response body read; platform JSON pages are far smaller.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// How a source retries and waits. Built from its `[[source]]` keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff delay; doubled per retry, with jitter.
    pub backoff_base: Duration,
    /// Longest single backoff delay.
    pub backoff_max: Duration,
    /// Longest wait for a rate-limit reset.
    pub max_wait: Duration,
    /// Consecutive failed requests after which the source stops for this run.
    pub give_up_after: u32,
    /// Parallel requests.
    pub concurrency: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            retries: 3,
            backoff_base: Duration::from_millis(1000),
            backoff_max: Duration::from_secs(30),
            max_wait: Duration::from_secs(60),
            give_up_after: 5,
            concurrency: 4,
        }
    }
}

impl Policy {
    pub fn from_config(sc: &SourceConfig) -> Policy {
        let d = Policy::default();
        let base = sc
            .backoff_ms
            .map(Duration::from_millis)
            .unwrap_or(d.backoff_base);
        Policy {
            retries: sc.retries.unwrap_or(d.retries).min(10),
            backoff_base: base,
            backoff_max: d.backoff_max.max(base),
            max_wait: sc
                .max_wait_secs
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Duration::from_secs_f64(s.min(3600.0)))
                .unwrap_or(d.max_wait),
            give_up_after: d.give_up_after,
            concurrency: sc.concurrency.unwrap_or(d.concurrency).clamp(1, 64),
        }
    }

    /// The delay before retry number `attempt` (0-based): exponential, capped, with "equal
    /// jitter" (half fixed, half random) so parallel clients do not retry in lockstep.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt.min(16)));
        let capped = exp.min(self.backoff_max);
        let factor: f64 = 0.5 + rand::random::<f64>() * 0.5;
        capped.mul_f64(factor)
    }
}

/// Why a request produced no usable reply.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("{0} (after retries)")]
    RateLimited(RateLimited),
    #[error("usage cap exceeded, not retried: {0}")]
    UsageCapped(String),
    #[error("server error HTTP {status} (after retries)")]
    Server { status: u16 },
    #[error("timed out (after retries)")]
    Timeout,
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("response larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error("malformed response: {0}")]
    Malformed(String),
    #[error("unexpected HTTP {status}: {detail}")]
    Status { status: u16, detail: String },
    #[error("stopped for this run: {0}")]
    Stopped(String),
}

/// A platform's answer: its status, body and rate-limit headers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub rate: RateInfo,
}

impl Reply {
    /// Decodes the body as JSON; a body that is not the expected JSON is malformed.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| ApiError::Malformed(e.to_string()))
    }

    /// A short, bounded excerpt of the body for messages (never echoes request headers).
    pub fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        super::text::bound(&one_line, 200)
    }

    /// The reply as an error, for statuses the caller does not expect.
    pub fn unexpected(&self) -> ApiError {
        ApiError::Status {
            status: self.status,
            detail: self.excerpt(),
        }
    }
}

/// What a source has seen of its platform in this run (for `sources check`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiStatus {
    /// Requests that got any HTTP answer.
    pub answered: u64,
    /// Requests that got none (connection refused, timeout).
    pub unanswered: u64,
    /// The status of the last 401/403 answer, if any.
    pub auth_refused: Option<u16>,
    /// The rate-limit headers of the last answer that had any.
    pub rate: Option<RateInfo>,
}

/// One platform API as a source uses it: the shared HTTP client plus this source's policy,
/// permits, rate-limit pause, breaker and observations.
pub struct Api {
    client: reqwest::Client,
    pub policy: Policy,
    permits: Semaphore,
    not_before: Mutex<Option<Instant>>,
    consecutive_failures: AtomicU32,
    stopped: Mutex<Option<String>>,
    answered: AtomicU64,
    unanswered: AtomicU64,
    status: Mutex<ApiStatus>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Api {
    pub fn new(client: reqwest::Client, policy: Policy) -> Api {
        Api {
            client,
            permits: Semaphore::new(policy.concurrency),
            policy,
            not_before: Mutex::new(None),
            consecutive_failures: AtomicU32::new(0),
            stopped: Mutex::new(None),
            answered: AtomicU64::new(0),
            unanswered: AtomicU64::new(0),
            status: Mutex::new(ApiStatus::default()),
        }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// What this source has seen so far.
    pub fn status(&self) -> ApiStatus {
        let mut s = lock(&self.status).clone();
        s.answered = self.answered.load(Ordering::Relaxed);
        s.unanswered = self.unanswered.load(Ordering::Relaxed);
        s
    }

    /// Stops every further request of this run (a rejected token, a spent usage cap).
    pub fn stop(&self, why: &str) {
        let mut s = lock(&self.stopped);
        if s.is_none() {
            *s = Some(why.to_string());
        }
    }

    /// Why the source stopped, if it did.
    pub fn stopped(&self) -> Option<String> {
        lock(&self.stopped).clone()
    }

    /// How long the source is still holding back because the platform said its window is
    /// used up (zero when it is not).
    pub fn paused_for(&self) -> Duration {
        lock(&self.not_before)
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or_default()
    }

    fn pause_until(&self, until: Instant) {
        let mut nb = lock(&self.not_before);
        if nb.is_none_or(|t| t < until) {
            *nb = Some(until);
        }
    }

    async fn wait_for_window(&self) {
        let until = *lock(&self.not_before);
        if let Some(t) = until {
            tokio::time::sleep_until(t).await;
        }
    }

    fn record_failure(&self, e: &ApiError) {
        let n = self.consecutive_failures.fetch_add(1, Ordering::Relaxed) + 1;
        if matches!(e, ApiError::UsageCapped(_)) {
            self.stop(&e.to_string());
        } else if n >= self.policy.give_up_after {
            self.stop(&format!("{n} requests in a row failed, the last: {e}"));
        }
    }

    /// Sends the request `build` makes (again for each retry) and returns the platform's
    /// answer, after waiting out rate limits and retrying 5xx and timeouts.
    pub async fn send<F>(&self, build: F) -> Result<Reply, ApiError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let result = self.send_inner(&build).await;
        match &result {
            Ok(_) => self.consecutive_failures.store(0, Ordering::Relaxed),
            Err(ApiError::Stopped(_)) => {}
            Err(e) => self.record_failure(e),
        }
        result
    }

    async fn send_inner<F>(&self, build: &F) -> Result<Reply, ApiError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let mut attempt = 0u32;
        loop {
            if let Some(why) = self.stopped() {
                return Err(ApiError::Stopped(why));
            }
            self.wait_for_window().await;
            let outcome = {
                let _permit = self
                    .permits
                    .acquire()
                    .await
                    .map_err(|_| ApiError::Stopped("shutting down".into()))?;
                self.attempt(build).await
            };
            let retry_in = match outcome {
                Ok(reply) if reply.status == 429 => {
                    if let Some(cap) = usage_cap(&reply.body) {
                        return Err(ApiError::UsageCapped(cap));
                    }
                    let wait = reply.rate.wait(
                        self.policy.backoff(attempt),
                        self.policy.backoff_base,
                        self.policy.max_wait,
                    );
                    // Every request of this source pauses, not only this one.
                    self.pause_until(Instant::now() + wait.retry_after);
                    if attempt >= self.policy.retries {
                        return Err(ApiError::RateLimited(wait));
                    }
                    Duration::ZERO
                }
                Ok(reply) if reply.status >= 500 => {
                    if attempt >= self.policy.retries {
                        return Err(ApiError::Server {
                            status: reply.status,
                        });
                    }
                    self.policy.backoff(attempt)
                }
                Ok(reply) => {
                    if reply.rate.remaining == Some(0) {
                        if let Some(reset) = reply.rate.reset_in {
                            self.pause_until(Instant::now() + reset.min(self.policy.max_wait));
                        }
                    }
                    return Ok(reply);
                }
                Err(e @ (ApiError::Timeout | ApiError::Unreachable(_))) => {
                    if attempt >= self.policy.retries {
                        return Err(e);
                    }
                    self.policy.backoff(attempt)
                }
                Err(e) => return Err(e),
            };
            tracing::debug!(attempt, ?retry_in, "retrying request");
            tokio::time::sleep(retry_in).await;
            attempt += 1;
        }
    }

    async fn attempt<F>(&self, build: &F) -> Result<Reply, ApiError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                ApiError::Timeout
            } else {
                // Without the URL: it is in the label already, and query strings are noise.
                ApiError::Unreachable(e.without_url().to_string())
            }
        };
        let mut resp = match build(&self.client).send().await {
            Ok(r) => r,
            Err(e) => {
                self.unanswered.fetch_add(1, Ordering::Relaxed);
                return Err(transport(e));
            }
        };
        self.answered.fetch_add(1, Ordering::Relaxed);
        let status = resp.status().as_u16();
        let rate = RateInfo::parse(resp.headers(), SystemTime::now());
        {
            let mut s = lock(&self.status);
            if !rate.is_empty() {
                s.rate = Some(rate);
            }
            if matches!(status, 401 | 403) {
                s.auth_refused = Some(status);
            }
        }
        if resp
            .content_length()
            .is_some_and(|n| n as usize > MAX_BODY_BYTES)
        {
            return Err(ApiError::TooLarge);
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(ApiError::TooLarge);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(transport(e)),
            }
        }
        Ok(Reply { status, body, rate })
    }
}

/// X's spend cap is a 429 that no wait within the window fixes (platform-apis.md §1.6).
fn usage_cap(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let t = v.get("type")?.as_str()?;
    t.ends_with("/usage-capped").then(|| {
        v.get("detail")
            .and_then(|d| d.as_str())
            .map(|d| super::text::bound(d, 200))
            .unwrap_or_else(|| "usage cap exceeded".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = Policy {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..Policy::default()
        };
        for attempt in 0..20 {
            let d = p.backoff(attempt);
            let full = (100u64 << attempt.min(16)).min(1000);
            assert!(d >= Duration::from_millis(full / 2), "{attempt}: {d:?}");
            assert!(d <= Duration::from_millis(full), "{attempt}: {d:?}");
        }
    }

    #[test]
    fn usage_cap_is_recognised_by_problem_type() {
        let capped = br#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#;
        assert_eq!(
            usage_cap(capped).as_deref(),
            Some("Usage cap exceeded: Monthly product cap")
        );
        let plain = br#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#;
        assert_eq!(usage_cap(plain), None);
        assert_eq!(usage_cap(b"<html>"), None);
    }

    #[tokio::test]
    async fn an_exhausted_window_pauses_the_source_up_to_max_wait() {
        use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let reset = SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-rate-limit-limit", "300")
                    .insert_header("x-rate-limit-remaining", "0")
                    .insert_header("x-rate-limit-reset", reset.to_string().as_str())
                    .set_body_string("{}"),
            )
            .mount(&server)
            .await;
        let api = Api::new(
            reqwest::Client::new(),
            Policy {
                max_wait: Duration::from_secs(600),
                ..Policy::default()
            },
        );
        assert_eq!(api.paused_for(), Duration::ZERO);
        let uri = server.uri();
        let reply = api.send(|c| c.get(&uri)).await.unwrap();
        assert_eq!(reply.rate.remaining, Some(0));
        // The reset is an hour away; the pause is cut to max_wait.
        let paused = api.paused_for();
        assert!(paused > Duration::from_secs(500) && paused <= Duration::from_secs(600));
        assert_eq!(api.status().rate.unwrap().limit, Some(300));
    }

    #[test]
    fn policy_reads_config_keys() {
        let sc: SourceConfig = toml::from_str(
            "kind = \"bluesky\"\nretries = 1\nbackoff_ms = 2\nmax_wait_secs = 0.5\nconcurrency = 9",
        )
        .unwrap();
        let p = Policy::from_config(&sc);
        assert_eq!(p.retries, 1);
        assert_eq!(p.backoff_base, Duration::from_millis(2));
        assert_eq!(p.max_wait, Duration::from_millis(500));
        assert_eq!(p.concurrency, 9);
    }
}
