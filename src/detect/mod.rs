//! The detector: pure functions from (official account, candidate) to signals and a verdict.
//! Nothing here does I/O; avatars arrive already hashed (`crate::avatar`).

pub mod background;
pub mod bio;
pub mod edit;
pub mod handle;
pub mod local;
pub mod model;
pub mod name;
pub mod normalize;
pub mod places;
pub mod prune;
pub mod reason;
pub mod score;

pub use score::{assess, AvatarHash, Detector, Evidence, Fine, OfficialFeatures};
