//! The routes of `narisumashi serve` and the headers every response carries: a CSP without
//! any script (`default-src 'self'`, `script-src 'none'`), no framing (`frame-ancestors
//! 'none'` and `X-Frame-Options: DENY`), no sniffing, no referrer to other sites, no caching of pages that
//! hold evidence. Request bodies are capped: no form here needs more than a few kilobytes.

use super::{auth, handlers, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

/// The Content-Security-Policy of every response. Images may be `data:` because the notice
/// preview embeds its avatars the way the published page does.
pub const CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/static/app.css", get(handlers::stylesheet))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/", get(handlers::home))
        .route("/suspects", get(handlers::list))
        .route("/suspects/{id}", get(handlers::detail))
        .route("/suspects/{id}/{action}", post(handlers::action))
        .route("/avatars/{sha256}", get(handlers::avatar))
        .route("/official/{index}/avatar", get(handlers::official_avatar))
        .route(
            "/publish",
            get(handlers::publish_page).post(handlers::publish),
        )
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Not `no-referrer`: with it Chromium sends `Origin: null` on our own form posts, which
    // the same-origin check must refuse. `same-origin` still tells other sites nothing.
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}
