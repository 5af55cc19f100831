//! The pages and actions of `narisumashi serve`: the queue (`GET /suspects`), one suspect
//! (`GET /suspects/{id}`), the decisions (`POST /suspects/{id}/{action}`), the avatars from
//! the database, and publishing (`GET`/`POST /publish`). Each decision goes through the same
//! `crate::review` function the CLI calls, under the logged-in user's name, so the audit log
//! reads the same whichever tool was used. Attacker-controlled text passes through
//! [`visible`] and askama's escaping.

use super::sessions::{see_other, Session};
use super::templates::*;
use super::{csrf, AppState};
use crate::model::Platform;
use crate::render::{safe_href, visible, MAX_SHOWN_CHARS};
use crate::review::{self, status_ja, ReportFormat, ReviewError};
use crate::store::{Role, Status, SuspectRecord};
use crate::wareki;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// Suspects per page of the queue.
pub const PAGE_SIZE: usize = 50;
/// Longest note or description accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Largest avatar sent, in pixels each way.
pub const AVATAR_PIXELS: u32 = 256;

/// The fields of an `application/x-www-form-urlencoded` body; the first of a repeated name
/// wins.
pub fn form_fields(body: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        out.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    out
}

/// A page saying what went wrong, with the status.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let page = ErrorPage {
        nav: Nav::anonymous(),
        status: status.as_u16(),
        message: message.to_string(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

/// A 500 that logs the cause and shows none of it.
pub fn internal(e: anyhow::Error) -> Response {
    tracing::error!("{e:#}");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "内部エラーが発生しました。時間をおいてもう一度お試しください。",
    )
}

/// 403 for a missing or wrong CSRF token.
pub fn csrf_refused() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "フォームの確認用トークンが正しくありません。ページを開き直してからもう一度操作してください。",
    )
}

fn role_refused() -> Response {
    error_page(StatusCode::FORBIDDEN, "この操作は承認者だけが行えます。")
}

fn page<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e.into()),
    }
}

fn nav(session: &Session, current: &'static str) -> Nav {
    Nav {
        user: Some(NavUser {
            name: visible(&session.user.name, 64),
            role: session.user.role.label_ja(),
            csrf: session.user.csrf.clone(),
        }),
        current,
    }
}

/// The CSRF token of a form, checked against the session, and the request's origin.
fn checked_form(
    session: &Session,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<HashMap<String, String>> {
    let form = form_fields(body);
    (csrf::same_origin(headers)
        && csrf::token_matches(&session.user.csrf, form.get("csrf").map(String::as_str)))
    .then_some(form)
}

/// `GET /healthz`.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /static/app.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// `GET /`.
pub async fn home(_session: Session) -> Response {
    see_other("/suspects")
}

/// Anything else: the login page without a session, 404 with one.
pub async fn not_found(session: Result<Session, Response>) -> Response {
    match session {
        Err(to_login) => to_login,
        Ok(_) => error_page(StatusCode::NOT_FOUND, "ページが見つかりません。"),
    }
}

/// A status as the list shows it: short.
fn status_short(s: Status) -> &'static str {
    match s {
        Status::New => "未確認",
        Status::Confirmed => "なりすまし確認済み",
        Status::Dismissed => "なりすましではない",
        Status::Reported => "削除要請済み",
        Status::Removed => "削除確認",
        Status::Withdrawn => "取り下げ",
    }
}

fn resembles(s: &SuspectRecord) -> String {
    s.matched
        .as_ref()
        .map(|m| {
            format!(
                "{} @{}",
                m.platform.label(),
                visible(&m.handle, MAX_SHOWN_CHARS)
            )
        })
        .unwrap_or_default()
}

