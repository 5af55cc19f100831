//! The scan's progress bar (indicatif), drawn on stderr only when stderr is a terminal: cron
//! output and pipes never see it. `NARISUMASHI_NO_PROGRESS` turns it off on a terminal too.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar, or nothing when nobody is watching.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar of `len` steps, shown only on an interactive stderr.
    pub fn new(len: usize, message: &'static str) -> Progress {
        let interactive = std::io::stderr().is_terminal()
            && std::env::var_os("NARISUMASHI_NO_PROGRESS").is_none()
            && !crate::output::quiet();
        Progress::with_visibility(len, message, interactive)
    }

    /// As [`Progress::new`], with visibility decided by the caller.
    pub fn with_visibility(len: usize, message: &'static str, visible: bool) -> Progress {
        if !visible {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(message);
        Progress(Some(bar))
    }

    /// True when the bar is drawn.
    pub fn is_visible(&self) -> bool {
        self.0.is_some()
    }

    /// One step done.
    pub fn inc(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bar_is_inert() {
        let p = Progress::with_visibility(3, "test", false);
        assert!(!p.is_visible());
        p.inc();
        p.finish();
    }
}
