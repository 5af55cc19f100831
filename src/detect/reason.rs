//! Typed reasons: every piece of evidence the detector weighs (or refuses to weigh) as data, not
//! prose (issue 10, "typed evidence"). Stored as JSON in the suspects table and rendered in
//! Japanese and English at the edge (`crate::render::reasons`), so a page can say
//! 「末尾に _ が付いています」 from the same record an English report says "_ appended" from.
//!
//! Old database rows hold English sentences; they read back as [`Reason::Legacy`].

use crate::model::Platform;
use serde::{Deserialize, Serialize};

/// One change that turns the official handle into the candidate's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum HandleEdit {
    /// The very same handle, on a platform where it is not registered.
    OtherPlatform { platform: Platform },
    /// Only upper and lower case differ.
    CaseChanged,
    /// Text added after the official handle (`_official`, `_`, `2`).
    Appended { text: String },
    /// Text added before it.
    Prepended { text: String },
    /// Text of the official handle left out.
    Removed { text: String },
    /// A look-alike character or pair in place of the official one (`l` → `1`, `m` → `rn`,
    /// Latin `o` → Cyrillic `о`).
    GlyphSwap { from: String, to: String },
    /// A separator added, removed or changed (`_` → `-`, `_` → ``).
    SeparatorChanged { from: String, to: String },
    /// Two neighbouring letters swapped.
    Transposed { from: String, to: String },
    /// A letter typed wrong, doubled or left out.
    Typo { from: String, to: String },
    /// The same words spelled in another romanisation (`bousai` / `bosai`, `koho` / `pr`).
    Romanisation { from: String, to: String },
    /// The same words in another order.
    WordsReordered,
}

/// How a display name imitates an official name (or the organisation's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum NameMatch {
    /// Reads the same once width, kana, variant kanji, spacing, symbols and 【公式】 are undone.
    SameReading,
    /// The official name with words around it (a prefecture in front, お知らせ after it).
    Contains { added: String },
    /// The beginning of the official name (with or without words after it).
    Truncated,
    /// The same words in another order (子育て支援課＠みらい市).
    Reordered,
    /// Our place and our department or topic word, in other words (危機管理・防災＠みらい市).
    PlaceAndTopic { place: String, topic: String },
    /// Close as a string.
    Similar,
}

/// Where a candidate says plainly that it is not official.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Handle,
    DisplayName,
    Bio,
}