/// `GET /suspects?status=&platform=&page=`: highest score first, [`PAGE_SIZE`] a page.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let status = match get("status").map(str::parse::<Status>).transpose() {
        Ok(s) => s,
        Err(_) => return error_page(StatusCode::BAD_REQUEST, "状況の指定が正しくありません。"),
    };
    let platform = match get("platform").map(str::parse::<Platform>).transpose() {
        Ok(p) => p,
        Err(_) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "サービスの指定が正しくありません。",
            )
        }
    };
    let page_no = match get("page").map(str::parse::<usize>).transpose() {
        Ok(p) if p != Some(0) => p.unwrap_or(1),
        _ => return error_page(StatusCode::BAD_REQUEST, "ページの指定が正しくありません。"),
    };
    let all = {
        let ctx = state.ctx.lock().await;
        match ctx.store.suspects(status) {
            Ok(a) => a,
            Err(e) => return internal(e),
        }
    };
    let matching: Vec<_> = all
        .into_iter()
        .filter(|s| platform.is_none_or(|p| s.platform == p))
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page_no = page_no.min(pages);
    let start = (page_no - 1) * PAGE_SIZE;
    let rows: Vec<ListRow> = matching
        .iter()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|s| ListRow {
            id: s.id,
            platform: s.platform.label(),
            handle: visible(&s.handle, MAX_SHOWN_CHARS),
            display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
            score: format!("{:.2}", s.score),
            status: list_status(&state.config, s),
            status_code: s.status.as_str(),
            resembles: resembles(s),
        })
        .collect();
    let link = |p: usize| {
        let mut params = vec![];
        if let Some(s) = status {
            params.push(format!("status={s}"));
        }
        if let Some(pl) = platform {
            params.push(format!("platform={}", pl.as_str()));
        }
        params.push(format!("page={p}"));
        format!("/suspects?{}", params.join("&"))
    };
    let mut statuses = vec![Opt {
        value: "",
        label: "すべて",
        selected: status.is_none(),
    }];
    statuses.extend(Status::ALL.iter().map(|s| Opt {
        value: s.as_str(),
        label: status_short(*s),
        selected: status == Some(*s),
    }));
    let mut platforms = vec![Opt {
        value: "",
        label: "すべて",
        selected: platform.is_none(),
    }];
    platforms.extend(Platform::ALL.iter().map(|p| Opt {
        value: p.as_str(),
        label: p.label(),
        selected: platform == Some(*p),
    }));
    page(&ListPage {
        nav: nav(&session, "suspects"),
        organization: state.config.organization.name.clone(),
        first: if rows.is_empty() { 0 } else { start + 1 },
        last: start + rows.len(),
        rows,
        total,
        page: page_no,
        pages,
        statuses,
        platforms,
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (page_no < pages).then(|| link(page_no + 1)),
    })
}

fn event_what(e: &crate::store::SuspectEvent) -> String {
    match e.kind.as_str() {
        "describe" => "手口を記録".into(),
        "approve" => "承認（決裁）".into(),
        "reopen" => "プロフィールが変わったため未確認に戻る".into(),
        _ => match e.from_status {
            Some(from) => format!("{} → {}", status_short(from), status_short(e.to_status)),
            None => status_short(e.to_status).into(),
        },
    }
}

/// A decision and who may take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Confirm,
    Dismiss,
    Describe,
    Report,
    Removed,
    Approve,
    Withdraw,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "confirm" => Action::Confirm,
            "dismiss" => Action::Dismiss,
            "describe" => Action::Describe,
            "report" => Action::Report,
            "removed" => Action::Removed,
            "approve" => Action::Approve,
            "withdraw" => Action::Withdraw,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Dismiss => "dismiss",
            Action::Describe => "describe",
            Action::Report => "report",
            Action::Removed => "removed",
            Action::Approve => "approve",
            Action::Withdraw => "withdraw",
        }
    }

    /// Only an approver may approve and withdraw (訂正).
    pub fn approver_only(self) -> bool {
        matches!(self, Action::Approve | Action::Withdraw)
    }

    /// The status a status-changing action leads to.
    fn target(self) -> Option<Status> {
        match self {
            Action::Confirm => Some(Status::Confirmed),
            Action::Dismiss => Some(Status::Dismissed),
            Action::Report => Some(Status::Reported),
            Action::Removed => Some(Status::Removed),
            Action::Withdraw => Some(Status::Withdrawn),
            Action::Describe | Action::Approve => None,
        }
    }

    fn form(self) -> ActionForm {
        let (label, help) = match self {
            Action::Confirm => ("なりすましと確認する", "公式アカウントになりすましていると判断した場合。"),
            Action::Dismiss => ("なりすましではない", "無関係な利用者や許可済みのアカウントの場合。"),
            Action::Report => ("運営会社へ報告した", "削除依頼を送信した後に記録します。"),
            Action::Removed => ("削除を確認した", "アカウントが運営会社により削除されたことを確認した場合。"),
            Action::Approve => ("承認する（決裁）", "確認内容を承認し、公開ページへの掲載を認めます。"),
            Action::Withdraw => ("掲載を取り下げる（訂正）", "なりすましではなかったと判明した場合。理由の記入が必要です。訂正文が公開ページに載ります。"),
            Action::Describe => ("手口を保存", ""),
        };
        ActionForm {
            action: self.as_str(),
            label,
            help,
            note_required: self == Action::Withdraw,
            approver_only: self.approver_only(),
        }
    }

    /// What the page says after the action.
    fn done(self) -> &'static str {
        match self {
            Action::Confirm => "なりすましと確認しました。",
            Action::Dismiss => "なりすましではないと記録しました。",
            Action::Describe => "手口を保存しました。",
            Action::Report => "運営会社へ報告したと記録しました。",
            Action::Removed => "削除を確認したと記録しました。",
            Action::Approve => "承認しました。",
            Action::Withdraw => "掲載を取り下げました。",
        }
    }
}

