//! Standard output for every command (issue 8): `outln!` for what a command prints, `sayln!`
//! for informational lines that `--quiet` silences. A closed pipe (`narisumashi scan | head`)
//! ends the program quietly instead of panicking: by then the command's work is recorded.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences informational lines (`--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `--quiet`.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Writes text to stdout. A closed pipe exits with status 0 (the reader wanted no more); any
/// other write failure exits 1 with a message on stderr.
pub fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(
            std::io::stderr(),
            "narisumashi: cannot write to stdout: {e}"
        );
        std::process::exit(1);
    }
}

/// `println!` to stdout that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write_stdout("\n") };
    ($($arg:tt)*) => {{
        let mut s = format!($($arg)*);
        s.push('\n');
        $crate::output::write_stdout(&s)
    }};
}

/// `print!` to stdout that survives a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write_stdout(&format!($($arg)*)) };
}

/// An informational line, silenced by `--quiet`.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {{
        if !$crate::output::quiet() {
            $crate::outln!($($arg)*)
        }
    }};
}
