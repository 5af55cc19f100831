//! The public pages: the impersonation notice (Japanese and English, as full pages and as
//! fragments for a CMS) and the official-accounts list (Japanese and English). Only
//! staff-confirmed impostors ever reach these pages; every attacker-controlled value passes
//! through [`visible`] and is escaped by askama.

use super::differences;
use super::lang::{
    Lang, NoticeWords, OfficialWords, Tr, NOTICE_EN, NOTICE_JA, OFFICIAL_EN, OFFICIAL_JA,
};
use super::{avatar_data_uri, safe_href, visible, MAX_SHOWN_CHARS};
use crate::config::Config;
use crate::model::{canonical_handle, OfficialAccount, Platform};
use crate::review::{publishable, status_ja, timeline};
use crate::store::{Status, SuspectEvent, SuspectRecord};
use crate::wareki;
use askama::Template;
use std::collections::HashMap;

/// Longest staff description shown, in characters.
const MAX_DESCRIPTION_CHARS: usize = 600;

/// What the pages are built from: suspects with their history and latest avatar, and the
/// official accounts' avatar bytes by (platform, canonical handle).
#[derive(Default)]
pub struct Inputs {
    pub suspects: Vec<SuspectInput>,
    pub official_avatars: HashMap<(Platform, String), Vec<u8>>,
}

/// One suspect as the pages need it.
pub struct SuspectInput {
    pub record: SuspectRecord,
    pub events: Vec<SuspectEvent>,
    /// The latest avatar kept as evidence.
    pub avatar: Option<Vec<u8>>,
}

impl Inputs {
    pub fn official_avatar(&self, o: &OfficialAccount) -> Option<String> {
        self.official_avatars
            .get(&(o.platform, canonical_handle(&o.handle)))
            .and_then(|b| avatar_data_uri(b))
    }
}

/// One side of a comparison: the official account or the impostor.
pub struct Side {
    pub platform: Tr<&'static str>,
    pub handle: String,
    pub display_name: String,
    pub href: Option<String>,
    pub avatar: Option<String>,
}

/// One step of an impostor's timeline.
pub struct Step {
    pub label: Tr<&'static str>,
    pub date: Tr<String>,
}

/// One impostor on the notice.
pub struct ImpostorRow {
    /// `narisumashi-ID`, which `publish::listed_in` reads back.
    pub anchor: String,
    pub platform: Tr<&'static str>,
    pub handle: String,
    pub display_name: String,
    pub found_on: Tr<String>,
    pub status: Tr<&'static str>,
    pub description: Option<String>,
    pub steps: Vec<Step>,
    pub impostor_avatar: Option<String>,
    pub official: Option<Side>,
    /// What tells the impostor from the official account, one sentence each.
    pub differences: Tr<Vec<differences::Sentence>>,
}

/// A dated correction (訂正) for an account published as an impostor and later withdrawn.
pub struct CorrectionRow {
    /// `narisumashi-correction-ID`, which `publish::listed_in` reads back.
    pub anchor: String,
    pub date: Tr<String>,
    pub platform: Tr<&'static str>,
    pub handle: String,
    pub display_name: String,
}

/// Everything the notice shows, in both languages.
pub struct NoticeData {
    pub organization: Tr<String>,
    pub department: String,
    pub contact: Option<String>,
    pub website: Option<String>,
    pub updated: Tr<String>,
    pub impostors: Vec<ImpostorRow>,
    pub corrections: Vec<CorrectionRow>,
    pub never_does: Tr<Vec<String>>,
    /// Links to the official-accounts pages (absolute when `[publish] public_url` is set).
    pub official_href: Tr<String>,
}

/// The link to another public page: under `[publish] public_url` when set, else relative.
pub fn page_href(config: &Config, page: &str) -> String {
    config
        .publish
        .public_url
        .as_deref()
        .and_then(|base| {
            let base = if base.ends_with('/') {
                base.to_string()
            } else {
                format!("{base}/")
            };
            url::Url::parse(&base).ok()?.join(page).ok()
        })
        .and_then(|u| safe_href(u.as_str()))
        .unwrap_or_else(|| page.to_string())
}

/// Heading levels: a full page starts at h1, a fragment pasted under a CMS title at h2.
pub struct Levels {
    pub top: u8,
    pub sub: u8,
    pub item: u8,
}

impl Levels {
    fn new(fragment: bool) -> Levels {
        if fragment {
            Levels {
                top: 2,
                sub: 3,
                item: 4,
            }
        } else {
            Levels {
                top: 1,
                sub: 2,
                item: 3,
            }
        }
    }
}

/// The notice in one language: one template for both, the wording from [`NoticeWords`].
#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage<'a> {
    pub d: &'a NoticeData,
    pub l: Lang,
    pub t: &'static NoticeWords,
    pub fragment: bool,
    pub h: Levels,
}

