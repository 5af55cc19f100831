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
        reason_codes: vec!["handle imitates @bunkyo_koho".into()],
        evidence: Default::default(),
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
            avatar_bytes: None,
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
        lightness: u64::MAX,
        lightness_c88: 1,
        lightness_c64: 2,
        luma: 3,
        gradient: 4,
        gradient_mirrored: u64::MAX - 1,
        information: 0.5,
        fine: crate::detect::score::Fine::from_thumbnail(
            &(0..256).map(|i| (i * 7 % 255) as f64).collect::<Vec<_>>(),
        ),
        colour: [200, 30, 40],
        centre_colour: [1, 2, 250],
        // Corners at whole 1/64 pixels, as stored.
        local: Some(std::sync::Arc::new(crate::avatar::keypoints::Keypoints(
            vec![
                crate::avatar::keypoints::Keypoint {
                    x: 13.5,
                    y: 100.25,
                    bits: [1, u64::MAX, 3, 1 << 63],
                    level: 0,
                },
                crate::avatar::keypoints::Keypoint {
                    x: 114.0,
                    y: 13.0,
                    bits: [7; 4],
                    level: 0,
                },
            ],
        ))),
        outline: None,
        fine_whole: None,
    };
    assert!(h.fine.is_set());
    // A flat picture's outline, between the colours and the corners.
    let outline = crate::avatar::outline::Outline::from_thumbnail(
        &(0..1024).map(|i| (i * 13 % 251) as u8).collect::<Vec<_>>(),
    );
    assert!(outline.is_set());
    let h = h.with_outline(Some(outline));
    assert!(s.cached_avatar_hash("abc").unwrap().is_none());
    s.cache_avatar_hash("abc", &h, "t").unwrap();
    assert_eq!(s.cached_avatar_hash("abc").unwrap(), Some(h.clone()));
    // A picture trimmed out of a margin keeps its whole picture's descriptor too, with or
    // without an outline.
    let whole = crate::detect::score::Fine::from_thumbnail(
        &(0..256).map(|i| (i * 11 % 253) as f64).collect::<Vec<_>>(),
    );
    let trimmed = h.clone().with_fine_whole(Some(whole));
    s.cache_avatar_hash("trimmed", &trimmed, "t").unwrap();
    assert_eq!(
        s.cached_avatar_hash("trimmed").unwrap(),
        Some(trimmed.clone())
    );
    let trimmed = AvatarHash {
        outline: None,
        ..trimmed
    };
    s.cache_avatar_hash("trimmed2", &trimmed, "t").unwrap();
    assert_eq!(s.cached_avatar_hash("trimmed2").unwrap(), Some(trimmed));
    // A picture without corners (too small or flat) reads back without them.
    let flat = AvatarHash {
        local: None,
        ..h.clone()
    };
    s.cache_avatar_hash("flat", &flat, "t").unwrap();
    assert_eq!(s.cached_avatar_hash("flat").unwrap(), Some(flat.clone()));
    // Nor outline: the corners still read back.
    let detailed = AvatarHash { outline: None, ..h };
    s.cache_avatar_hash("detailed", &detailed, "t").unwrap();
    assert_eq!(s.cached_avatar_hash("detailed").unwrap(), Some(detailed));
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

// ---- issue 5: review workflow, evidence, re-checks ----

fn observe(
    store: &mut Store,
    c: &Candidate,
    avatar: Option<AvatarHash>,
    bytes: Option<&[u8]>,
    at: &str,
) -> i64 {
    let sus = assessment(VerdictKind::Suspect);
    let obs = [Observation {
        candidate: c,
        assessment: &sus,
        avatar,
        avatar_bytes: bytes,
    }];
    store.record_scan(at, at, 1, &obs, &[]).unwrap().suspects[0].0
}

fn hash(lightness: u64) -> AvatarHash {
    AvatarHash {
        lightness,
        lightness_c88: 0,
        lightness_c64: 0,
        luma: 0,
        gradient: 0,
        gradient_mirrored: 0,
        information: 0.8,
        fine: Default::default(),
        colour: [0; 3],
        centre_colour: [0; 3],
        local: None,
        outline: None,
        fine_whole: None,
    }
}

