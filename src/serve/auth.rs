//! `GET /login`, `POST /login` (form fields `user`, `password`) and `POST /logout`, and the
//! throttle on failed logins: each failure in a row for one user name answers more slowly,
//! and after `[serve] login_max_failures` of them logins for that name are refused with 429
//! for `login_lockout_minutes`, whatever the password. An unknown name costs the same argon2
//! work as a known one and is throttled the same way, so neither timing nor answers tell
//! which names exist.

use super::handlers::{error_page, form_fields, internal};
use super::sessions::{self, Session};
use super::templates::LoginPage;
use super::{csrf, random_token, sha256_hex, unix_now, AppState};
use crate::config::Serve;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Extra wait per earlier failure in a row, and the most it grows to.
const STEP_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(2);
/// Most user names remembered at once (bounds memory against a flood of made-up names).
const MAX_TRACKED: usize = 10_000;

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Failed logins per user name, in memory (a restart forgets them).
#[derive(Debug)]
pub struct Throttle {
    max_failures: u32,
    lockout: Duration,
    entries: HashMap<String, Entry>,
}

/// What the throttle says about the next attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gate {
    Open,
    Locked { retry_after: Duration },
}

impl Throttle {
    pub fn new(config: &Serve) -> Throttle {
        Throttle {
            max_failures: config.login_max_failures.max(1),
            lockout: Duration::from_secs(config.login_lockout_minutes.saturating_mul(60)),
            entries: HashMap::new(),
        }
    }

    fn key(user: &str) -> String {
        user.chars().take(crate::users::MAX_NAME_CHARS).collect()
    }

    /// Whether an attempt for `user` may be checked at all.
    pub fn gate(&mut self, user: &str, now: Instant) -> Gate {
        let key = Throttle::key(user);
        match self.entries.get(&key).copied() {
            Some(Entry {
                locked_until: Some(until),
                ..
            }) if until > now => Gate::Locked {
                retry_after: until - now,
            },
            Some(Entry {
                locked_until: Some(_),
                ..
            }) => {
                // The lockout is over: start afresh.
                self.entries.remove(&key);
                Gate::Open
            }
            _ => Gate::Open,
        }
    }

    /// Records a failure; returns how long to wait before answering, or `Err` with the
    /// lockout when this failure reached the limit.
    pub fn failed(&mut self, user: &str, now: Instant) -> Result<Duration, Duration> {
        if self.entries.len() >= MAX_TRACKED {
            let lockout = self.lockout;
            self.entries.retain(|_, e| {
                e.locked_until.is_some_and(|u| u > now) || now.duration_since(e.last) < lockout
            });
            if self.entries.len() >= MAX_TRACKED {
                self.entries.clear();
            }
        }
        let e = self.entries.entry(Throttle::key(user)).or_insert(Entry {
            failures: 0,
            last: now,
            locked_until: None,
        });
        // Failures long ago do not count against a new try.
        if now.duration_since(e.last) >= self.lockout {
            e.failures = 0;
        }
        e.failures += 1;
        e.last = now;
        if e.failures >= self.max_failures {
            e.locked_until = Some(now + self.lockout);
            return Err(self.lockout);
        }
        Ok((STEP_DELAY * (e.failures - 1)).min(MAX_DELAY))
    }

    /// A successful login clears the name's failures.
    pub fn succeeded(&mut self, user: &str) {
        self.entries.remove(&Throttle::key(user));
    }
}

fn login_page(status: StatusCode, user: &str, error: Option<&str>) -> Response {
    let page = LoginPage {
        nav: super::templates::Nav::anonymous(),
        user: crate::render::visible(user, 64),
        error: error.map(str::to_string),
    };
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => internal(e.into()),
    }
}

fn locked(user: &str, retry_after: Duration) -> Response {
    let minutes = retry_after.as_secs().div_ceil(60).max(1);
    let mut r = login_page(
        StatusCode::TOO_MANY_REQUESTS,
        user,
        Some(&format!(
            "ログインの失敗が続いたため、このユーザー名でのログインを一時的に停止しています。約{minutes}分後にもう一度お試しください。"
        )),
    );
    r.headers_mut().insert(
        RETRY_AFTER,
        HeaderValue::from_str(&retry_after.as_secs().max(1).to_string()).expect("digits"),
    );
    r
}

