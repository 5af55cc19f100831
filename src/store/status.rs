//! The review workflow's statuses and which changes between them are allowed.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Where a suspect stands in the review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Flagged by a scan, not yet reviewed.
    New,
    /// Staff confirmed it is an impostor (published on the notice).
    Confirmed,
    /// Staff found it innocent.
    Dismissed,
    /// Reported to the platform for removal.
    Reported,
    /// Gone from the platform.
    Removed,
    /// Published as an impostor, later found innocent: the notice carries a correction.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Confirmed,
        Status::Dismissed,
        Status::Reported,
        Status::Removed,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Confirmed => "confirmed",
            Status::Dismissed => "dismissed",
            Status::Reported => "reported",
            Status::Removed => "removed",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The statuses this one may change to.
    pub fn allowed_next(self) -> &'static [Status] {
        match self {
            Status::New => &[Status::Confirmed, Status::Dismissed],
            Status::Dismissed => &[Status::Confirmed, Status::New],
            Status::Confirmed => &[Status::Reported, Status::Removed, Status::Withdrawn],
            Status::Reported => &[Status::Removed, Status::Withdrawn],
            Status::Removed => &[Status::Withdrawn, Status::Confirmed],
            Status::Withdrawn => &[],
        }
    }

    pub fn can_become(self, to: Status) -> bool {
        self.allowed_next().contains(&to)
    }

    /// The allowed next statuses, for messages.
    pub fn next_allowed(self) -> String {
        let next = self.allowed_next();
        if next.is_empty() {
            "none, it is final".into()
        } else {
            next.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// Staff-confirmed impostors, the ones a public page may show.
    pub fn is_confirmed_impostor(self) -> bool {
        matches!(self, Status::Confirmed | Status::Reported | Status::Removed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown status `{s}` (expected one of: {})",
                    Status::ALL.map(|s| s.as_str()).join(", ")
                )
            })
    }
}