#[test]
fn every_allowed_and_refused_transition() {
    for from in Status::ALL {
        for to in Status::ALL {
            let mut s = Store::open_in_memory().unwrap();
            let id = scan(&mut s, &["a"], "t0").suspects[0].0;
            // Walk to `from` by an allowed path.
            let path: &[Status] = match from {
                Status::New => &[],
                Status::Confirmed => &[Status::Confirmed],
                Status::Dismissed => &[Status::Dismissed],
                Status::Reported => &[Status::Confirmed, Status::Reported],
                Status::Removed => &[Status::Confirmed, Status::Removed],
                Status::Withdrawn => &[Status::Confirmed, Status::Withdrawn],
            };
            for st in path {
                s.set_status(id, *st, "t", None, "t1").unwrap();
            }
            let before = s.events(id).unwrap().len();
            let r = s.set_status(id, to, "suzuki", Some("n"), "t2");
            assert_eq!(r.is_ok(), from.can_become(to), "{from} -> {to}");
            let after = s.events(id).unwrap();
            if r.is_ok() {
                assert_eq!(after.len(), before + 1);
                let e = after.last().unwrap();
                assert_eq!(
                    (e.from_status, e.to_status, e.actor.as_str(), e.at.as_str()),
                    (Some(from), to, "suzuki", "t2")
                );
                assert_eq!(s.suspect(id).unwrap().status, to);
            } else {
                assert_eq!(after.len(), before, "a refused change leaves no audit row");
                assert_eq!(s.suspect(id).unwrap().status, from);
            }
        }
    }
}

#[test]
fn dismissed_stays_dismissed_unless_the_profile_changes() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = candidate("bunkyo_k0ho");
    let id = observe(&mut s, &c, Some(hash(0)), None, "t1");
    s.set_status(id, Status::Dismissed, "tanaka", None, "t2")
        .unwrap();
    // Same profile, a re-encoded avatar a few bits off, a failed avatar download: stays.
    observe(&mut s, &c, Some(hash(0b1111)), None, "t3");
    observe(&mut s, &c, None, None, "t4");
    assert_eq!(s.suspect(id).unwrap().status, Status::Dismissed);
    // A different picture comes back as new, with the reason.
    observe(&mut s, &c, Some(hash(u64::MAX)), None, "t5");
    let rec = s.suspect(id).unwrap();
    assert_eq!(rec.status, Status::New);
    let last = s.events(id).unwrap().pop().unwrap();
    assert_eq!(last.kind, "reopen");
    assert_eq!(last.actor, "narisumashi scan");
    assert!(last.note.unwrap().contains("avatar changed"));
    // Dismissed again, then the display name changes.
    s.set_status(id, Status::Dismissed, "tanaka", None, "t6")
        .unwrap();
    observe(&mut s, &c, Some(hash(u64::MAX)), None, "t7");
    assert_eq!(s.suspect(id).unwrap().status, Status::Dismissed);
    c.profile.display_name = Some("文京区公式プレゼント".into());
    observe(&mut s, &c, Some(hash(u64::MAX)), None, "t8");
    assert_eq!(s.suspect(id).unwrap().status, Status::New);
    let note = s.events(id).unwrap().pop().unwrap().note.unwrap();
    assert!(note.contains("display name changed"), "{note}");
}

#[test]
fn a_confirmed_account_is_not_reopened_by_changes() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = candidate("x1");
    let id = observe(&mut s, &c, Some(hash(0)), None, "t1");
    s.set_status(id, Status::Confirmed, "t", None, "t2")
        .unwrap();
    c.profile.display_name = Some("別の名前".into());
    observe(&mut s, &c, Some(hash(u64::MAX)), None, "t3");
    assert_eq!(s.suspect(id).unwrap().status, Status::Confirmed);
}

