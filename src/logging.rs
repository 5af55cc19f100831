//! Diagnostics (issue 8): tracing to stderr at `warn` by default, `error` with `--quiet`,
//! `info` with `-v`, `debug` with `-vv` (`NARISUMASHI_LOG` overrides, e.g. `narisumashi=trace`),
//! and optionally to a log file as well, created owner-only (it names other people's
//! accounts). Tokens never reach a log: they are held as `Secret`s whose `Debug` hides them.

use std::path::Path;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// The filter for a verbosity: `quiet`, or the number of `-v`.
pub fn level(quiet: bool, verbose: u8) -> &'static str {
    match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    }
}

fn filter(quiet: bool, verbose: u8) -> EnvFilter {
    EnvFilter::try_from_env("NARISUMASHI_LOG")
        .unwrap_or_else(|_| EnvFilter::new(level(quiet, verbose)))
}

/// Installs the subscriber. A log file that cannot be opened is an error (named by path).
pub fn init(quiet: bool, verbose: u8, log_file: Option<&Path>) -> anyhow::Result<()> {
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter(quiet, verbose));
    let file = match log_file {
        Some(p) => {
            let f = crate::fsutil::open_private_append(p)?;
            Some(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(std::sync::Mutex::new(f))
                    .with_filter(filter(false, verbose.max(1))),
            )
        }
        None => None,
    };
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    Ok(())
}