/// The decisions the page offers for a suspect (the server checks them again on POST).
fn actions_for(config: &crate::config::Config, s: &SuspectRecord, role: Role) -> Vec<ActionForm> {
    let approve =
        (role == Role::Approver && review::awaiting_approval(config, s)).then_some(Action::Approve);
    approve
        .into_iter()
        .chain(
            [
                Action::Confirm,
                Action::Dismiss,
                Action::Report,
                Action::Removed,
                Action::Withdraw,
            ]
            .into_iter()
            .filter(|a| a.target().is_some_and(|t| s.status.can_become(t)))
            .filter(|a| !a.approver_only() || role == Role::Approver),
        )
        .map(Action::form)
        .collect()
}

/// Where a suspect stands with the 決裁, for the detail page.
fn approval_text(config: &crate::config::Config, s: &SuspectRecord) -> Option<String> {
    if let Some(a) = &s.approval {
        let mut t = format!(
            "承認済み：{}（{}）",
            visible(&a.by, 64),
            wareki::format_timestamp(&a.at)
        );
        if let Some(n) = a.note.as_deref().filter(|n| !n.is_empty()) {
            t.push_str(&format!("　メモ：{}", visible(n, MAX_NOTE_CHARS)));
        }
        Some(t)
    } else if review::awaiting_approval(config, s) {
        Some("承認待ち：承認者が承認するまで公開ページには載りません。".into())
    } else {
        None
    }
}

/// The status as the list shows it, with the 決裁 when it is pending.
fn list_status(config: &crate::config::Config, s: &SuspectRecord) -> &'static str {
    if review::awaiting_approval(config, s) {
        "確認済み・承認待ち"
    } else {
        status_short(s.status)
    }
}

