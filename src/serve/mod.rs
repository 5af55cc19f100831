//! `narisumashi serve` (issue 11): the review queue in the browser. Staff log in, read each
//! suspect beside the official account it imitates, and record their decisions; an approver
//! approves and publishes. The interface (routes, form fields, status codes, cookie flags,
//! headers) is fixed by the issue; see the README.
//!
//! One file per concern: [`router`] (routes and security headers), [`auth`] (login, logout,
//! throttling of failed logins), [`sessions`] (the cookie and the session extractor),
//! [`csrf`] (tokens and the same-origin check), [`handlers`] (the pages and actions) and
//! [`templates`] (askama page types). The workflow rules themselves stay in `crate::review`,
//! the SQL in `crate::store`: this module only translates HTTP to those calls.

pub mod auth;
pub mod csrf;
pub mod handlers;
pub mod router;
pub mod sessions;
pub mod templates;

use crate::config::Config;
use crate::scan::Context;
use crate::store::Store;
use anyhow::{Context as _, Result};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// The default `--listen` address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

pub struct Shared {
    /// The config, the database and the HTTP client (for the official avatars). One lock:
    /// SQLite has one writer anyway, and every request is short.
    pub ctx: tokio::sync::Mutex<Context>,
    /// A copy of the config to read without the lock.
    pub config: Config,
    pub client: reqwest::Client,
    pub throttle: std::sync::Mutex<auth::Throttle>,
    /// Official avatars, re-encoded, by their index in `[[official]]` (`None`: no picture).
    pub official_avatars: tokio::sync::Mutex<HashMap<usize, Option<Vec<u8>>>>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}

impl AppState {
    pub fn new(config: Config, store: Store) -> AppState {
        let ctx = Context::new(config.clone(), store);
        let client = ctx.client.clone();
        let throttle = auth::Throttle::new(&config.serve);
        AppState {
            inner: Arc::new(Shared {
                ctx: tokio::sync::Mutex::new(ctx),
                config,
                client,
                throttle: std::sync::Mutex::new(throttle),
                official_avatars: tokio::sync::Mutex::new(HashMap::new()),
            }),
        }
    }
}

/// The warning printed when the server listens beyond this machine.
pub fn exposure_warning(addr: &SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, which other machines can reach. narisumashi serve speaks plain HTTP: put a reverse proxy with TLS (nginx or Caddy, see the README) in front of it, and set [serve] trusted_proxies or secure_cookie so the session cookie is marked Secure."
        )
    })
}

/// Runs the server until Ctrl-C or SIGTERM. Prints `listening on http://ADDR:PORT` once the
/// socket accepts connections (with the real port when 0 was asked for).
pub async fn run(config: Config, store: Store, listen: &str) -> Result<()> {
    let addr: SocketAddr = listen.parse().with_context(|| {
        format!("--listen needs ADDR:PORT, e.g. {DEFAULT_LISTEN} (got `{listen}`)")
    })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    if let Some(w) = exposure_warning(&bound) {
        eprintln!("narisumashi: {w}");
    }
    let state = AppState::new(config, store);
    let app = router::router(state);
    println!("listening on http://{bound}");
    use std::io::Write;
    std::io::stdout().flush()?;
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("the server stopped")?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A fresh random token (256 bits, hex).
pub fn random_token() -> String {
    use rand::Rng;
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a string, hex.
pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_beyond_loopback() {
        assert!(exposure_warning(&"127.0.0.1:8080".parse().unwrap()).is_none());
        assert!(exposure_warning(&"[::1]:8080".parse().unwrap()).is_none());
        let w = exposure_warning(&"0.0.0.0:8080".parse().unwrap()).unwrap();
        assert!(w.contains("TLS") && w.contains("reverse proxy"), "{w}");
    }

    #[test]
    fn tokens_are_random_hex() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_token());
    }
}
