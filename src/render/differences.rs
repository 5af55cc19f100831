//! What tells an impostor from the official account it imitates, in a citizen's words: the
//! "見分けるポイント" of each comparison on the notice (issue 11). Generated from the typed
//! reasons the detector recorded (`HandleImitates` carries the handle edits, `AvatarMatches`
//! the copied picture) and the record itself, never from attacker prose; every sentence exists
//! in Japanese and English. Characters that differ are pieces of their own, shown monospace.

use super::lang::Tr;
use super::{visible, MAX_SHOWN_CHARS};
use crate::detect::reason::{HandleEdit, Reason};
use crate::model::{canonical_handle, OfficialAccount};
use crate::store::SuspectRecord;
use unicode_normalization::UnicodeNormalization;

/// Part of a sentence: plain words, or characters of a handle (shown monospace).
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: String,
    pub code: bool,
}

/// One sentence, as pieces.
pub type Sentence = Vec<Piece>;

fn w(s: &str) -> Piece {
    Piece {
        text: s.to_string(),
        code: false,
    }
}

/// Characters from a handle; attacker-controlled, so made visible and cut short.
fn c(s: &str) -> Piece {
    Piece {
        text: visible(s, 20),
        code: true,
    }
}

/// Plain text of a sentence, for tests and messages.
pub fn plain(s: &Sentence) -> String {
    s.iter().map(|p| p.text.as_str()).collect()
}

