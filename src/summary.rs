//! What a scan prints for cron (issue 8): nothing when nothing happened; otherwise a short
//! summary of what staff must look at: new suspects (handle, score, matched account, main
//! reason), known suspects whose profile changed, impostors found removed, and errors.
//! Suspects staff already confirmed or dismissed are not repeated on every run.

use crate::render::visible;
use crate::scan::ScanReport;
use crate::store::maintenance::ChangedSuspect;
use std::fmt::Write as _;

/// Renders the cron summary; empty when nothing is new.
pub fn render(report: &ScanReport, changed: &[ChangedSuspect]) -> String {
    let new: Vec<_> = report.suspects.iter().filter(|s| s.new).collect();
    if new.is_empty()
        && changed.is_empty()
        && report.removals.is_empty()
        && report.errors.is_empty()
    {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "narisumashi scan {}: {} new suspect(s), {} changed, {} removed, {} error(s)",
        report.scan_id,
        new.len(),
        changed.len(),
        report.removals.len(),
        report.errors.len()
    );
    for s in &new {
        let matched = s
            .matched
            .as_ref()
            .map(|m| format!(", imitates {} @{}", m.platform, visible(&m.handle, 80)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "NEW {} @{} score {:.2}{matched}",
            s.platform,
            visible(&s.handle, 80),
            s.score
        );
        if let Some(r) = s.reasons.first() {
            let _ = writeln!(out, "    {}", visible(r, 200));
        }
    }
    for c in changed {
        let _ = writeln!(
            out,
            "CHANGED suspect {} ({}) {} @{}: profile changed; see `narisumashi suspects show {}`",
            c.id,
            c.status,
            c.platform,
            visible(&c.handle, 80),
            c.id
        );
    }
    for r in &report.removals {
        let _ = writeln!(
            out,
            "REMOVED suspect {}: {} @{} is gone from the platform",
            r.id,
            r.platform,
            visible(&r.handle, 80)
        );
    }
    for e in &report.errors {
        let _ = writeln!(out, "ERROR {}", visible(e, 300));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MatchedAccount, Platform, Signals};
    use crate::scan::{Removal, ScanSuspect};

    fn report(new: bool) -> ScanReport {
        ScanReport {
            scan_id: 7,
            started_at: "t".into(),
            candidates: 3,
            suspects: vec![ScanSuspect {
                platform: Platform::X,
                handle: "b_diverjnzai".into(),
                display_name: None,
                score: 0.97,
                matched: Some(MatchedAccount {
                    platform: Platform::X,
                    handle: "b_diverjinzai".into(),
                }),
                signals: Signals::default(),
                reasons: vec!["handle imitates".into(), "second".into()],
                reason_codes: vec![],
                new,
            }],
            errors: vec![],
            removals: vec![],
        }
    }

    #[test]
    fn nothing_new_prints_nothing() {
        assert_eq!(render(&report(false), &[]), "");
    }

    #[test]
    fn new_changed_removed_and_errors_are_summarised() {
        let mut r = report(true);
        r.errors.push("bluesky: unreachable".into());
        r.removals.push(Removal {
            id: 3,
            platform: Platform::X,
            handle: "gone".into(),
        });
        let changed = [ChangedSuspect {
            id: 2,
            platform: Platform::X,
            handle: "known".into(),
            status: crate::store::Status::Confirmed,
        }];
        let text = render(&r, &changed);
        assert!(
            text.starts_with(
                "narisumashi scan 7: 1 new suspect(s), 1 changed, 1 removed, 1 error(s)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "NEW x @b_diverjnzai score 0.97, imitates x @b_diverjinzai\n    handle imitates\n"
            ),
            "{text}"
        );
        assert!(!text.contains("second"));
        assert!(text.contains("CHANGED suspect 2 (confirmed) x @known"));
        assert!(text.contains("REMOVED suspect 3: x @gone"));
        assert!(text.contains("ERROR bluesky: unreachable"));
    }
}