impl NoticePage<'_> {
    /// A phrase with the organisation's name and department filled in.
    pub fn fill(&self, phrase: &str) -> String {
        phrase
            .replace("{org}", self.d.organization.get(&self.l))
            .replace("{dept}", &self.d.department)
    }
}

/// One official account row.
pub struct OfficialRow {
    pub platform: Tr<&'static str>,
    pub handle: String,
    pub display_name: String,
    pub href: Option<String>,
    pub avatar: Option<String>,
    pub operator: String,
    pub purpose: String,
}

pub struct OfficialData {
    pub organization: Tr<String>,
    pub department: String,
    pub contact: Option<String>,
    pub website: Option<String>,
    pub updated: Tr<String>,
    pub accounts: Vec<OfficialRow>,
    pub notice_href: Tr<String>,
}

/// The official-accounts page in one language.
#[derive(Template)]
#[template(path = "official-accounts.html")]
pub struct OfficialPage<'a> {
    pub d: &'a OfficialData,
    pub l: Lang,
    pub t: &'static OfficialWords,
}

impl OfficialPage<'_> {
    /// A phrase with the organisation's name and department filled in.
    pub fn fill(&self, phrase: &str) -> String {
        phrase
            .replace("{org}", self.d.organization.get(&self.l))
            .replace("{dept}", &self.d.department)
    }
}

fn status_en(s: Status) -> &'static str {
    match s {
        Status::Confirmed => "Confirmed impersonation (report to the platform in preparation)",
        Status::Reported => "Reported to the platform for removal",
        Status::Removed => "Removal confirmed",
        _ => "",
    }
}

fn platform(p: Platform) -> Tr<&'static str> {
    Tr::new(p.label(), p.label_en())
}

fn date(at: &str) -> Tr<String> {
    Tr::new(wareki::format_timestamp(at), wareki::format_iso(at))
}

fn organization(config: &Config) -> Tr<String> {
    let org = &config.organization;
    Tr::new(
        org.name.clone(),
        org.name_en.clone().unwrap_or_else(|| org.name.clone()),
    )
}

/// Days from `then` to `now`, both RFC 3339; `None` when either does not parse.
fn days_between(then: &str, now: &str) -> Option<i64> {
    let a = chrono::DateTime::parse_from_rfc3339(then).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(now).ok()?;
    Some((b - a).num_days())
}

/// Whether a removal or withdrawal dated `at` is still recent enough to show. A date that
/// cannot be read is shown: showing a settled case a little longer harms nobody.
fn recent(at: &str, now: &str, keep_days: i64) -> bool {
    days_between(at, now).is_none_or(|d| d <= keep_days)
}

fn official_of<'a>(config: &'a Config, s: &SuspectRecord) -> Option<&'a OfficialAccount> {
    let m = s.matched.as_ref()?;
    config.official.iter().find(|o| o.is(m.platform, &m.handle))
}

fn steps(s: &SuspectRecord, events: &[SuspectEvent]) -> Vec<Step> {
    let tl = timeline(s, events);
    let mut out = vec![(Tr::new("確認", "Found"), Some(tl.found))];
    out.push((
        Tr::new("運営会社へ削除を要請", "Reported to the platform"),
        tl.reported,
    ));
    if s.status == Status::Removed {
        out.push((Tr::new("削除を確認", "Removal confirmed"), tl.removed));
    }
    out.into_iter()
        .filter_map(|(label, at)| {
            at.map(|at| Step {
                label,
                date: date(&at),
            })
        })
        .collect()
}