#[test]
fn evidence_keeps_account_facts_but_new_counts_alone_are_no_new_snapshot() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = candidate("bunkyo_k0ho");
    c.profile.created_at = Some("2026-11-28T12:00:00Z".into());
    c.profile.posts_count = Some(0);
    c.profile.followers_count = Some(2);
    c.profile.verified = Some(false);
    let id = observe(&mut s, &c, None, None, "t1");
    // It posts and gains followers: the same account, no new snapshot.
    c.profile.posts_count = Some(40);
    c.profile.followers_count = Some(u64::MAX);
    observe(&mut s, &c, None, None, "t2");
    let ev = s.evidence(id).unwrap();
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(
        ev[0].account_created_at.as_deref(),
        Some("2026-11-28T12:00:00Z")
    );
    assert_eq!(
        (ev[0].posts_count, ev[0].followers_count, ev[0].verified),
        (Some(0), Some(2), Some(false))
    );
    // Another creation date under the same handle is another account: a new snapshot.
    c.profile.created_at = Some("2026-11-30T00:00:00Z".into());
    observe(&mut s, &c, None, None, "t3");
    let ev = s.evidence(id).unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1].followers_count, Some(i64::MAX as u64));
    // A profile without facts stores none.
    let bare = observe(&mut s, &candidate("bunkyo_kouho"), None, None, "t4");
    let ev = s.evidence(bare).unwrap();
    assert_eq!(
        (&ev[0].account_created_at, ev[0].posts_count, ev[0].verified),
        (&None, None, None)
    );
}

#[test]
fn evidence_is_kept_once_per_profile_and_avatar_bytes_once() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = candidate("bunkyo_k0ho");
    c.profile.avatar = Some("https://cdn.example/a.png".into());
    let png: &[u8] = b"\x89PNG fake bytes one";
    let id = observe(&mut s, &c, Some(hash(1)), Some(png), "t1");
    observe(&mut s, &c, Some(hash(1)), Some(png), "t2");
    // A failed download of the same avatar is not a change either.
    observe(&mut s, &c, None, None, "t3");
    let ev = s.evidence(id).unwrap();
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].captured_at, "t1");
    assert_eq!(ev[0].source, "file:test");
    let sha = ev[0].avatar_sha256.clone().unwrap();
    assert_eq!(s.avatar_blob(&sha).unwrap().as_deref(), Some(png));
    // Bio change: a new snapshot, the same avatar bytes not stored twice.
    c.profile.bio = Some("プレゼント実施中".into());
    observe(&mut s, &c, Some(hash(1)), Some(png), "t4");
    // Another picture: another snapshot and blob.
    let png2: &[u8] = b"\x89PNG fake bytes two";
    observe(&mut s, &c, Some(hash(2)), Some(png2), "t5");
    let ev = s.evidence(id).unwrap();
    assert_eq!(ev.len(), 3);
    assert_eq!(ev[1].bio.as_deref(), Some("プレゼント実施中"));
    assert_eq!(ev[1].avatar_sha256.as_deref(), Some(sha.as_str()));
    let blobs: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM avatar_blobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 2);
    assert_eq!(s.latest_avatar(id).unwrap().as_deref(), Some(png2));
}

#[test]
fn removal_needs_two_consecutive_gone_scans() {
    let mut s = Store::open_in_memory().unwrap();
    let id = scan(&mut s, &["imp"], "t0").suspects[0].0;
    s.set_status(id, Status::Confirmed, "t", None, "t1")
        .unwrap();
    s.set_status(id, Status::Reported, "t", None, "t1").unwrap();
    let gone = Presence::Gone {
        why: "x: account does not exist".into(),
    };
    let unknown = Presence::Unknown {
        why: "HTTP 503".into(),
    };
    assert_eq!(
        s.record_presence(id, &gone, "t2").unwrap(),
        PresenceOutcome::Unchanged { gone_streak: 1 }
    );
    // Found resets the count.
    s.record_presence(id, &Presence::Found, "t3").unwrap();
    assert_eq!(s.gone_streak(id).unwrap(), 0);
    s.record_presence(id, &gone, "t4").unwrap();
    // Unknown neither counts nor resets.
    for _ in 0..3 {
        assert_eq!(
            s.record_presence(id, &unknown, "t5").unwrap(),
            PresenceOutcome::Unchanged { gone_streak: 1 }
        );
    }
    assert_eq!(s.suspect(id).unwrap().status, Status::Reported);
    assert_eq!(
        s.record_presence(id, &gone, "2026-11-30T01:00:00Z")
            .unwrap(),
        PresenceOutcome::Removed
    );
    let rec = s.suspect(id).unwrap();
    assert_eq!(rec.status, Status::Removed);
    assert_eq!(rec.status_changed_at, "2026-11-30T01:00:00Z");
    let e = s.events(id).unwrap().pop().unwrap();
    assert_eq!(e.actor, "narisumashi scan");
    assert_eq!(e.from_status, Some(Status::Reported));
    assert!(e.note.unwrap().contains("2 consecutive scans"));
    // Removed accounts are no longer re-checked.
    assert!(s.impostors_to_recheck().unwrap().is_empty());
    assert!(s.record_presence(id, &gone, "t9").is_err());
}

