//! `review.html`, the internal page (not for the public website): the `new` suspects side by
//! side with the official account each resembles — both avatars embedded as small JPEG
//! thumbnails, names, handles, each signal's value and the reasons in Japanese — so a reviewer
//! decides in seconds, and the confirmed impostors waiting for the approver's 決裁. Bounded
//! (issue 11): at most [`MAX_DETAILED`] side by side and [`MAX_LISTED`] in the table, so a
//! long queue stays a page a browser opens; `narisumashi serve` pages through the rest.
//! Marked noindex and 内部資料; written to `[publish] review_dir`, never to the public folder.

use super::pages::Inputs;
use super::{avatar_thumbnail_uri, safe_href, visible, MAX_SHOWN_CHARS};
use crate::config::Config;
use crate::model::canonical_handle;
use crate::review::awaiting_approval;
use crate::store::Status;
use crate::wareki;
use askama::Template;
use std::collections::HashMap;

pub struct OfficialSide {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub href: Option<String>,
    /// The CSS class showing this official account's picture (see `ReviewPage::pictures`).
    pub picture: Option<String>,
    pub bio: String,
}

pub struct SignalRow {
    pub name: &'static str,
    pub value: String,
}

pub struct ReviewRow {
    pub id: i64,
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub url: String,
    pub avatar: Option<String>,
    pub score: String,
    pub signals: Vec<SignalRow>,
    pub reasons: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub official: Option<OfficialSide>,
}

/// One line of the queue's summary table.
pub struct QueueLine {
    pub id: i64,
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub score: String,
    /// Whether the suspect has its own section (an anchor to link to).
    pub detailed: bool,
}

/// A confirmed impostor waiting for the approver's 決裁.
pub struct AwaitingLine {
    pub id: i64,
    pub platform: &'static str,
    pub handle: String,
    pub confirmed_by: String,
    pub confirmed_at: String,
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub organization: String,
    pub updated: String,
    /// How many suspects are new, all of them (the page may show fewer).
    pub total: usize,
    pub queue: Vec<QueueLine>,
    pub rows: Vec<ReviewRow>,
    pub awaiting: Vec<AwaitingLine>,
    pub approval: bool,
    /// (CSS class, data: URI) of each official picture: embedded once in the page's style,
    /// however many suspects resemble that account.
    pub pictures: Vec<(String, String)>,
}

/// Most new suspects shown side by side with pictures, highest score first: enough for a
/// day's review, while the page stays small (issue 11: 350 suspects made 10.7 MB).
pub const MAX_DETAILED: usize = 50;

/// Most new suspects in the summary table.
pub const MAX_LISTED: usize = 500;

/// Width and height of the thumbnails on this page.
pub const THUMBNAIL_PIXELS: u32 = 96;

fn signal(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "—（比較できず）".into())
}

/// The three signal rows of a suspect, labelled in Japanese (the review page and the browser
/// app show the same table).
pub fn signal_rows(s: &crate::model::Signals) -> Vec<SignalRow> {
    vec![
        SignalRow {
            name: "アカウント名（ID）",
            value: signal(s.handle),
        },
        SignalRow {
            name: "表示名",
            value: signal(s.display_name),
        },
        SignalRow {
            name: "アイコン",
            value: signal(s.avatar),
        },
    ]
}

