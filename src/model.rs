//! Plain data shared by every layer: platforms, official accounts, candidate profiles and the
//! verdicts the detector gives. No I/O here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A social-media platform a municipality may run an official account on.
/// Its names are spelled one way everywhere: the config, candidate files, `--platform` and
/// the database all accept [`Platform::from_str`]'s names and aliases, in any case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Bluesky,
    Mastodon,
    Misskey,
    Instagram,
    Facebook,
    Youtube,
    Tiktok,
    Line,
}

impl Platform {
    pub const ALL: [Platform; 9] = [
        Platform::X,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Misskey,
        Platform::Instagram,
        Platform::Facebook,
        Platform::Youtube,
        Platform::Tiktok,
        Platform::Line,
    ];

    /// The identifier used in configs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Misskey => "misskey",
            Platform::Instagram => "instagram",
            Platform::Facebook => "facebook",
            Platform::Youtube => "youtube",
            Platform::Tiktok => "tiktok",
            Platform::Line => "line",
        }
    }

    /// The name citizens know the platform by.
    pub fn label(self) -> &'static str {
        match self {
            Platform::X => "X（旧Twitter）",
            Platform::Bluesky => "Bluesky",
            Platform::Mastodon => "Mastodon",
            Platform::Misskey => "Misskey",
            Platform::Instagram => "Instagram",
            Platform::Facebook => "Facebook",
            Platform::Youtube => "YouTube",
            Platform::Tiktok => "TikTok",
            Platform::Line => "LINE",
        }
    }

    /// English label, for the English pages.
    pub fn label_en(self) -> &'static str {
        match self {
            Platform::X => "X (formerly Twitter)",
            other => other.label(),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "twitter" => "x",
            "bsky" => "bluesky",
            "ig" => "instagram",
            other => other,
        };
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == alias)
            .ok_or_else(|| {
                format!(
                    "unknown platform `{s}` (expected one of: {}, in any case; also twitter, bsky, ig)",
                    Platform::ALL.map(|p| p.as_str()).join(", ")
                )
            })
    }
}

impl<'de> Deserialize<'de> for Platform {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Canonical form of a handle for identity: no leading `@`, lower case, trimmed.
/// `@City@Example.social` and `city@example.social` are the same account.
pub fn canonical_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// An account the organisation runs, as listed in the registry (`[[official]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialAccount {
    pub platform: Platform,
    pub handle: String,
    pub display_name: String,
    pub url: String,
    /// A local path (resolved against the config's folder) or an https URL.
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    /// What the account is for (shown on the official-accounts page).
    #[serde(default)]
    pub purpose: Option<String>,
}

impl OfficialAccount {
    pub fn is(&self, platform: Platform, handle: &str) -> bool {
        self.platform == platform && canonical_handle(&self.handle) == canonical_handle(handle)
    }
}

/// A platform account as a source saw it. Everything in it is attacker-controlled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub platform: Option<Platform>,
    pub handle: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Local path (already resolved) or URL.
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// The platform's stable id, when known.
    #[serde(default)]
    pub id: Option<String>,
    /// True when the platform says the avatar is its default picture.
    #[serde(default)]
    pub default_avatar: bool,
    /// When the account was created, RFC 3339 in UTC (see [`rfc3339_utc`]).
    #[serde(default)]
    pub created_at: Option<String>,
    /// How many posts (tweets, statuses, notes) the account has published.
    #[serde(default)]
    pub posts_count: Option<u64>,
    /// How many accounts follow it.
    #[serde(default)]
    pub followers_count: Option<u64>,
    /// The platform's own verification mark, when it reports one.
    #[serde(default)]
    pub verified: Option<bool>,
}

/// A platform's account-creation timestamp as RFC 3339 in UTC (`2026-11-30T09:15:00Z`), or
/// `None` when it is not a valid RFC 3339 date-time (the value is attacker-controlled).
pub fn rfc3339_utc(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.len() > 64 {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(raw).ok().map(|t| {
        t.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
}

/// A candidate profile with a known platform.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub platform: Platform,
    pub profile: Profile,
    /// Which source found it (e.g. `file:candidates.jsonl`).
    pub source: String,
}

/// The official account a candidate resembles most.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedAccount {
    pub platform: Platform,
    pub handle: String,
}

/// The value of each signal, 0..1, or `None` when it could not be computed
/// (e.g. no avatar on either side).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    pub handle: Option<f64>,
    pub display_name: Option<f64>,
    pub avatar: Option<f64>,
}

/// What `check` and `scan` conclude about one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    Official,
    Suspect,
    Clear,
    NotFound,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Official => "official",
            VerdictKind::Suspect => "suspect",
            VerdictKind::Clear => "clear",
            VerdictKind::NotFound => "not_found",
        }
    }
}

/// A scored comparison of one candidate against the registry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub verdict: VerdictKind,
    pub score: f64,
    pub matched: Option<MatchedAccount>,
    pub signals: Signals,
    /// The typed reasons, rendered in English (`render::reasons::en`). The detector leaves it
    /// empty; `scan::assess`, through which every command assesses, fills it.
    pub reasons: Vec<String>,
    /// The typed reasons (issue 10): what each piece of evidence was and what it showed.
    pub reason_codes: Vec<crate::detect::reason::Reason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_round_trips_and_aliases() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().unwrap(), p);
        }
        assert_eq!("Twitter".parse::<Platform>().unwrap(), Platform::X);
        assert!("myspace".parse::<Platform>().is_err());
    }

    #[test]
    fn creation_dates_are_normalised_to_utc_or_dropped() {
        assert_eq!(
            rfc3339_utc("2026-11-30T18:15:00.123+09:00").as_deref(),
            Some("2026-11-30T09:15:00Z")
        );
        assert_eq!(
            rfc3339_utc(" 2020-01-02T03:04:05Z ").as_deref(),
            Some("2020-01-02T03:04:05Z")
        );
        assert_eq!(rfc3339_utc("Mon Jan 02 2020"), None);
        assert_eq!(rfc3339_utc(""), None);
    }

    #[test]
    fn profiles_without_account_facts_still_parse() {
        let p: Profile = serde_json::from_str(r#"{"platform":"x","handle":"a"}"#).unwrap();
        assert_eq!(p.created_at, None);
        assert_eq!(p.posts_count, None);
        assert_eq!(p.verified, None);
    }

    #[test]
    fn canonical_handle_ignores_at_and_case() {
        assert_eq!(canonical_handle(" @B_DiverJinzai"), "b_diverjinzai");
    }
}
