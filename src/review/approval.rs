//! The 決裁 (issue 11): a confirmed impostor reaches the public pages only once an approver
//! has approved it, and the approver must be someone other than the person who confirmed it
//! (`[review] approval` and `separate_approver`, both on by default). Withdrawing a published
//! account (訂正) is the approver's decision too. The CLI and the browser app both call these
//! functions, so the rules hold whichever way a decision is made; their errors say whether the
//! workflow refused (the caller's request) or something failed (the program's problem).

use crate::config::Config;
use crate::store::{Status, Store, SuspectRecord};
use unicode_normalization::UnicodeNormalization;

/// Why a review action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The workflow does not allow it: wrong status, the confirmer approving their own
    /// confirmation, a missing note. Nothing was written.
    #[error("{0}")]
    Refused(String),
    /// There is no suspect with this id.
    #[error("no suspect with id {0}")]
    NotFound(i64),
    /// The database or another part of the program failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// One person's name as typed, folded so `Tanaka` and ` tanaka` count as the same person.
fn person(name: &str) -> String {
    name.nfkc().collect::<String>().trim().to_lowercase()
}

fn same_person(a: &str, b: &str) -> bool {
    person(a) == person(b)
}

fn load(store: &Store, id: i64) -> Result<SuspectRecord, ReviewError> {
    store.find_suspect(id)?.ok_or(ReviewError::NotFound(id))
}

/// Whether this suspect may be shown on the public pages as far as the 決裁 goes: approved,
/// or approval is switched off. (Its status decides the rest: a confirmed impostor is listed,
/// a withdrawn one becomes a correction, anything else is never public.)
pub fn publishable(config: &Config, s: &SuspectRecord) -> bool {
    !config.review.approval || s.approval.is_some()
}

/// Whether this suspect is a confirmed impostor still waiting for its approval.
pub fn awaiting_approval(config: &Config, s: &SuspectRecord) -> bool {
    s.status.is_confirmed_impostor() && !publishable(config, s)
}

/// Whether this suspect is on the public notice (a confirmed impostor, approved), leaving
/// aside how long a removed one stays there.
pub fn is_public(config: &Config, s: &SuspectRecord) -> bool {
    s.status.is_confirmed_impostor() && publishable(config, s)
}

/// `suspects approve ID --by NAME`: an approver's 決裁 putting a confirmed impostor on the
/// public pages. Refused for anything but a confirmed (or reported, or removed) impostor, a
/// second approval, and — with `separate_approver` — the person who confirmed it.
pub fn approve(
    store: &Store,
    config: &Config,
    id: i64,
    by: &str,
    note: Option<&str>,
) -> Result<(), ReviewError> {
    approve_at(store, config, id, by, note, &crate::wareki::now())
}

/// [`approve`] at a given time (RFC 3339), for tests and callers with their own clock.
pub fn approve_at(
    store: &Store,
    config: &Config,
    id: i64,
    by: &str,
    note: Option<&str>,
    at: &str,
) -> Result<(), ReviewError> {
    let by = by.trim();
    if by.is_empty() {
        return Err(ReviewError::Refused(
            "an approval needs the approver's name (--by)".into(),
        ));
    }
    let s = load(store, id)?;
    if !s.status.is_confirmed_impostor() {
        return Err(ReviewError::Refused(format!(
            "suspect {id} is {}; only a confirmed impostor can be approved (confirm it first)",
            s.status
        )));
    }
    if let Some(a) = &s.approval {
        return Err(ReviewError::Refused(format!(
            "suspect {id} was already approved by {} on {}",
            a.by, a.at
        )));
    }
    if config.review.separate_approver {
        if let Some(c) = store.confirmer(id)?.filter(|c| same_person(c, by)) {
            return Err(ReviewError::Refused(format!(
                "suspect {id} was confirmed by {c}; someone else must approve it ([review] separate_approver)"
            )));
        }
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    store.approve(id, by, note, at)?;
    Ok(())
}

/// `suspects withdraw ID --note WHY`: a published impostor found innocent; the notice then
/// carries a correction (訂正). Needs a note. A published (approved) account is withdrawn by
/// an approver: with approval and `separate_approver` on, not by the person who confirmed it.
pub fn withdraw(
    store: &Store,
    config: &Config,
    id: i64,
    by: &str,
    note: &str,
) -> Result<SuspectRecord, ReviewError> {
    withdraw_at(store, config, id, by, note, &crate::wareki::now())
}

/// [`withdraw`] at a given time (RFC 3339).
pub fn withdraw_at(
    store: &Store,
    config: &Config,
    id: i64,
    by: &str,
    note: &str,
    at: &str,
) -> Result<SuspectRecord, ReviewError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(ReviewError::Refused(format!(
            "withdrawing suspect {id} needs --note saying why it was found innocent"
        )));
    }
    let s = load(store, id)?;
    if !s.status.can_become(Status::Withdrawn) {
        return Err(ReviewError::Refused(format!(
            "suspect {id} is {}; it cannot become withdrawn (allowed: {})",
            s.status,
            s.status.next_allowed()
        )));
    }
    if config.review.approval && config.review.separate_approver && s.approval.is_some() {
        if let Some(c) = store.confirmer(id)?.filter(|c| same_person(c, by)) {
            return Err(ReviewError::Refused(format!(
                "suspect {id} is published and was confirmed by {c}; withdrawing it (訂正) is for an approver other than the confirmer ([review] separate_approver)"
            )));
        }
    }
    Ok(store.set_status(id, Status::Withdrawn, by, Some(note), at)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Assessment, Candidate, MatchedAccount, Platform, Profile, Signals, VerdictKind,
    };
    use crate::store::Observation;
    use std::path::Path;

    const CONFIG: &str = r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"