#[test]
fn unknown_alone_never_removes() {
    let mut s = Store::open_in_memory().unwrap();
    let id = scan(&mut s, &["imp"], "t0").suspects[0].0;
    s.set_status(id, Status::Confirmed, "t", None, "t1")
        .unwrap();
    for i in 0..5 {
        let p = Presence::Unknown {
            why: format!("timeout {i}"),
        };
        s.record_presence(id, &p, "t").unwrap();
    }
    assert_eq!(s.suspect(id).unwrap().status, Status::Confirmed);
    assert_eq!(s.gone_streak(id).unwrap(), 0);
}

#[test]
fn descriptions_are_kept_and_logged() {
    let mut s = Store::open_in_memory().unwrap();
    let id = scan(&mut s, &["imp"], "t0").suspects[0].0;
    let rec = s
        .describe(
            id,
            "  懸賞当選をDMで知らせ、外部サイトでカード番号を入力させる  ",
            "sato",
            "t1",
        )
        .unwrap();
    assert_eq!(
        rec.description.as_deref(),
        Some("懸賞当選をDMで知らせ、外部サイトでカード番号を入力させる")
    );
    let e = s.events(id).unwrap().pop().unwrap();
    assert_eq!((e.kind.as_str(), e.actor.as_str()), ("describe", "sato"));
    assert_eq!(e.to_status, Status::New);
    assert!(s
        .describe(id, "", "sato", "t2")
        .unwrap()
        .description
        .is_none());
    assert!(s.describe(999, "x", "sato", "t2").is_err());
}

#[test]
fn migrating_a_version_one_database_keeps_its_suspects() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO suspects (platform, handle, handle_key, score, signals, reasons, first_seen, last_seen, status_changed_at) VALUES ('x', 'old', 'old', 0.7, '{}', '[\"handle @old imitates @bunkyo_koho\"]', 't', 't', 't')",
            [],
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let all = s.suspects(None).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].description.is_none());
    assert!(s.evidence(all[0].id).unwrap().is_empty());
    // Reasons stored as English sentences read back as legacy reasons.
    assert_eq!(
        all[0].reasons,
        vec![crate::detect::reason::Reason::Legacy {
            text: "handle @old imitates @bunkyo_koho".into()
        }]
    );
}

#[test]
fn typed_reasons_are_stored_and_read_back() {
    use crate::detect::reason::{HandleEdit, Reason};
    let mut s = Store::open_in_memory().unwrap();
    let c = candidate("bunkyo_koho_");
    let mut a = assessment(VerdictKind::Suspect);
    a.reason_codes = vec![Reason::HandleImitates {
        handle: "bunkyo_koho_".into(),
        official: "bunkyo_koho".into(),
        official_platform: Platform::X,
        edits: vec![HandleEdit::Appended { text: "_".into() }],
        similarity: 0.96,
    }];
    let obs = [Observation {
        candidate: &c,
        assessment: &a,
        avatar: None,
        avatar_bytes: None,
    }];
    s.record_scan("t1", "t1", 1, &obs, &[]).unwrap();
    let all = s.suspects(None).unwrap();
    assert_eq!(all[0].reasons, a.reason_codes);
}

