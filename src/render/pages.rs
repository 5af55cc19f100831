//! The public pages: the impersonation notice and the official-accounts list.

use super::{safe_href, visible, MAX_SHOWN_CHARS};
use crate::config::Config;
use crate::store::{Status, SuspectRecord};
use crate::wareki;
use askama::Template;

/// One impostor row of the notice.
pub struct ImpostorRow {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub found_on: String,
    pub status: &'static str,
    pub imitates: String,
}

/// One official account row.
pub struct OfficialRow {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub href: Option<String>,
    pub url_text: String,
    pub operator: String,
    pub purpose: String,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage<'a> {
    pub organization: &'a str,
    pub department: &'a str,
    pub contact: Option<&'a str>,
    pub website: Option<String>,
    pub updated: String,
    pub impostors: Vec<ImpostorRow>,
    pub never_does: &'a [String],
    pub official_page: &'a str,
}

#[derive(Template)]
#[template(path = "official-accounts.html")]
pub struct OfficialAccountsPage<'a> {
    pub organization: &'a str,
    pub department: &'a str,
    pub contact: Option<&'a str>,
    pub website: Option<String>,
    pub updated: String,
    pub accounts: Vec<OfficialRow>,
    pub notice_page: &'a str,
}

fn status_ja(s: Status) -> &'static str {
    match s {
        Status::Confirmed => "確認済み（削除要請準備中）",
        Status::Reported => "運営会社へ削除を要請済み",
        Status::Removed => "削除を確認",
        _ => "",
    }
}

/// The rows of the notice: staff-confirmed impostors only, never unreviewed suspects.
pub fn impostor_rows(suspects: &[SuspectRecord]) -> Vec<ImpostorRow> {
    suspects
        .iter()
        .filter(|s| s.status.is_confirmed_impostor())
        .map(|s| ImpostorRow {
            platform: s.platform.label(),
            handle: visible(&s.handle, MAX_SHOWN_CHARS),
            display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
            found_on: wareki::format_timestamp(&s.first_seen),
            status: status_ja(s.status),
            imitates: s
                .matched
                .as_ref()
                .map(|m| format!("{} @{}", m.platform.label(), m.handle))
                .unwrap_or_default(),
        })
        .collect()
}

/// Renders `notice.html`.
pub fn notice(config: &Config, suspects: &[SuspectRecord], now: &str) -> askama::Result<String> {
    let org = &config.organization;
    NoticePage {
        organization: &org.name,
        department: &org.department,
        contact: org.contact.as_deref(),
        website: safe_href(&org.website),
        updated: wareki::format_timestamp(now),
        impostors: impostor_rows(suspects),
        never_does: &config.publish.never_does,
        official_page: "official-accounts.html",
    }
    .render()
}

/// Renders `official-accounts.html`.
pub fn official_accounts(config: &Config, now: &str) -> askama::Result<String> {
    let org = &config.organization;
    let accounts = config
        .official
        .iter()
        .map(|o| OfficialRow {
            platform: o.platform.label(),
            handle: visible(&o.handle, MAX_SHOWN_CHARS),
            display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
            href: safe_href(&o.url),
            url_text: visible(&o.url, 200),
            operator: o.operator.clone().unwrap_or_else(|| org.department.clone()),
            purpose: o.purpose.clone().unwrap_or_default(),
        })
        .collect();
    OfficialAccountsPage {
        organization: &org.name,
        department: &org.department,
        contact: org.contact.as_deref(),
        website: safe_href(&org.website),
        updated: wareki::format_timestamp(now),
        accounts,
        notice_page: "notice.html",
    }
    .render()
}
