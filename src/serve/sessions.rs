//! The session cookie and the [`Session`] extractor. The cookie holds a random 256-bit token
//! (HttpOnly, SameSite=Strict, Path=/, Secure behind https); the database keeps its SHA-256
//! with the user, the CSRF token and the times. A session ends after
//! `[serve] idle_timeout_minutes` without a request, or `max_session_hours` after login.
//! A request without a live session is sent to `/login` (303).

use super::{sha256_hex, unix_now, AppState};
use crate::config::Serve;
use crate::store::SessionUser;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// The cookie's name. The `__Host-` prefix would be better but needs Secure, which plain
/// HTTP on loopback cannot have.
pub const COOKIE_NAME: &str = "narisumashi_session";

/// The logged-in user of a request.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: SessionUser,
    /// SHA-256 of the cookie's token: the session's key in the database.
    pub token_sha256: String,
}

/// The value of one cookie in the request, if present.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// The session token from the cookie, if it has the shape of one.
pub fn token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE_NAME)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the browser reached us over https: always with `secure_cookie`, otherwise when a
/// trusted proxy says so in `X-Forwarded-Proto`. Anyone else's header is ignored.
pub fn is_https(headers: &HeaderMap, peer: Option<SocketAddr>, config: &Serve) -> bool {
    if config.secure_cookie {
        return true;
    }
    let trusted = peer.is_some_and(|p| config.trusted_proxies.contains(&p.ip()));
    trusted
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The peer address of a request (set by `into_make_service_with_connect_info`).
pub fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let mut c = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("a token is ASCII")
}

/// `Set-Cookie` that deletes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let mut c = format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("ASCII")
}

/// A 303 to `to`.
pub fn see_other(to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            LOCATION,
            HeaderValue::from_str(to).expect("our own paths are ASCII"),
        )],
    )
        .into_response()
}

/// Whether a stored session is still alive at `now`.
pub fn alive(s: &SessionUser, now: i64, config: &Serve) -> bool {
    let idle = (config.idle_timeout_minutes as i64).saturating_mul(60);
    let max = (config.max_session_hours as i64).saturating_mul(3600);
    now - s.last_seen <= idle && now - s.created <= max
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || see_other("/login");
        let Some(token) = token(&parts.headers) else {
            return Err(to_login());
        };
        let token_sha256 = sha256_hex(&token);
        let now = unix_now();
        let ctx = state.ctx.lock().await;
        let found = ctx.store.session(&token_sha256).map_err(|e| {
            tracing::error!("session lookup: {e:#}");
            super::handlers::error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "内部エラーが発生しました。",
            )
        })?;
        match found {
            Some(user) if alive(&user, now, &state.config.serve) => {
                if let Err(e) = ctx.store.touch_session(&token_sha256, now) {
                    tracing::warn!("session touch: {e:#}");
                }
                Ok(Session { user, token_sha256 })
            }
            Some(_) => {
                // Expired: forget it, and tell the browser to forget it too.
                let _ = ctx.store.delete_session(&token_sha256);
                let secure = is_https(&parts.headers, peer(parts), &state.config.serve);
                let mut r = to_login();
                r.headers_mut().insert(SET_COOKIE, clear_cookie(secure));
                Err(r)
            }
            None => Err(to_login()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        let t = "a".repeat(64);
        h.insert(
            COOKIE,
            format!("x=1; {COOKIE_NAME}={t}; y=2").parse().unwrap(),
        );
        assert_eq!(token(&h).as_deref(), Some(t.as_str()));
        h.insert(COOKIE, format!("{COOKIE_NAME}=short").parse().unwrap());
        assert!(token(&h).is_none());
    }

    #[test]
    fn https_only_from_trusted_proxies_or_config() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let stranger: SocketAddr = "192.0.2.9:5000".parse().unwrap();
        let mut c = Serve::default();
        assert!(!is_https(&h, Some(proxy), &c), "untrusted by default");
        c.trusted_proxies = vec![proxy.ip()];
        assert!(is_https(&h, Some(proxy), &c));
        assert!(!is_https(&h, Some(stranger), &c));
        assert!(!is_https(&HeaderMap::new(), Some(proxy), &c));
        let forced = Serve {
            secure_cookie: true,
            ..Serve::default()
        };
        assert!(is_https(&HeaderMap::new(), None, &forced));
        assert!(set_cookie("t", true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
        let plain = set_cookie("t", false);
        let plain = plain.to_str().unwrap();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
    }

    #[test]
    fn sessions_expire_after_inactivity_and_at_most_after_max_hours() {
        let c = Serve::default();
        let s = SessionUser {
            user_id: 1,
            name: "a".into(),
            role: crate::store::Role::Staff,
            csrf: "c".into(),
            created: 0,
            last_seen: 0,
        };
        assert!(alive(&s, 30 * 60, &c));
        assert!(!alive(&s, 30 * 60 + 1, &c));
        let busy = SessionUser {
            last_seen: 12 * 3600,
            ..s.clone()
        };
        assert!(alive(&busy, 12 * 3600, &c));
        assert!(!alive(&busy, 12 * 3600 + 1, &c));
    }
}