fn folded(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// One handle edit as a citizen reads it, in Japanese and English; `None` for the ones said
/// elsewhere (another platform is its own sentence).
fn edit(e: &HandleEdit) -> Option<(Sentence, Sentence)> {
    Some(match e {
        HandleEdit::OtherPlatform { .. } => return None,
        HandleEdit::CaseChanged => (
            vec![w("IDの大文字・小文字だけが違います。")],
            vec![w("Only upper and lower case differ in the ID.")],
        ),
        HandleEdit::Appended { text } => (
            vec![w("IDの末尾に "), c(text), w(" が付いています。")],
            vec![w("The ID has "), c(text), w(" added at the end.")],
        ),
        HandleEdit::Prepended { text } => (
            vec![w("IDの先頭に "), c(text), w(" が付いています。")],
            vec![w("The ID has "), c(text), w(" added at the start.")],
        ),
        HandleEdit::Removed { text } => (
            vec![w("IDから "), c(text), w(" が抜けています。")],
            vec![w("The ID leaves out "), c(text), w(".")],
        ),
        HandleEdit::GlyphSwap { from, to } => (
            vec![
                w("IDの "),
                c(from),
                w(" が "),
                c(to),
                w(" になっています。"),
            ],
            vec![
                w("In the ID, "),
                c(from),
                w(" is replaced by the look-alike "),
                c(to),
                w("."),
            ],
        ),
        HandleEdit::SeparatorChanged { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => (
                vec![w("IDに区切りの "), c(to), w(" が加わっています。")],
                vec![w("The ID has an extra separator "), c(to), w(".")],
            ),
            (_, true) => (
                vec![w("IDから区切りの "), c(from), w(" がなくなっています。")],
                vec![w("The ID leaves out the separator "), c(from), w(".")],
            ),
            _ => (
                vec![
                    w("IDの区切りの "),
                    c(from),
                    w(" が "),
                    c(to),
                    w(" になっています。"),
                ],
                vec![
                    w("In the ID, the separator "),
                    c(from),
                    w(" is replaced by "),
                    c(to),
                    w("."),
                ],
            ),
        },
        HandleEdit::Transposed { from, to } => (
            vec![
                w("IDの "),
                c(from),
                w(" が "),
                c(to),
                w(" と逆の順になっています。"),
            ],
            vec![
                w("In the ID, "),
                c(from),
                w(" is swapped to "),
                c(to),
                w("."),
            ],
        ),
        HandleEdit::Typo { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => (
                vec![w("IDに余分な "), c(to), w(" が入っています。")],
                vec![w("The ID has an extra "), c(to), w(".")],
            ),
            (_, true) => (
                vec![w("IDから "), c(from), w(" が抜けています。")],
                vec![w("The ID leaves out "), c(from), w(".")],
            ),
            _ => (
                vec![
                    w("IDの "),
                    c(from),
                    w(" が "),
                    c(to),
                    w(" になっています。"),
                ],
                vec![
                    w("In the ID, "),
                    c(from),
                    w(" is replaced by "),
                    c(to),
                    w("."),
                ],
            ),
        },
        HandleEdit::Romanisation { from, to } => (
            vec![
                w("IDのローマ字の綴りが違います（公式は "),
                c(from),
                w("、このアカウントは "),
                c(to),
                w("）。"),
            ],
            vec![
                w("The ID spells the words differently (official "),
                c(from),
                w(", this one "),
                c(to),
                w(")."),
            ],
        ),
        HandleEdit::WordsReordered => (
            vec![w("IDの単語の順序が入れ替わっています。")],
            vec![w("The words of the ID are in another order.")],
        ),
    })
}

/// The differences (and the deceptive sameness) between an official account and an impostor.
pub fn between(o: &OfficialAccount, s: &SuspectRecord) -> Tr<Vec<Sentence>> {
    let mut out = Tr::<Vec<Sentence>>::default();
    let mut push = |ja: Sentence, en: Sentence| {
        out.ja.push(ja);
        out.en.push(en);
    };
    if o.platform != s.platform {
        push(
            vec![w(&format!(
                "別のサービスです：公式アカウントは{}、このアカウントは{}のアカウントです。",
                o.platform.label(),
                s.platform.label()
            ))],
            vec![w(&format!(
                "A different service: the official account is on {}, this one is on {}.",
                o.platform.label_en(),
                s.platform.label_en()
            ))],
        );
    }
    let official = visible(&o.handle, MAX_SHOWN_CHARS);
    let edits: Vec<&HandleEdit> = s
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::HandleImitates {
                official: h,
                official_platform,
                edits,
                ..
            } if *official_platform == o.platform
                && canonical_handle(h) == canonical_handle(&o.handle) =>
            {
                Some(edits)
            }
            _ => None,
        })
        .flatten()
        .collect();
    let said: Vec<(Sentence, Sentence)> = edits.iter().filter_map(|e| edit(e)).collect();
    // The very handle, possibly with a fediverse instance after it (`name@misskey.io`).
    let local = s
        .handle
        .trim_start_matches('@')
        .split('@')
        .next()
        .unwrap_or("");
    let same_id = canonical_handle(&o.handle) == canonical_handle(&s.handle)
        || canonical_handle(&o.handle) == canonical_handle(local)
        || edits
            .iter()
            .any(|e| matches!(e, HandleEdit::OtherPlatform { .. }));
    if same_id {
        push(
            vec![
                w("IDは公式アカウントと同じ "),
                c(&format!("@{official}")),
                w(" です。IDでは見分けられません。"),
            ],
            vec![
                w("The ID is the official one, "),
                c(&format!("@{official}")),
                w(": it cannot tell them apart."),
            ],
        );
    } else if said.is_empty() {
        push(
            vec![
                w("IDが公式アカウントの "),
                c(&format!("@{official}")),
                w(" と違います。1文字ずつ見比べてください。"),
            ],
            vec![
                w("The ID differs from the official "),
                c(&format!("@{official}")),
                w(": compare it letter by letter."),
            ],
        );
    } else {
        for (ja, en) in said {
            push(ja, en);
        }
    }
    if let Some(name) = s.display_name.as_deref() {
        if folded(name) == folded(&o.display_name) {
            push(
                vec![w(
                    "表示名は公式アカウントとまったく同じです。表示名では見分けられません。",
                )],
                vec![w(
                    "The display name is exactly the official one: it cannot tell them apart.",
                )],
            );
        }
    }
    let ours = |official: &str| canonical_handle(official) == canonical_handle(&o.handle);
    let copied_picture = s
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::AvatarMatches { official, .. } if ours(official)));
    let edited_picture = s
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::AvatarCornersMatch { official, .. } if ours(official)));
    if copied_picture {
        push(
            vec![w(
                "アイコンは公式アカウントと同じ画像です。アイコンでは見分けられません。",
            )],
            vec![w(
                "The picture is a copy of the official one: it cannot tell them apart.",
            )],
        );
    } else if edited_picture {
        push(
            vec![w(
                "アイコンは公式アカウントの画像に文字や枠を加えるなど加工したものです。アイコンでは見分けられません。",
            )],
            vec![w(
                "The picture is the official one, edited (a label, a frame, a crop): it cannot tell them apart.",
            )],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    fn official() -> OfficialAccount {
        let text = r#"
platform = "x"
handle = "city_koho"
display_name = "みらい市広報"
url = "https://x.com/city_koho"
"#;
        toml::from_str(text).unwrap()
    }

    fn suspect(platform: Platform, handle: &str, reasons: Vec<Reason>) -> SuspectRecord {
        SuspectRecord {
            id: 1,
            platform,
            handle: handle.into(),
            display_name: Some("みらい市 広報".into()),
            bio: None,
            url: None,
            avatar: None,
            status: crate::store::Status::Confirmed,
            score: 0.9,
            matched: None,
            signals: Default::default(),
            reasons,
            first_seen: "t".into(),
            last_seen: "t".into(),
            status_changed_at: "t".into(),
            description: None,
            approval: None,
        }
    }

    fn imitates(edits: Vec<HandleEdit>) -> Reason {
        Reason::HandleImitates {
            handle: "x".into(),
            official: "city_koho".into(),
            official_platform: Platform::X,
            edits,
            similarity: 0.9,
        }
    }

    fn ja(s: &SuspectRecord) -> Vec<String> {
        between(&official(), s).ja.iter().map(plain).collect()
    }

    #[test]
    fn each_handle_edit_is_said_with_the_characters_in_monospace() {
        let s = suspect(
            Platform::X,
            "city_koho_",
            vec![imitates(vec![HandleEdit::Appended { text: "_".into() }])],
        );
        let d = between(&official(), &s);
        assert_eq!(plain(&d.ja[0]), "IDの末尾に _ が付いています。");
        assert_eq!(d.ja[0][1], c("_"));
        assert_eq!(plain(&d.en[0]), "The ID has _ added at the end.");
        assert!(ja(&s).contains(
            &"表示名は公式アカウントとまったく同じです。表示名では見分けられません。".to_string()
        ));
        let s = suspect(
            Platform::X,
            "city_koho1",
            vec![imitates(vec![HandleEdit::GlyphSwap {
                from: "l".into(),
                to: "1".into(),
            }])],
        );
        assert_eq!(ja(&s)[0], "IDの l が 1 になっています。");
    }

    #[test]
    fn another_service_with_the_same_handle() {
        let s = suspect(
            Platform::Instagram,
            "city_koho",
            vec![
                imitates(vec![HandleEdit::OtherPlatform {
                    platform: Platform::Instagram,
                }]),
                Reason::AvatarMatches {
                    official: "city_koho".into(),
                    distance: 3,
                    chance: 0.0001,
                },
            ],
        );
        let got = ja(&s);
        assert_eq!(
            got[0],
            "別のサービスです：公式アカウントはX（旧Twitter）、このアカウントはInstagramのアカウントです。"
        );
        assert_eq!(
            got[1],
            "IDは公式アカウントと同じ @city_koho です。IDでは見分けられません。"
        );
        assert!(got
            .last()
            .unwrap()
            .starts_with("アイコンは公式アカウントと同じ画像です"));
        // An edited copy found by its corners is said to be edited.
        let s = suspect(
            Platform::Instagram,
            "gift_2931",
            vec![Reason::AvatarCornersMatch {
                official: "city_koho".into(),
                corners: 21,
                recovered: 0.7,
                chance: 0.0006,
            }],
        );
        assert!(ja(&s)
            .iter()
            .any(|l| l.starts_with("アイコンは公式アカウントの画像に")));
        // The same name on a fediverse instance is the same ID too.
        let s = suspect(Platform::Misskey, "city_koho@misskey.io", vec![]);
        assert_eq!(
            ja(&s)[1],
            "IDは公式アカウントと同じ @city_koho です。IDでは見分けられません。"
        );
    }

    #[test]
    fn hostile_edit_text_is_made_visible_and_cut() {
        let s = suspect(
            Platform::X,
            "x",
            vec![imitates(vec![HandleEdit::Appended {
                text: format!("\u{202E}{}", "a".repeat(50)),
            }])],
        );
        let d = between(&official(), &s);
        let piece = &d.ja[0][1];
        assert!(piece.code && piece.text.starts_with("<U+202E>") && piece.text.ends_with('…'));
    }
}