"#;

    fn config(extra: &str) -> Config {
        Config::parse(&format!("{CONFIG}\n{extra}"), Path::new(".")).unwrap()
    }

    /// A store holding one new suspect; returns it and the suspect's id.
    fn one_suspect() -> (Store, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let candidate = Candidate {
            platform: Platform::X,
            source: "file:test".into(),
            profile: Profile {
                platform: Some(Platform::X),
                handle: "bunkyo_koho_".into(),
                ..Profile::default()
            },
        };
        let assessment = Assessment {
            verdict: VerdictKind::Suspect,
            score: 0.9,
            matched: Some(MatchedAccount {
                platform: Platform::X,
                handle: "bunkyo_koho".into(),
            }),
            signals: Signals::default(),
            reasons: vec![],
            reason_codes: vec![],
        };
        let obs = [Observation {
            candidate: &candidate,
            assessment: &assessment,
            avatar: None,
            avatar_bytes: None,
        }];
        let r = store.record_scan("t0", "t0", 1, &obs, &[]).unwrap();
        let id = r.suspects[0].0;
        (store, id)
    }

    fn refused(r: Result<impl std::fmt::Debug, ReviewError>, want: &str) {
        match r {
            Err(ReviewError::Refused(m)) => assert!(m.contains(want), "{m}"),
            other => panic!("expected a refusal containing {want:?}, got {other:?}"),
        }
    }

    #[test]
    fn the_confirmer_cannot_approve_and_someone_else_can() {
        let c = config("");
        let (store, id) = one_suspect();
        refused(
            approve_at(&store, &c, id, "kacho", None, "t1"),
            "confirm it first",
        );
        store
            .set_status(id, Status::Confirmed, "tanaka", None, "t1")
            .unwrap();
        assert!(awaiting_approval(&c, &store.suspect(id).unwrap()));
        assert!(!is_public(&c, &store.suspect(id).unwrap()));
        refused(
            approve_at(&store, &c, id, " Tanaka ", None, "t2"),
            "confirmed by tanaka; someone else",
        );
        refused(approve_at(&store, &c, id, "  ", None, "t2"), "--by");
        approve_at(&store, &c, id, "kacho", Some("課長決裁 第12号"), "t2").unwrap();
        let s = store.suspect(id).unwrap();
        assert!(is_public(&c, &s) && !awaiting_approval(&c, &s));
        let a = s.approval.unwrap();
        assert_eq!((a.by.as_str(), a.at.as_str()), ("kacho", "t2"));
        assert_eq!(a.note.as_deref(), Some("課長決裁 第12号"));
        let last = store.events(id).unwrap().pop().unwrap();
        assert_eq!(last.kind, "approve");
        assert_eq!(last.actor, "kacho");
        assert_eq!(last.to_status, Status::Confirmed);
        refused(
            approve_at(&store, &c, id, "bucho", None, "t3"),
            "already approved by kacho",
        );
        assert!(matches!(
            approve_at(&store, &c, 999, "kacho", None, "t3"),
            Err(ReviewError::NotFound(999))
        ));
    }

    #[test]
    fn a_one_person_office_approves_its_own_confirmation() {
        let c = config("[review]\nseparate_approver = false\n");
        let (store, id) = one_suspect();
        store
            .set_status(id, Status::Confirmed, "tanaka", None, "t1")
            .unwrap();
        approve_at(&store, &c, id, "tanaka", None, "t2").unwrap();
        withdraw_at(&store, &c, id, "tanaka", "誤認", "t3").unwrap();
    }

    #[test]
    fn without_approval_a_confirmation_is_published_at_once() {
        let c = config("[review]\napproval = false\n");
        let (store, id) = one_suspect();
        store
            .set_status(id, Status::Confirmed, "tanaka", None, "t1")
            .unwrap();
        let s = store.suspect(id).unwrap();
        assert!(is_public(&c, &s) && !awaiting_approval(&c, &s));
        // Nobody approved, so withdrawing is not an approver's matter either.
        withdraw_at(&store, &c, id, "tanaka", "誤認", "t2").unwrap();
    }

    #[test]
    fn withdrawing_a_published_account_is_the_approvers() {
        let c = config("");
        let (store, id) = one_suspect();
        store
            .set_status(id, Status::Confirmed, "tanaka", None, "t1")
            .unwrap();
        refused(
            withdraw_at(&store, &c, id, "kacho", " ", "t2"),
            "needs --note",
        );
        approve_at(&store, &c, id, "kacho", None, "t2").unwrap();
        refused(
            withdraw_at(&store, &c, id, "tanaka", "関連団体の正規アカウント", "t3"),
            "for an approver other than the confirmer",
        );
        assert_eq!(store.suspect(id).unwrap().status, Status::Confirmed);
        let s = withdraw_at(&store, &c, id, "kacho", "関連団体の正規アカウント", "t3").unwrap();
        assert_eq!(s.status, Status::Withdrawn);
        assert!(publishable(&c, &s), "the correction is public");
        refused(
            withdraw_at(&store, &c, id, "kacho", "x", "t4"),
            "it is final",
        );
    }

    #[test]
    fn an_unpublished_confirmation_is_withdrawn_by_anyone_and_leaves_no_correction() {
        let c = config("");
        let (store, id) = one_suspect();
        store
            .set_status(id, Status::Confirmed, "tanaka", None, "t1")
            .unwrap();
        let s = withdraw_at(&store, &c, id, "tanaka", "確認の誤り", "t2").unwrap();
        assert!(!publishable(&c, &s), "never published, so no correction");
    }
}