/// Renders `review.html`: the new suspects, highest score first — the first [`MAX_DETAILED`]
/// side by side with the official account, up to [`MAX_LISTED`] in a table — and the
/// confirmed impostors waiting for approval.
pub fn review(config: &Config, inputs: &Inputs, now: &str) -> askama::Result<String> {
    let mut new: Vec<_> = inputs
        .suspects
        .iter()
        .filter(|i| i.record.status == Status::New)
        .collect();
    new.sort_by(|a, b| {
        b.record
            .score
            .total_cmp(&a.record.score)
            .then(a.record.id.cmp(&b.record.id))
    });
    // Each official picture is encoded and embedded once, however many suspects resemble it.
    let mut official_thumbs: HashMap<usize, Option<String>> = HashMap::new();
    let queue = new
        .iter()
        .take(MAX_LISTED)
        .enumerate()
        .map(|(n, i)| QueueLine {
            id: i.record.id,
            platform: i.record.platform.label(),
            handle: visible(&i.record.handle, MAX_SHOWN_CHARS),
            display_name: visible(
                i.record.display_name.as_deref().unwrap_or(""),
                MAX_SHOWN_CHARS,
            ),
            score: format!("{:.2}", i.record.score),
            detailed: n < MAX_DETAILED,
        })
        .collect();
    let rows = new
        .iter()
        .take(MAX_DETAILED)
        .map(|i| {
            let s = &i.record;
            let official = s.matched.as_ref().and_then(|m| {
                let (n, o) = config
                    .official
                    .iter()
                    .enumerate()
                    .find(|(_, o)| o.is(m.platform, &m.handle))?;
                let picture = official_thumbs
                    .entry(n)
                    .or_insert_with(|| {
                        inputs
                            .official_avatars
                            .get(&(o.platform, canonical_handle(&o.handle)))
                            .and_then(|b| avatar_thumbnail_uri(b, THUMBNAIL_PIXELS))
                    })
                    .as_ref()
                    .map(|_| format!("official-picture-{n}"));
                Some(OfficialSide {
                    platform: o.platform.label(),
                    handle: visible(&o.handle, MAX_SHOWN_CHARS),
                    display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
                    href: safe_href(&o.url),
                    picture,
                    bio: visible(o.bio.as_deref().unwrap_or(""), 300),
                })
            });
            ReviewRow {
                id: s.id,
                platform: s.platform.label(),
                handle: visible(&s.handle, MAX_SHOWN_CHARS),
                display_name: visible(s.display_name.as_deref().unwrap_or(""), MAX_SHOWN_CHARS),
                bio: visible(s.bio.as_deref().unwrap_or(""), 300),
                url: visible(s.url.as_deref().unwrap_or(""), 200),
                avatar: i
                    .avatar
                    .as_deref()
                    .and_then(|b| avatar_thumbnail_uri(b, THUMBNAIL_PIXELS)),
                score: format!("{:.2}", s.score),
                signals: signal_rows(&s.signals),
                reasons: s
                    .reasons
                    .iter()
                    .map(|r| visible(&super::reasons::ja(r), 300))
                    .collect(),
                first_seen: wareki::format_timestamp(&s.first_seen),
                last_seen: wareki::format_timestamp(&s.last_seen),
                official,
            }
        })
        .collect();
    let mut awaiting: Vec<AwaitingLine> = inputs
        .suspects
        .iter()
        .filter(|i| awaiting_approval(config, &i.record))
        .map(|i| {
            let confirmed = i
                .events
                .iter()
                .rev()
                .find(|e| e.kind == "status" && e.to_status == Status::Confirmed);
            AwaitingLine {
                id: i.record.id,
                platform: i.record.platform.label(),
                handle: visible(&i.record.handle, MAX_SHOWN_CHARS),
                confirmed_by: confirmed
                    .map(|e| visible(&e.actor, MAX_SHOWN_CHARS))
                    .unwrap_or_default(),
                confirmed_at: confirmed
                    .map(|e| wareki::format_timestamp(&e.at))
                    .unwrap_or_default(),
            }
        })
        .collect();
    awaiting.sort_by_key(|a| a.id);
    let mut pictures: Vec<(String, String)> = official_thumbs
        .into_iter()
        .filter_map(|(n, uri)| Some((format!("official-picture-{n}"), uri?)))
        .collect();
    pictures.sort();
    awaiting.truncate(MAX_LISTED);
    ReviewPage {
        organization: config.organization.name.clone(),
        updated: wareki::format_timestamp(now),
        total: new.len(),
        queue,
        rows,
        awaiting,
        approval: config.review.approval,
        pictures,
    }
    .render()
}
