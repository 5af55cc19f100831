//! The page types of `narisumashi serve`, rendered by askama from `templates/serve/`
//! (auto-escaped: every value is text, never markup, except the notice preview, which is the
//! published page's own already-escaped HTML). No page carries a script.

use askama::Template;

/// The stylesheet (the CSP forbids inline styles on the app's pages).
pub const STYLESHEET: &str = include_str!("../../templates/serve/app.css");

/// The header of every page.
pub struct Nav {
    pub user: Option<NavUser>,
    /// Which menu entry is the current page: `suspects`, `publish` or empty.
    pub current: &'static str,
}

pub struct NavUser {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
}

impl Nav {
    pub fn anonymous() -> Nav {
        Nav {
            user: None,
            current: "",
        }
    }
}

#[derive(Template)]
#[template(path = "serve/login.html")]
pub struct LoginPage {
    pub nav: Nav,
    pub user: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "serve/error.html")]
pub struct ErrorPage {
    pub nav: Nav,
    pub status: u16,
    pub message: String,
}

/// One choice of a filter.
pub struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct ListRow {
    pub id: i64,
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub score: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub resembles: String,
}

#[derive(Template)]
#[template(path = "serve/list.html")]
pub struct ListPage {
    pub nav: Nav,
    pub organization: String,
    pub rows: Vec<ListRow>,
    pub total: usize,
    pub first: usize,
    pub last: usize,
    pub page: usize,
    pub pages: usize,
    pub statuses: Vec<Opt>,
    pub platforms: Vec<Opt>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub use crate::render::review_page::SignalRow;

pub struct OfficialView {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub href: Option<String>,
    pub avatar: Option<String>,
}

pub struct EvidenceRow {
    pub captured_at: String,
    pub source: String,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub url: String,
    pub avatar: Option<String>,
    pub avatar_sha256: String,
}

pub struct HistoryRow {
    pub at: String,
    pub what: String,
    pub actor: String,
    pub note: String,
}

/// One decision button with its optional note.
pub struct ActionForm {
    pub action: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// The note is required (withdrawal).
    pub note_required: bool,
    /// Shown only to approvers; marked so on the page.
    pub approver_only: bool,
}

#[derive(Template)]
#[template(path = "serve/detail.html")]
pub struct DetailPage {
    pub nav: Nav,
    pub id: i64,
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub url: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub score: String,
    pub avatar: Option<String>,
    pub official: Option<OfficialView>,
    pub signals: Vec<SignalRow>,
    pub reasons: Vec<String>,
    pub description: String,
    pub first_seen: String,
    pub last_seen: String,
    pub evidence: Vec<EvidenceRow>,
    pub history: Vec<HistoryRow>,
    pub report: Option<String>,
    pub actions: Vec<ActionForm>,
    /// Who approved it (決裁), or that it waits for approval.
    pub approval: Option<String>,
    pub done: Option<&'static str>,
    pub csrf: String,
}

pub struct ChangeRow {
    pub page: &'static str,
    pub change: String,
}

#[derive(Template)]
#[template(path = "serve/publish.html")]
pub struct PublishPage {
    pub nav: Nav,
    pub out_dir: String,
    pub changes: Vec<ChangeRow>,
    pub details: Vec<String>,
    /// The notice as it will be published (the CMS fragment, rendered and escaped by the
    /// public page's own template).
    pub preview: String,
    pub can_publish: bool,
    pub done: bool,
    pub warnings: Vec<String>,
    pub csrf: String,
}