#[test]
fn impostors_published_before_approvals_existed_stay_published() {
    // A database at schema 3: one impostor confirmed (so published), one still new.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        for (handle, status) in [("published", "confirmed"), ("queued", "new")] {
            conn.execute(
                "INSERT INTO suspects (platform, handle, handle_key, score, signals, reasons, first_seen, last_seen, status_changed_at, status) VALUES ('x', ?1, ?1, 0.7, '{}', '[]', 't0', 't0', 't1', ?2)",
                [handle, status],
            )
            .unwrap();
        }
    }
    let s = Store::open(&path).unwrap();
    let all = s.suspects(None).unwrap();
    let published = all.iter().find(|r| r.handle == "published").unwrap();
    let a = published.approval.as_ref().expect("treated as approved");
    assert_eq!(a.at, "t1");
    assert_eq!(a.by, "narisumashi (schema 007)");
    let events = s.events(published.id).unwrap();
    assert_eq!(
        events.last().unwrap().kind,
        "approve",
        "the audit log says so"
    );
    let queued = all.iter().find(|r| r.handle == "queued").unwrap();
    assert!(queued.approval.is_none());
}

#[test]
fn an_approval_is_recorded_once() {
    let mut s = Store::open_in_memory().unwrap();
    let id = scan(&mut s, &["bunkyo_koho"], "t0").suspects[0].0;
    let err = s.approve(id, "kacho", None, "t1").unwrap_err();
    assert!(
        err.to_string().contains("only a confirmed impostor"),
        "{err}"
    );
    s.set_status(id, Status::Confirmed, "tanaka", None, "t1")
        .unwrap();
    assert_eq!(s.confirmer(id).unwrap().as_deref(), Some("tanaka"));
    let r = s.approve(id, "kacho", Some("第12号"), "t2").unwrap();
    assert_eq!(r.approval.unwrap().note.as_deref(), Some("第12号"));
    let err = s.approve(id, "bucho", None, "t3").unwrap_err();
    assert!(
        err.to_string().contains("already approved by kacho"),
        "{err}"
    );
    assert_eq!(
        s.events(id)
            .unwrap()
            .iter()
            .filter(|e| e.kind == "approve")
            .count(),
        1
    );
}

#[test]
fn a_recorded_account_keeps_evidence_when_it_no_longer_looks_suspect() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = candidate("bunkyo_k0ho");
    let id = observe(&mut s, &c, None, None, "t1");
    s.set_status(id, Status::Confirmed, "t", None, "t1")
        .unwrap();
    // The impostor changes its disguise enough to score clear: still evidence.
    c.profile.display_name = Some("ふつうの名前".into());
    let clear = assessment(VerdictKind::Clear);
    let obs = [Observation {
        candidate: &c,
        assessment: &clear,
        avatar: None,
        avatar_bytes: None,
    }];
    let r = s.record_scan("t2", "t2", 1, &obs, &[]).unwrap();
    assert!(r.suspects.is_empty());
    let ev = s.evidence(id).unwrap();
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[1].display_name.as_deref(), Some("ふつうの名前"));
    // An account never recorded leaves no evidence.
    let other = candidate("someone_else");
    let obs = [Observation {
        candidate: &other,
        assessment: &clear,
        avatar: None,
        avatar_bytes: None,
    }];
    s.record_scan("t3", "t3", 1, &obs, &[]).unwrap();
    let n: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn status_changes_are_compare_and_set_across_connections() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let mut a = Store::open(&db).unwrap();
    let b = Store::open(&db).unwrap();
    let id = scan(&mut a, &["b_diverjnzai"], "t").suspects[0].0;
    // Both reviewers saw `new`; the dismiss lands first, the confirm is refused.
    a.set_status_from(id, Status::New, Status::Dismissed, "tanaka", None, "t1")
        .unwrap();
    let e = b
        .set_status_from(id, Status::New, Status::Confirmed, "suzuki", None, "t1")
        .unwrap_err();
    assert_eq!(crate::errors::kind(&e), crate::errors::Kind::Usage);
    assert!(e.to_string().contains("became dismissed"), "{e}");
    let from_new = b
        .events(id)
        .unwrap()
        .iter()
        .filter(|e| e.from_status == Some(Status::New))
        .count();
    assert_eq!(from_new, 1);
    assert_eq!(b.suspect(id).unwrap().status, Status::Dismissed);
}

