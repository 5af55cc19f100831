use super::*;
use crate::model::{Profile, VerdictKind};

fn candidate(handle: &str) -> Candidate {
    Candidate {
        platform: Platform::X,
        source: "file:test".into(),
        profile: Profile {
            platform: Some(Platform::X),
            handle: handle.into(),
            display_name: Some("文京区".into()),
            ..Profile::default()
        },
    }
}

fn assessment(verdict: VerdictKind) -> Assessment {
    Assessment {
        verdict,
        score: 0.8,
        matched: Some(MatchedAccount {
            platform: Platform::X,
            handle: "bunkyo_koho".into(),
        }),
        signals: Signals {
            handle: Some(0.9),
            display_name: Some(1.0),
            avatar: None,
        },
        reasons: vec!["handle imitates @bunkyo_koho".into()],
    }
}

fn scan(store: &mut Store, handles: &[&str], at: &str) -> RecordedScan {
    let cands: Vec<Candidate> = handles.iter().map(|h| candidate(h)).collect();
    let sus = assessment(VerdictKind::Suspect);
    let obs: Vec<Observation> = cands
        .iter()
        .map(|c| Observation {
            candidate: c,
            assessment: &sus,
            avatar: None,
        })
        .collect();
    store.record_scan(at, at, cands.len(), &obs, &[]).unwrap()
}

#[test]
fn one_row_per_account_across_scans() {
    let mut s = Store::open_in_memory().unwrap();
    let first = scan(
        &mut s,
        &["bunkyo_koho", "Bunkyo_Koho2"],
        "2026-11-22T00:00:00Z",
    );
    assert!(first.suspects.iter().all(|(_, new)| *new));
    let second = scan(
        &mut s,
        &["@BUNKYO_KOHO", "bunkyo_koho2"],
        "2026-11-23T00:00:00Z",
    );
    assert!(second.suspects.iter().all(|(_, new)| !*new));
    let all = s.suspects(None).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].first_seen, "2026-11-22T00:00:00Z");
    assert_eq!(all[0].last_seen, "2026-11-23T00:00:00Z");
    assert_eq!(s.scan_count().unwrap(), 2);
}

#[test]
fn transitions_are_checked_and_logged() {
    let mut s = Store::open_in_memory().unwrap();
    let r = scan(&mut s, &["bunkyo_koho"], "2026-11-22T00:00:00Z");
    let id = r.suspects[0].0;
    let err = s
        .set_status(id, Status::Removed, "tanaka", None, "t1")
        .unwrap_err();
    assert!(err.to_string().contains("cannot become removed"), "{err}");
    s.set_status(id, Status::Confirmed, "tanaka", Some("課長承認済み"), "t1")
        .unwrap();
    s.set_status(id, Status::Reported, "tanaka", None, "t2")
        .unwrap();
    let rec = s
        .set_status(id, Status::Removed, "suzuki", None, "t3")
        .unwrap();
    assert_eq!(rec.status, Status::Removed);
    let ev = s.events(id).unwrap();
    assert_eq!(ev.len(), 4);
    assert_eq!(ev[1].actor, "tanaka");
    assert_eq!(ev[1].note.as_deref(), Some("課長承認済み"));
    assert_eq!(ev[3].from_status, Some(Status::Reported));
}

#[test]
fn status_filter_and_unknown_id() {
    let mut s = Store::open_in_memory().unwrap();
    let r = scan(&mut s, &["a1", "a2"], "t");
    s.set_status(r.suspects[0].0, Status::Dismissed, "x", None, "t")
        .unwrap();
    assert_eq!(s.suspects(Some(Status::Dismissed)).unwrap().len(), 1);
    assert_eq!(s.suspects(Some(Status::New)).unwrap().len(), 1);
    assert!(s.suspect(999).is_err());
}

#[test]
fn avatar_hash_cache_round_trips() {
    let s = Store::open_in_memory().unwrap();
    let h = AvatarHash {
        phash: u64::MAX,
        gradient: 1,
        phash_mirrored: 2,
        gradient_mirrored: 3,
        information: 0.5,
    };
    assert!(s.cached_avatar_hash("abc").unwrap().is_none());
    s.cache_avatar_hash("abc", &h, "t").unwrap();
    assert_eq!(s.cached_avatar_hash("abc").unwrap(), Some(h));
}

#[test]
fn reopening_a_file_database_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.db");
    {
        let mut s = Store::open(&path).unwrap();
        scan(&mut s, &["x1"], "t");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.suspects(None).unwrap().len(), 1);
}