/// `GET /login`: the form, or `/` for someone already logged in.
pub async fn login_form(session: Result<Session, Response>) -> Response {
    match session {
        Ok(_) => sessions::see_other("/"),
        Err(_) => login_page(StatusCode::OK, "", None),
    }
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !csrf::same_origin(&headers) {
        return error_page(
            StatusCode::FORBIDDEN,
            "別のサイトからの送信は受け付けません。",
        );
    }
    let form = form_fields(&body);
    let user = form
        .get("user")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let gate = state
        .throttle
        .lock()
        .expect("throttle lock")
        .gate(&user, Instant::now());
    if let Gate::Locked { retry_after } = gate {
        return locked(&user, retry_after);
    }

    let record = {
        let ctx = state.ctx.lock().await;
        match ctx.store.user(&user) {
            Ok(r) => r,
            Err(e) => return internal(e),
        }
    };
    let hash = record
        .as_ref()
        .map(|r| r.password.clone())
        .unwrap_or_else(|| crate::users::dummy_hash().to_string());
    let too_long = password.len() > crate::users::MAX_PASSWORD_BYTES;
    let verified = tokio::task::spawn_blocking(move || {
        !too_long && crate::users::verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);

    let Some(record) = record.filter(|_| verified) else {
        let outcome = state
            .throttle
            .lock()
            .expect("throttle lock")
            .failed(&user, Instant::now());
        return match outcome {
            Err(lockout) => locked(&user, lockout),
            Ok(delay) => {
                tokio::time::sleep(delay).await;
                login_page(
                    StatusCode::UNAUTHORIZED,
                    &user,
                    Some("ユーザー名またはパスワードが違います。"),
                )
            }
        };
    };
    state
        .throttle
        .lock()
        .expect("throttle lock")
        .succeeded(&user);

    // A fresh session every time (no fixation); an old one from this browser ends.
    let token = random_token();
    let now = unix_now();
    {
        let ctx = state.ctx.lock().await;
        if let Some(old) = sessions::token(&headers) {
            let _ = ctx.store.delete_session(&sha256_hex(&old));
        }
        let s = &state.config.serve;
        let _ = ctx.store.prune_sessions(
            now - (s.idle_timeout_minutes as i64).saturating_mul(60),
            now - (s.max_session_hours as i64).saturating_mul(3600),
        );
        if let Err(e) =
            ctx.store
                .create_session(record.id, &sha256_hex(&token), &random_token(), now)
        {
            return internal(e);
        }
    }
    tracing::info!("login: {}", record.name);
    let secure = sessions::is_https(&headers, Some(peer), &state.config.serve);
    let mut r = sessions::see_other("/");
    r.headers_mut()
        .insert(SET_COOKIE, sessions::set_cookie(&token, secure));
    r
}

/// `POST /logout` (field `csrf`).
pub async fn logout(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form_fields(&body);
    if !csrf::same_origin(&headers)
        || !csrf::token_matches(&session.user.csrf, form.get("csrf").map(String::as_str))
    {
        return super::handlers::csrf_refused();
    }
    {
        let ctx = state.ctx.lock().await;
        if let Err(e) = ctx.store.delete_session(&session.token_sha256) {
            return internal(e);
        }
    }
    let secure = sessions::is_https(&headers, Some(peer), &state.config.serve);
    let mut r = sessions::see_other("/login");
    r.headers_mut()
        .insert(SET_COOKIE, sessions::clear_cookie(secure));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_then_lock_for_a_while() {
        let config = Serve {
            login_max_failures: 3,
            login_lockout_minutes: 10,
            ..Serve::default()
        };
        let mut t = Throttle::new(&config);
        let t0 = Instant::now();
        assert_eq!(t.gate("sato", t0), Gate::Open);
        assert_eq!(t.failed("sato", t0), Ok(Duration::ZERO));
        assert_eq!(t.failed("sato", t0), Ok(STEP_DELAY));
        assert_eq!(t.failed("sato", t0), Err(Duration::from_secs(600)));
        assert!(matches!(t.gate("sato", t0), Gate::Locked { .. }));
        // Another name is not affected.
        assert_eq!(t.gate("suzuki", t0), Gate::Open);
        // After the lockout, a fresh start.
        let later = t0 + Duration::from_secs(601);
        assert_eq!(t.gate("sato", later), Gate::Open);
        assert_eq!(t.failed("sato", later), Ok(Duration::ZERO));
        // Success clears the count.
        t.succeeded("sato");
        assert_eq!(t.failed("sato", later), Ok(Duration::ZERO));
    }

    #[test]
    fn delays_are_capped() {
        let config = Serve {
            login_max_failures: 100,
            ..Serve::default()
        };
        let mut t = Throttle::new(&config);
        let now = Instant::now();
        let mut last = Duration::ZERO;
        for _ in 0..50 {
            last = t.failed("x", now).unwrap();
        }
        assert_eq!(last, MAX_DELAY);
    }
}
