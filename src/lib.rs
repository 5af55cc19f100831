//! narisumashi — protects the official social-media accounts of Japanese municipalities from
//! impersonation (なりすまし).
//!
//! The map, from the pure core outwards:
//! - [`model`]: plain data (platforms, official accounts, candidate profiles, verdicts);
//! - [`detect`]: normalisation, the handle / display-name / avatar / bio signals and the scorer,
//!   all pure;
//! - [`config`]: the `narisumashi.toml` file;
//! - [`http`]: the one HTTP client (timeouts, User-Agent, no private addresses), bounded downloads;
//! - [`avatar`]: bounded loading, guarded decoding and perceptual hashing of avatars;
//! - [`sources`]: where candidates come from (JSON Lines files, platform APIs);
//! - [`variants`]: look-alike handles generated from the official ones, for probing, pure;
//! - [`store`]: the only SQL — scans, observations, suspects, avatar-hash cache;
//! - [`render`] and [`wareki`]: the HTML pages and Japanese-era dates;
//! - [`review`]: the review workflow (status changes, descriptions, takedown drafts, CSV);
//! - [`scan`] and [`check`]: orchestration for cron and for one handle;
//! - [`eval`]: precision and recall of the detector on a labelled set of accounts;
//! - [`users`] and [`serve`]: who may log in, and the review queue in the browser (axum);
//! - [`cli`]: the command line, which wires it all together;
//! - operations (issue 8): [`errors`] (error kinds → exit codes), [`fsutil`] (atomic,
//!   owner-only files), [`output`] and [`logging`] (stdout, `--quiet`, `-v`, log file),
//!   [`scan_lock`] (one scan at a time), [`summary`] (cron output), [`init`] and
//!   [`config_check`] (setting up a city).

pub mod avatar;
pub mod check;
pub mod cli;
pub mod config;
pub mod config_check;
pub mod detect;
pub mod errors;
pub mod eval;
pub mod fsutil;
pub mod http;
pub mod init;
pub mod logging;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod review;
pub mod scan;
pub mod scan_lock;
pub mod serve;
pub mod sources;
pub mod store;
pub mod summary;
pub mod users;
pub mod variants;
pub mod wareki;
