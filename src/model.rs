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
    pub reasons: Vec<String>,
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
    fn canonical_handle_ignores_at_and_case() {
        assert_eq!(canonical_handle(" @B_DiverJinzai"), "b_diverjinzai");
    }
}