/// Builds the notice's data: approved confirmed and reported impostors, removed ones for
/// `keep_removed_days`, and corrections for withdrawn ones that had been published, for as
/// long. Never anything else: an impostor awaiting its 決裁 is not public.
pub fn notice_data(config: &Config, inputs: &Inputs, now: &str) -> NoticeData {
    let org = &config.organization;
    let keep = config.publish.keep_removed_days;
    let mut shown: Vec<&SuspectInput> = inputs
        .suspects
        .iter()
        .filter(|i| publishable(config, &i.record))
        .filter(|i| match i.record.status {
            Status::Confirmed | Status::Reported => true,
            Status::Removed => recent(&i.record.status_changed_at, now, keep),
            _ => false,
        })
        .collect();
    // Active impostors first, then removed ones; newest first within each.
    shown.sort_by(|a, b| {
        (a.record.status == Status::Removed)
            .cmp(&(b.record.status == Status::Removed))
            .then_with(|| b.record.first_seen.cmp(&a.record.first_seen))
            .then_with(|| a.record.id.cmp(&b.record.id))
    });
    let impostors = shown
        .into_iter()
        .map(|i| {
            let s = &i.record;
            let official = official_of(config, s);
            ImpostorRow {
                anchor: format!("narisumashi-{}", s.id),
                platform: platform(s.platform),
                handle: visible(&s.handle, MAX_SHOWN_CHARS),
                display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
                found_on: date(&s.first_seen),
                status: Tr::new(status_ja(s.status), status_en(s.status)),
                description: s
                    .description
                    .as_deref()
                    .map(|d| visible(d, MAX_DESCRIPTION_CHARS)),
                steps: steps(s, &i.events),
                impostor_avatar: i.avatar.as_deref().and_then(avatar_data_uri),
                differences: official
                    .map(|o| differences::between(o, s))
                    .unwrap_or_default(),
                official: official.map(|o| Side {
                    platform: platform(o.platform),
                    handle: visible(&o.handle, MAX_SHOWN_CHARS),
                    display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
                    href: safe_href(&o.url),
                    avatar: inputs.official_avatar(o),
                }),
            }
        })
        .collect();
    let mut corrections: Vec<(String, CorrectionRow)> = inputs
        .suspects
        .iter()
        .filter(|i| {
            i.record.status == Status::Withdrawn
                && publishable(config, &i.record)
                && recent(&i.record.status_changed_at, now, keep)
        })
        .map(|i| {
            let s = &i.record;
            (
                s.status_changed_at.clone(),
                CorrectionRow {
                    anchor: format!("narisumashi-correction-{}", s.id),
                    date: date(&s.status_changed_at),
                    platform: platform(s.platform),
                    handle: visible(&s.handle, MAX_SHOWN_CHARS),
                    display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
                },
            )
        })
        .collect();
    corrections.sort_by(|a, b| b.0.cmp(&a.0));
    NoticeData {
        organization: organization(config),
        department: org.department.clone(),
        contact: org.contact.clone(),
        website: safe_href(&org.website),
        updated: date(now),
        impostors,
        corrections: corrections.into_iter().map(|c| c.1).collect(),
        never_does: Tr::new(
            config.publish.never_does.clone(),
            config.publish.never_does_en.clone(),
        ),
        official_href: Tr::new(
            page_href(config, "official-accounts.html"),
            page_href(config, "official-accounts.en.html"),
        ),
    }
}

/// Renders the notice in one language, as a full page or as a fragment for a CMS.
pub fn notice_in(d: &NoticeData, l: Lang, fragment: bool) -> askama::Result<String> {
    NoticePage {
        d,
        l,
        t: match l {
            Lang::Ja => &NOTICE_JA,
            Lang::En => &NOTICE_EN,
        },
        fragment,
        h: Levels::new(fragment),
    }
    .render()
}

/// Renders `notice.html` (or, with `fragment`, `notice-fragment.html`).
pub fn notice(d: &NoticeData, fragment: bool) -> askama::Result<String> {
    notice_in(d, Lang::Ja, fragment)
}

/// Renders `notice.en.html` (or, with `fragment`, `notice-fragment.en.html`).
pub fn notice_en(d: &NoticeData, fragment: bool) -> askama::Result<String> {
    notice_in(d, Lang::En, fragment)
}

/// The official-accounts pages' data, with each account's icon from `inputs`.
pub fn official_data(config: &Config, inputs: &Inputs, now: &str) -> OfficialData {
    let org = &config.organization;
    OfficialData {
        organization: organization(config),
        department: org.department.clone(),
        contact: org.contact.clone(),
        website: safe_href(&org.website),
        updated: date(now),
        accounts: config
            .official
            .iter()
            .map(|o| OfficialRow {
                platform: platform(o.platform),
                handle: visible(&o.handle, MAX_SHOWN_CHARS),
                display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
                href: safe_href(&o.url),
                avatar: inputs.official_avatar(o),
                operator: o.operator.clone().unwrap_or_else(|| org.department.clone()),
                purpose: o.purpose.clone().unwrap_or_default(),
            })
            .collect(),
        notice_href: Tr::new(
            page_href(config, "notice.html"),
            page_href(config, "notice.en.html"),
        ),
    }
}

/// Renders the official-accounts page in one language.
pub fn official_accounts_in(d: &OfficialData, l: Lang) -> askama::Result<String> {
    OfficialPage {
        d,
        l,
        t: match l {
            Lang::Ja => &OFFICIAL_JA,
            Lang::En => &OFFICIAL_EN,
        },
    }
    .render()
}

/// Renders `official-accounts.html`.
pub fn official_accounts(d: &OfficialData) -> askama::Result<String> {
    official_accounts_in(d, Lang::Ja)
}

/// Renders `official-accounts.en.html`.
pub fn official_accounts_en(d: &OfficialData) -> askama::Result<String> {
    official_accounts_in(d, Lang::En)
}

#[cfg(test)]
mod tests;
