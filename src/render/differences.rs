//! What tells an impostor from the official account it imitates, in a citizen's words: the
//! "見分けるポイント" of each comparison on the notice (issue 11). Generated from the suspect
//! record, never from attacker prose; every sentence exists in Japanese and English.

use super::lang::Tr;
use super::{visible, MAX_SHOWN_CHARS};
use crate::model::{canonical_handle, OfficialAccount};
use crate::store::SuspectRecord;
use unicode_normalization::UnicodeNormalization;

fn folded(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The differences (and the deceptive sameness) between an official account and an impostor.
pub fn between(o: &OfficialAccount, s: &SuspectRecord) -> Tr<Vec<String>> {
    let mut out = Tr::<Vec<String>>::default();
    let mut push = |ja: String, en: String| {
        out.ja.push(ja);
        out.en.push(en);
    };
    if o.platform != s.platform {
        push(
            format!(
                "別のサービスです：公式アカウントは{}、このアカウントは{}のアカウントです。",
                o.platform.label(),
                s.platform.label()
            ),
            format!(
                "A different service: the official account is on {}, this one is on {}.",
                o.platform.label_en(),
                s.platform.label_en()
            ),
        );
    }
    let official = visible(&o.handle, MAX_SHOWN_CHARS);
    if canonical_handle(&o.handle) == canonical_handle(&s.handle) {
        push(
            format!("IDは公式アカウントと同じ @{official} です。IDでは見分けられません。"),
            format!("The ID is the official one, @{official}: it cannot tell them apart."),
        );
    } else {
        push(
            format!("IDが公式アカウントの @{official} と違います。1文字ずつ見比べてください。"),
            format!("The ID differs from the official @{official}: compare it letter by letter."),
        );
    }
    if let Some(name) = s.display_name.as_deref() {
        if folded(name) == folded(&o.display_name) {
            push(
                "表示名は公式アカウントとまったく同じです。表示名では見分けられません。".into(),
                "The display name is exactly the official one: it cannot tell them apart.".into(),
            );
        }
    }
    if s.signals.avatar.is_some_and(|a| a >= 0.9) {
        push(
            "アイコンは公式アカウントと同じ画像です。アイコンでは見分けられません。".into(),
            "The picture is the official one: it cannot tell them apart.".into(),
        );
    }
    out
}
