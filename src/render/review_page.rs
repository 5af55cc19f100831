//! `review.html`, the internal page (not for the public website): every `new` suspect side by
//! side with the official account it resembles — both avatars embedded, names, handles, each
//! signal's value and the reasons — so a reviewer decides in seconds. Marked noindex and
//! 内部資料; written to `[publish] review_dir`, never to the public folder.

use super::pages::Inputs;
use super::{avatar_data_uri, safe_href, visible, MAX_SHOWN_CHARS};
use crate::config::Config;
use crate::store::Status;
use crate::wareki;
use askama::Template;

pub struct OfficialSide {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: String,
    pub href: Option<String>,
    pub avatar: Option<String>,
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

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub organization: String,
    pub updated: String,
    pub rows: Vec<ReviewRow>,
}

fn signal(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "—（比較できず）".into())
}

/// Renders `review.html`: new suspects, highest score first.
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
    let rows = new
        .into_iter()
        .map(|i| {
            let s = &i.record;
            let official = s.matched.as_ref().and_then(|m| {
                config
                    .official
                    .iter()
                    .find(|o| o.is(m.platform, &m.handle))
                    .map(|o| OfficialSide {
                        platform: o.platform.label(),
                        handle: visible(&o.handle, MAX_SHOWN_CHARS),
                        display_name: visible(&o.display_name, MAX_SHOWN_CHARS),
                        href: safe_href(&o.url),
                        avatar: inputs.official_avatar(o),
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
                avatar: i.avatar.as_deref().and_then(avatar_data_uri),
                score: format!("{:.2}", s.score),
                signals: vec![
                    SignalRow {
                        name: "アカウント名（ID）",
                        value: signal(s.signals.handle),
                    },
                    SignalRow {
                        name: "表示名",
                        value: signal(s.signals.display_name),
                    },
                    SignalRow {
                        name: "アイコン",
                        value: signal(s.signals.avatar),
                    },
                ],
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
    ReviewPage {
        organization: config.organization.name.clone(),
        updated: wareki::format_timestamp(now),
        rows,
    }
    .render()
}