/// `GET /suspects/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let config = &state.config;
    let (s, evidence, events, report) = {
        let ctx = state.ctx.lock().await;
        let Ok(s) = ctx.store.suspect(id) else {
            return error_page(StatusCode::NOT_FOUND, "その候補は見つかりません。");
        };
        let evidence = match ctx.store.evidence(id) {
            Ok(e) => e,
            Err(e) => return internal(e),
        };
        let events = match ctx.store.events(id) {
            Ok(e) => e,
            Err(e) => return internal(e),
        };
        let report = review::report(config, &ctx.store, id, ReportFormat::Text).ok();
        (s, evidence, events, report)
    };
    let official = s.matched.as_ref().and_then(|m| {
        let i = config
            .official
            .iter()
            .position(|o| o.is(m.platform, &m.handle))?;
        let o = &config.official[i];
        Some(OfficialView {
            platform: o.platform.label(),
            handle: visible(&o.handle, MAX_SHOWN_CHARS),
            display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
            bio: visible(o.bio.as_deref().unwrap_or(""), 300),
            href: safe_href(&o.url),
            avatar: o.avatar.as_ref().map(|_| format!("/official/{i}/avatar")),
        })
    });
    let avatar = evidence
        .iter()
        .rev()
        .find_map(|e| e.avatar_sha256.as_ref())
        .map(|sha| format!("/avatars/{sha}"));
    let done = q
        .get("done")
        .and_then(|d| Action::parse(d))
        .map(Action::done);
    page(&DetailPage {
        nav: nav(&session, "suspects"),
        id: s.id,
        platform: s.platform.label(),
        handle: visible(&s.handle, MAX_SHOWN_CHARS),
        display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
        bio: visible(s.bio.as_deref().unwrap_or(""), 300),
        url: visible(s.url.as_deref().unwrap_or(""), 200),
        status: status_ja(s.status),
        status_code: s.status.as_str(),
        score: format!("{:.2}", s.score),
        avatar,
        official,
        signals: crate::render::review_page::signal_rows(&s.signals),
        reasons: crate::render::reasons::ja_all(&s.reasons)
            .iter()
            .map(|r| visible(r, 300))
            .collect(),
        description: s
            .description
            .as_deref()
            .map(|d| visible(d, MAX_NOTE_CHARS))
            .unwrap_or_default(),
        first_seen: wareki::format_timestamp(&s.first_seen),
        last_seen: wareki::format_timestamp(&s.last_seen),
        evidence: evidence
            .iter()
            .map(|e| EvidenceRow {
                captured_at: wareki::format_timestamp(&e.captured_at),
                source: visible(&e.source, 100),
                handle: visible(&e.handle, MAX_SHOWN_CHARS),
                display_name: visible(e.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
                bio: visible(e.bio.as_deref().unwrap_or(""), 300),
                url: visible(e.url.as_deref().unwrap_or(""), 200),
                avatar: e
                    .avatar_sha256
                    .as_ref()
                    .map(|sha| format!("/avatars/{sha}")),
                avatar_sha256: e.avatar_sha256.clone().unwrap_or_default(),
            })
            .collect(),
        history: events
            .iter()
            .map(|e| HistoryRow {
                at: wareki::format_timestamp(&e.at),
                what: event_what(e),
                actor: visible(&e.actor, 64),
                note: visible(e.note.as_deref().unwrap_or(""), MAX_NOTE_CHARS),
            })
            .collect(),
        report,
        actions: actions_for(config, &s, session.user.role),
        approval: approval_text(config, &s),
        done,
        csrf: session.user.csrf.clone(),
    })
}