/// One piece of evidence, or one reason a piece of evidence was discounted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The candidate is a registered official account.
    OfficialAccount { platform: Platform, handle: String },
    /// The handle imitates an official handle.
    HandleImitates {
        handle: String,
        official: String,
        official_platform: Platform,
        edits: Vec<HandleEdit>,
        similarity: f64,
    },
    /// The handle imitates the organisation's own name or a department's (`mirai_porice`).
    HandleImitatesOrganization {
        handle: String,
        organization: String,
        romanised: String,
        edits: Vec<HandleEdit>,
    },
    /// The display name imitates an official account's name.
    DisplayNameImitates {
        name: String,
        official: String,
        official_name: String,
        #[serde(flatten)]
        how: NameMatch,
        similarity: f64,
    },
    /// The display name is the organisation's own name or a department's, with or without
    /// 【公式】 (「【公式】みらい県警察」).
    DisplayNameImitatesOrganization {
        name: String,
        organization: String,
        #[serde(flatten)]
        how: NameMatch,
    },
    /// The avatar is the same picture as an official avatar. `chance` is how often an
    /// unrelated picture (of the background corpus) comes this close to this official avatar.
    AvatarMatches {
        official: String,
        distance: u32,
        chance: f64,
    },
    /// The avatar resembles an official avatar, not closely enough to be a copy.
    AvatarResembles { official: String, distance: u32 },
    /// The avatar is much like an official avatar in its details (`similarity`, the fine
    /// correlation 0..1), as an unrelated picture rarely is (`chance`), but not enough to be
    /// the same picture: a copy edited more than the comparison undoes, or a photograph of the
    /// same place. Some evidence, never a match.
    AvatarLooksAlike {
        official: String,
        similarity: f64,
        chance: f64,
    },
    /// The avatar is the same picture as an official avatar by its corners (`corners` of them
    /// land on the official avatar's under one transform, recovering the share `recovered`
    /// of its corners where the avatar has any), as a background picture comes at most
    /// `chance` of the time: a copy labelled, put on a canvas, framed, skewed or cut unevenly.
    AvatarCornersMatch {
        official: String,
        corners: u32,
        recovered: f64,
        chance: f64,
    },
    /// The avatar shares the layout of an official avatar (same template, same colours), but
    /// the picture itself differs, so it counts for nothing.
    AvatarSameTemplate {
        official: String,
        distance: u32,
        detail_distance: u32,
    },
    /// The bio claims to be the official account of the organisation.
    BioClaimsOfficial { organization: String },
    /// The account says plainly that it is unofficial (fan, parody, personal).
    Unofficial { field: Field },
    /// The candidate names a different real municipality, so resemblance of its name and
    /// handle counts for little.
    OtherPlaceDiscount { place: String, prefecture: String },
    /// The avatar is (or is much like) an official avatar, but the display name presents the
    /// account as another place's (「大分県警察」 beside 宮崎県警察, with the emblem every
    /// prefectural police uses), and nothing else imitates ours: organisations of one kind
    /// share emblems and templates, so the picture counts for little.
    AvatarOfAnotherPlace { place: String, prefecture: String },
    /// The handle spells a different real municipality, but the name or avatar imitate ours:
    /// no discount.
    OtherPlaceNotDiscounted { place: String, prefecture: String },
    /// Only the handle resembles; name, avatar and bio are plainly someone else's.
    HandleOnly,
    /// The name or bio uses the lures impostors post (giveaways, benefits, "DM us").
    Lures { field: Field },
    /// The account was created recently.
    NewAccount { age_days: u32 },
    /// The account has (almost) never posted.
    FewPosts { posts: u64 },
    /// The account has (almost) no followers.
    FewFollowers { followers: u64 },
    /// The platform marks the account as verified (not evidence of imitation).
    Verified,
    /// On the `[[allow]]` list of known innocent look-alikes.
    AllowListed { note: Option<String> },
    /// The probability of impersonation is below the suspect threshold.
    BelowThreshold { probability: f64, threshold: f64 },
    /// Nothing resembles any official account.
    NoResemblance,
    /// The registry has no official accounts.
    NoOfficials,
    /// A reason recorded as an English sentence by an older version.
    Legacy { text: String },
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Reason::Legacy { text: text.into() }
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Reason::Legacy { text }
    }
}

/// Reads the reasons column of a stored row: a JSON array whose elements are tagged reasons,
/// or bare English strings as older versions stored them (each → [`Reason::Legacy`]). An
/// element that is neither is kept as `Legacy` with its JSON, never dropped.
pub fn parse_stored(json: &str) -> Vec<Reason> {
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(json) else {
        return Vec::new();
    };
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(text) => Reason::Legacy { text },
            other => serde_json::from_value(other.clone()).unwrap_or(Reason::Legacy {
                text: other.to_string(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_as_tagged_json() {
        let reasons = vec![
            Reason::HandleImitates {
                handle: "city_koh0".into(),
                official: "city_koho".into(),
                official_platform: Platform::X,
                edits: vec![HandleEdit::GlyphSwap {
                    from: "o".into(),
                    to: "0".into(),
                }],
                similarity: 0.95,
            },
            Reason::DisplayNameImitates {
                name: "子育て支援課＠みらい市".into(),
                official: "mirai_kosodate".into(),
                official_name: "みらい市子育て支援課".into(),
                how: NameMatch::Reordered,
                similarity: 0.9,
            },
            Reason::OtherPlaceDiscount {
                place: "伊東市".into(),
                prefecture: "静岡県".into(),
            },
            Reason::NoResemblance,
        ];
        let json = serde_json::to_string(&reasons).unwrap();
        assert!(json.contains(r#""kind":"handle_imitates""#), "{json}");
        assert!(json.contains(r#""edit":"glyph_swap""#), "{json}");
        assert!(json.contains(r#""how":"reordered""#), "{json}");
        let back: Vec<Reason> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, reasons);
        assert_eq!(parse_stored(&json), reasons);
    }

    #[test]
    fn old_english_rows_read_as_legacy() {
        let back = parse_stored(r#"["handle @a imitates @b", {"kind":"handle_only"}]"#);
        assert_eq!(
            back,
            vec![
                Reason::Legacy {
                    text: "handle @a imitates @b".into()
                },
                Reason::HandleOnly
            ]
        );
    }
}