#[test]
fn a_damaged_status_is_an_error_not_new() {
    let mut s = Store::open_in_memory().unwrap();
    let id = scan(&mut s, &["b_diverjnzai"], "t").suspects[0].0;
    s.connection()
        .execute(
            "UPDATE suspects SET status = 'confirmd' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert!(s.suspect(id).is_err());
    assert!(s.suspects(None).is_err());
}

#[test]
fn retention_purges_old_observations_of_never_suspects_only() {
    let mut s = Store::open_in_memory().unwrap();
    let clear = assessment(VerdictKind::Clear);
    let sus = assessment(VerdictKind::Suspect);
    let (a, b) = (candidate("innocent_one"), candidate("b_diverjnzai"));
    let obs = [
        Observation {
            candidate: &a,
            assessment: &clear,
            avatar: None,
            avatar_bytes: None,
        },
        Observation {
            candidate: &b,
            assessment: &sus,
            avatar: None,
            avatar_bytes: None,
        },
    ];
    s.record_scan("2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z", 2, &obs, &[])
        .unwrap();
    s.record_scan("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z", 2, &obs, &[])
        .unwrap();
    let count = |s: &Store, h: &str| -> i64 {
        s.connection()
            .query_row(
                "SELECT COUNT(*) FROM observations WHERE handle = ?1",
                [h],
                |r| r.get(0),
            )
            .unwrap()
    };
    let purged = s.purge_observations("2026-12-01T00:00:00Z", 30).unwrap();
    assert_eq!(purged.observations, 1);
    assert_eq!(count(&s, "innocent_one"), 1, "the recent one stays");
    assert_eq!(
        count(&s, "b_diverjnzai"),
        2,
        "a suspect's observations stay"
    );
    assert_eq!(
        s.purge_observations("2026-12-01T00:00:00Z", 30)
            .unwrap()
            .observations,
        0
    );
}

#[test]
fn forget_erases_a_never_confirmed_account_and_keeps_a_published_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let mut s = Store::open(&db).unwrap();
    let ids = scan(
        &mut s,
        &["erase_me_please", "keep_this_case"],
        "2026-11-30T00:00:00Z",
    );
    let (erase, keep) = (ids.suspects[0].0, ids.suspects[1].0);
    s.set_status(keep, Status::Confirmed, "t", None, "t")
        .unwrap();
    let held = s.account_data(Platform::X, "@Erase_Me_Please").unwrap();
    assert_eq!(held.observations.len(), 1);
    assert_eq!(held.suspect.as_ref().unwrap().id, erase);
    assert!(!held.evidence.is_empty() && !held.history.is_empty());

    let done = s
        .forget(Platform::X, "erase_me_please", "privacy officer", "t2")
        .unwrap();
    assert_eq!(done.kept, None);
    assert!(
        done.observations == 1 && done.evidence >= 1 && done.history >= 1,
        "{done:?}"
    );
    assert!(s
        .account_data(Platform::X, "erase_me_please")
        .unwrap()
        .is_empty());
    let kept = s
        .forget(Platform::X, "keep_this_case", "privacy officer", "t3")
        .unwrap();
    assert_eq!(kept.kept, Some((keep, Status::Confirmed)));
    assert!(kept.summary().contains("kept suspect"));
    assert_eq!(s.suspect(keep).unwrap().status, Status::Confirmed);
    let log = s.privacy_log().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|(_, _, action, detail)| action == "forget"
        && !detail.contains("erase_me_please")
        && !detail.contains("keep_this_case")));
    drop(s);
    // Not a byte of the erased handle is left in the database file.
    let bytes = std::fs::read(&db).unwrap();
    let needle = b"erase_me_please";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn backup_is_a_consistent_owner_only_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("n.db")).unwrap();
    scan(&mut s, &["b_diverjnzai"], "t");
    let dest = dir.path().join("copy.db");
    s.backup_to(&dest).unwrap();
    let copy = Store::open_read_only(&dest, DEFAULT_BUSY_TIMEOUT).unwrap();
    assert_eq!(copy.suspects(None).unwrap().len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mode = std::fs::metadata(dir.path().join("n.db"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}