/// `POST /suspects/{id}/{action}` (fields `csrf`, and `note` or, for `describe`, `text`).
pub async fn action(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> Response {
    let Some(form) = checked_form(&session, &headers, &body) else {
        return csrf_refused();
    };
    let Some(action) = Action::parse(&action) else {
        return error_page(StatusCode::NOT_FOUND, "その操作はありません。");
    };
    if action.approver_only() && session.user.role != Role::Approver {
        return role_refused();
    }
    let field = if action == Action::Describe {
        "text"
    } else {
        "note"
    };
    let value = form.get(field).map(|v| v.trim()).unwrap_or("");
    if value.chars().count() > MAX_NOTE_CHARS {
        return error_page(
            StatusCode::BAD_REQUEST,
            &format!("記入は{MAX_NOTE_CHARS}文字以内にしてください。"),
        );
    }
    let note = (!value.is_empty()).then_some(value);
    if action == Action::Withdraw && note.is_none() {
        return error_page(
            StatusCode::BAD_REQUEST,
            "取り下げには理由の記入が必要です（訂正文と記録に残ります）。",
        );
    }
    let actor = session.user.name.as_str();
    let now = wareki::now();
    let config = &state.config;
    let result: Result<(), ReviewError> = {
        let ctx = state.ctx.lock().await;
        let store = &ctx.store;
        match store.find_suspect(id) {
            Ok(Some(_)) => {}
            Ok(None) => return error_page(StatusCode::NOT_FOUND, "その候補は見つかりません。"),
            Err(e) => return internal(e),
        }
        // Plain status changes: the store refuses what the workflow does not allow.
        let refused = |e: anyhow::Error| ReviewError::Refused(format!("{e:#}"));
        match action {
            Action::Describe => review::describe(store, id, value, actor, &now)
                .map(drop)
                .map_err(refused),
            Action::Approve => review::approval::approve_at(store, config, id, actor, note, &now),
            Action::Withdraw => {
                review::approval::withdraw_at(store, config, id, actor, value, &now).map(drop)
            }
            Action::Confirm | Action::Dismiss | Action::Report | Action::Removed => {
                let to = action.target().expect("a status change");
                review::transition(store, id, to, actor, note, &now)
                    .map(drop)
                    .map_err(refused)
            }
        }
    };
    match result {
        Ok(()) => {
            tracing::info!("{} by {actor} on suspect {id}", action.as_str());
            see_other(&format!("/suspects/{id}?done={}", action.as_str()))
        }
        Err(ReviewError::NotFound(_)) => {
            error_page(StatusCode::NOT_FOUND, "その候補は見つかりません。")
        }
        Err(ReviewError::Failed(e)) => internal(e),
        // The 決裁 rules (approver other than the confirmer) forbid it for this person.
        Err(ReviewError::Refused(why)) if action.approver_only() => error_page(
            StatusCode::FORBIDDEN,
            &format!("この操作はできません。理由：{}", visible(&why, 500)),
        ),
        Err(ReviewError::Refused(why)) => error_page(
            StatusCode::CONFLICT,
            &format!(
                "この操作はできません（現在の状況では許可されていません）。詳細：{}",
                visible(&why, 500)
            ),
        ),
    }
}

fn png(bytes: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, "image/png"),
            (CACHE_CONTROL, "private, max-age=3600"),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /avatars/{sha256}`: an avatar kept as evidence, re-encoded as a small PNG.
pub async fn avatar(
    State(state): State<AppState>,
    _session: Session,
    Path(sha256): Path<String>,
) -> Response {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return error_page(StatusCode::NOT_FOUND, "画像が見つかりません。");
    }
    let bytes = {
        let ctx = state.ctx.lock().await;
        match ctx.store.avatar_blob(&sha256) {
            Ok(b) => b,
            Err(e) => return internal(e),
        }
    };
    let small = match bytes {
        Some(b) => {
            tokio::task::spawn_blocking(move || crate::render::avatar_png(&b, AVATAR_PIXELS))
                .await
                .ok()
                .flatten()
        }
        None => None,
    };
    match small {
        Some(p) => png(p),
        None => error_page(StatusCode::NOT_FOUND, "画像が見つかりません。"),
    }
}

/// `GET /official/{index}/avatar`: an official account's avatar as configured (loaded once,
/// re-encoded as a small PNG).
pub async fn official_avatar(
    State(state): State<AppState>,
    _session: Session,
    Path(index): Path<usize>,
) -> Response {
    let Some(reference) = state
        .config
        .official
        .get(index)
        .and_then(|o| o.avatar.as_deref())
        .map(|a| state.config.resolve_avatar(a))
    else {
        return error_page(StatusCode::NOT_FOUND, "画像が見つかりません。");
    };
    let mut cache = state.official_avatars.lock().await;
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(index) {
        let loaded = crate::avatar::load(&state.client, &state.config.network, &reference).await;
        let small = match loaded {
            Ok(b) => {
                tokio::task::spawn_blocking(move || crate::render::avatar_png(&b, AVATAR_PIXELS))
                    .await
                    .ok()
                    .flatten()
            }
            Err(e) => {
                tracing::warn!("official avatar {index}: {e:#}");
                None
            }
        };
        slot.insert(small);
    }
    match cache.get(&index).cloned().flatten() {
        Some(p) => png(p),
        None => error_page(StatusCode::NOT_FOUND, "画像が見つかりません。"),
    }
}

/// Runs `f` on the locked context in a blocking thread. The publish code holds `&Context`
/// (whose SQLite connection is not `Sync`) across awaits, so its future cannot move between
/// the server's worker threads; it runs to completion on a thread of its own instead.
async fn with_context<T, F>(state: &AppState, f: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: AsyncFnOnce(&crate::scan::Context) -> anyhow::Result<T> + Send + 'static,
{
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let ctx = state.ctx.blocking_lock();
        tokio::runtime::Handle::current().block_on(f(&ctx))
    })
    .await
    .map_err(|e| anyhow::anyhow!("the publishing task failed: {e}"))?
}

fn out_dirs(config: &crate::config::Config) -> (std::path::PathBuf, std::path::PathBuf) {
    (
        config.resolve(&config.publish.out_dir),
        config.resolve(&config.publish.review_dir),
    )
}

/// `GET /publish`: the notice as it will be published and what changes against the pages
/// in the folder now (`crate::publish::plan`, which writes nothing).
pub async fn publish_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let now = wareki::now();
    let (out, _) = out_dirs(&state.config);
    let dir = out.clone();
    let planned = with_context(&state, async move |ctx| {
        let mut warnings = Vec::new();
        let inputs = crate::publish::gather(ctx, &mut warnings).await?;
        let plan = crate::publish::plan(&ctx.config, &inputs, &dir, &now)?;
        let awaiting = ctx
            .store
            .suspects(None)?
            .iter()
            .filter(|s| review::awaiting_approval(&ctx.config, s))
            .count();
        let names: HashMap<i64, String> = inputs
            .suspects
            .iter()
            .map(|i| {
                let s = &i.record;
                (
                    s.id,
                    format!(
                        "{} @{}（ID {}）",
                        s.platform.label(),
                        visible(&s.handle, MAX_SHOWN_CHARS),
                        s.id
                    ),
                )
            })
            .collect();
        Ok((plan, warnings, awaiting, names))
    })
    .await;
    let (plan, warnings, awaiting, names) = match planned {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let c = &plan.changes;
    let name = |id: i64| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("ID {id}"))
    };
    let changes = plan
        .public
        .iter()
        .map(|(page, _)| ChangeRow {
            page,
            change: if !out.join(page).exists() {
                "新しく作成".into()
            } else if c.pages_changed.contains(page) {
                "内容が変わります".into()
            } else {
                "変更なし（更新日のみ）".into()
            },
        })
        .collect();
    let mut details = Vec::new();
    for l in &c.added {
        details.push(if l.correction {
            format!("訂正を掲載：{}", name(l.id))
        } else {
            format!("新たに掲載：{}", name(l.id))
        });
    }
    for l in &c.dropped {
        details.push(if l.correction {
            format!("訂正の掲載を終了：{}", name(l.id))
        } else {
            format!("掲載を終了：{}", name(l.id))
        });
    }
    for l in &c.kept {
        details.push(format!("引き続き掲載：{}", name(l.id)));
    }
    if awaiting > 0 {
        details.push(format!(
            "承認待ちの候補が{awaiting}件あります。承認されるまで公開ページには載りません。"
        ));
    }
    page(&PublishPage {
        nav: nav(&session, "publish"),
        out_dir: out.display().to_string(),
        changes,
        details,
        preview: plan
            .page("notice-fragment.html")
            .unwrap_or_default()
            .to_string(),
        can_publish: session.user.role == Role::Approver,
        done: q.contains_key("done"),
        warnings,
        csrf: session.user.csrf.clone(),
    })
}

/// `POST /publish` (approver; field `csrf`): writes every page atomically, as
/// `narisumashi publish` does.
pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if checked_form(&session, &headers, &body).is_none() {
        return csrf_refused();
    }
    if session.user.role != Role::Approver {
        return role_refused();
    }
    let (out, review_dir) = out_dirs(&state.config);
    let done = with_context(&state, async move |ctx| {
        crate::publish::run(ctx, &out, &review_dir, &wareki::now()).await
    })
    .await;
    match done {
        Ok(p) => {
            for w in &p.warnings {
                tracing::warn!("publish: {w}");
            }
            tracing::info!("published by {}", session.user.name);
            see_other("/publish?done=1")
        }
        Err(e) => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_and_roles() {
        for a in [
            "confirm", "dismiss", "describe", "report", "removed", "approve", "withdraw",
        ] {
            assert_eq!(Action::parse(a).unwrap().as_str(), a);
        }
        assert!(Action::parse("delete").is_none());
        assert!(Action::Approve.approver_only() && Action::Withdraw.approver_only());
        assert!(!Action::Confirm.approver_only());
    }

    #[test]
    fn form_fields_decode_and_first_wins() {
        let f = form_fields(b"csrf=a%2Bb&note=%E7%A2%BA%E8%AA%8D+OK&csrf=evil");
        assert_eq!(f["csrf"], "a+b");
        assert_eq!(f["note"], "確認 OK");
    }
}
