use super::*;
use crate::model::{
    Assessment, Candidate, MatchedAccount, Platform, Profile, Signals, VerdictKind,
};
use crate::store::Observation;
use std::path::Path;

pub(crate) const CONFIG: &str = r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"
contact = "03-0000-0000"

[[official]]
platform = "x"
handle = "b_diverjinzai"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/b_diverjinzai"
"#;

const HOSTILE: &str =
    "<script>alert(1)</script>\"' \u{202E}gnp.exe\u{200B} 🎁[x](javascript:alert(1))";

fn record(store: &mut Store, handle: &str, name: &str) -> i64 {
    record_profile(
        store,
        Profile {
            platform: Some(Platform::X),
            handle: handle.into(),
            display_name: Some(name.into()),
            url: Some(format!("https://x.com/{handle}")),
            ..Profile::default()
        },
    )
}

fn record_profile(store: &mut Store, profile: Profile) -> i64 {
    let c = Candidate {
        platform: Platform::X,
        source: "file:candidates.jsonl".into(),
        profile,
    };
    let a = Assessment {
        verdict: VerdictKind::Suspect,
        score: 0.93,
        matched: Some(MatchedAccount {
            platform: Platform::X,
            handle: "b_diverjinzai".into(),
        }),
        signals: Signals {
            handle: Some(0.95),
            display_name: Some(1.0),
            avatar: None,
        },
        reasons: vec!["handle imitates @b_diverjinzai".into()],
        reason_codes: vec!["handle imitates @b_diverjinzai".into()],
    };
    let obs = [Observation {
        candidate: &c,
        assessment: &a,
        avatar: None,
        avatar_bytes: None,
    }];
    store
        .record_scan("2026-11-20T01:00:00Z", "2026-11-20T01:00:00Z", 1, &obs, &[])
        .unwrap()
        .suspects[0]
        .0
}

#[test]
fn withdraw_needs_a_note_and_messages_are_one_line() {
    let config = Config::parse(CONFIG, Path::new(".")).unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let id = record(&mut s, "b_diverjinzal", "文京区");
    transition(&s, id, Status::Confirmed, "tanaka", None, "t1").unwrap();
    let err = approval::withdraw_at(&s, &config, id, "tanaka", "  ", "t2").unwrap_err();
    assert!(format!("{err:#}").contains("needs --note"), "{err:#}");
    let err = transition(&s, id, Status::Withdrawn, "tanaka", Some("x"), "t2").unwrap_err();
    assert!(format!("{err:#}").contains("review::withdraw"), "{err:#}");
    let err = transition(&s, id, Status::Dismissed, "tanaka", None, "t2").unwrap_err();
    let msg = format!("{err:#}");
    assert!(!msg.contains('\n'));
    assert!(msg.contains("cannot mark suspect 1 dismissed"), "{msg}");
    assert!(
        msg.contains("allowed: reported, removed, withdrawn"),
        "{msg}"
    );
    let rec = approval::withdraw_at(&s, &config, id, "tanaka", "本人確認済み", "t3").unwrap();
    assert_eq!(rec.status, Status::Withdrawn);
}

#[test]
fn show_gives_the_account_facts_of_each_snapshot() {
    let mut s = Store::open_in_memory().unwrap();
    let id = record_profile(
        &mut s,
        Profile {
            platform: Some(Platform::X),
            handle: "b_diverjinzal".into(),
            created_at: Some("2026-11-28T12:00:00Z".into()),
            posts_count: Some(0),
            followers_count: Some(2),
            verified: Some(false),
            ..Profile::default()
        },
    );
    let out = show(&s, id).unwrap();
    assert!(
        out.contains("account: created 2026-11-28T12:00:00Z, 0 posts, 2 followers, not verified"),
        "{out}"
    );
    // Without facts there is no such line.
    let bare = record(&mut s, "b_diverjinza1", "文京区");
    assert!(!show(&s, bare).unwrap().contains("account:"));
}

#[test]
fn show_lists_suspect_evidence_and_history_with_hidden_characters_visible() {
    let mut s = Store::open_in_memory().unwrap();
    let id = record(&mut s, "b_diverjinzai_jp", HOSTILE);
    transition(
        &s,
        id,
        Status::Confirmed,
        "tanaka",
        Some("課長承認"),
        "2026-11-21T00:00:00Z",
    )
    .unwrap();
    describe(
        &s,
        id,
        "当選DMで外部サイトへ誘導",
        "sato",
        "2026-11-21T01:00:00Z",
    )
    .unwrap();
    let out = show(&s, id).unwrap();
    assert!(out.contains("suspect 1: x @b_diverjinzai_jp"), "{out}");
    assert!(out.contains("status:        confirmed"));
    assert!(
        out.contains("<U+202E>") && out.contains("<U+200B>"),
        "{out}"
    );
    assert!(!out.contains('\u{202E}'));
    assert!(out.contains("evidence (1 snapshots)"));
    assert!(
        out.contains("new -> confirmed") && out.contains("by tanaka  — 課長承認"),
        "{out}"
    );
    assert!(out.contains("described") && out.contains("当選DMで外部サイトへ誘導"));
    assert!(show(&s, 42).is_err());
}

#[test]
fn report_drafts_the_takedown_request_and_internal_report() {
    let config = Config::parse(CONFIG, Path::new(".")).unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let id = record(
        &mut s,
        "b_diverjinzal",
        "文京区中小企業ダイバーシティ人材採用促進事業",
    );
    assert!(
        report(&config, &s, id, ReportFormat::Text).is_err(),
        "unconfirmed"
    );
    transition(
        &s,
        id,
        Status::Confirmed,
        "tanaka",
        None,
        "2026-11-21T00:00:00Z",
    )
    .unwrap();
    describe(
        &s,
        id,
        "プレゼント当選をDMで知らせ個人情報を求める",
        "sato",
        "t",
    )
    .unwrap();
    transition(
        &s,
        id,
        Status::Reported,
        "tanaka",
        None,
        "2026-11-22T00:00:00Z",
    )
    .unwrap();
    let t = report(&config, &s, id, ReportFormat::Text).unwrap();
    for want in [
        "なりすましアカウント削除依頼（下書き）",
        "団体名：文京区",
        "連絡先：03-0000-0000",
        "アカウント：@b_diverjinzai",
        "アカウント：@b_diverjinzal",
        "最初に確認した日：令和8年11月20日",
        "確認した手口：プレゼント当選をDMで知らせ個人情報を求める",
        "内部報告（承認者向け）",
        "現在の状況：運営会社へ削除を要請済み",
        "なりすまし確定：令和8年11月21日",
        "運営会社へ報告：令和8年11月22日",
        "削除確認：-",
        "決裁（公開の承認）：未決裁",
        "自動検出の根拠：handle imitates @b_diverjinzai",
        "ホームページでの周知：未掲載（決裁後に掲載）",
    ] {
        assert!(t.contains(want), "missing {want} in\n{t}");
    }
    let md = report(&config, &s, id, ReportFormat::Markdown).unwrap();
    assert!(md.starts_with("# なりすましアカウント削除依頼（下書き）"));
    assert!(md.contains("## 内部報告") || md.contains("# 内部報告"));
    assert!(md.contains("- アカウント：@b\\_diverjinzal"), "{md}");
}

#[test]
fn hostile_names_in_reports_are_visible_and_inert() {
    let config = Config::parse(CONFIG, Path::new(".")).unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let id = record(&mut s, "evil", HOSTILE);
    transition(&s, id, Status::Confirmed, "t", None, "t").unwrap();
    let md = report(&config, &s, id, ReportFormat::Markdown).unwrap();
    assert!(!md.contains('\u{202E}') && !md.contains('\u{200B}'));
    assert!(md.contains("\\<script\\>alert\\(1\\)\\</script\\>"), "{md}");
    assert!(md.contains("\\[x\\]\\(javascript:alert\\(1\\)\\)"), "{md}");
    assert!(!md.contains("](javascript"));
    let text = report(&config, &s, id, ReportFormat::Text).unwrap();
    assert!(text.contains("<U+202E>gnp.exe<U+200B>"), "{text}");
}

#[test]
fn csv_opens_in_excel_and_defuses_formulas() {
    let mut s = Store::open_in_memory().unwrap();
    record(&mut s, "a1", "=HYPERLINK(\"http://evil\",\"x\")");
    record(&mut s, "a2", HOSTILE);
    record(&mut s, "a3", "+81-3-0000\r\n@SUM(A1)");
    let bytes = export_csv(&s).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').split("\r\n").collect();
    assert_eq!(lines.len(), 5, "{lines:?}"); // header, 3 rows, empty after the final CRLF
    assert_eq!(lines[4], "");
    assert!(lines[0].starts_with("\"ID\",\"サービス\""));
    assert!(
        lines[1].contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("<U+202E>") && !lines[2].contains('\u{202E}'));
    assert!(lines[2].contains("\"<script>alert(1)</script>\"\"' "));
    // Line breaks inside a name are shown, not written, so one suspect is one line.
    assert!(
        lines[3].contains("\"'+81-3-0000<U+000D><U+000A>@SUM(A1)\""),
        "{}",
        lines[3]
    );
    assert!(lines.iter().all(|l| !l.contains('\n')));
    assert!(lines[1].starts_with("\"1\",\"x\",\"a1\","), "{}", lines[1]);
}

#[test]
fn markdown_escaping_covers_link_syntax() {
    assert_eq!(md_escape("[a](b)"), "\\[a\\]\\(b\\)");
    assert_eq!(md_escape("文京区"), "文京区");
}

#[test]
fn timeline_takes_the_latest_time_of_each_step() {
    let mut s = Store::open_in_memory().unwrap();
    let id = record(&mut s, "a", "b");
    transition(&s, id, Status::Confirmed, "t", None, "c1").unwrap();
    transition(&s, id, Status::Removed, "t", None, "r1").unwrap();
    transition(&s, id, Status::Confirmed, "t", None, "c2").unwrap();
    let rec = s.suspect(id).unwrap();
    let tl = timeline(&rec, &s.events(id).unwrap());
    assert_eq!(tl.found, "2026-11-20T01:00:00Z");
    assert_eq!(tl.confirmed.as_deref(), Some("c2"));
    assert_eq!(tl.removed.as_deref(), Some("r1"));
    assert_eq!(tl.reported, None);
}

#[test]
fn csv_guard_covers_leading_whitespace_and_full_width_signs() {
    for hostile in [
        " =1+1",
        "\u{3000}=1+1",
        "\t=1",
        "＝HYPERLINK(\"http://evil\")",
        "＋81",
        "－1",
        "＠SUM(A1)",
        "  ＠x",
    ] {
        let cell = crate::review::csv_cell(hostile);
        assert!(cell.starts_with("\"'"), "{hostile:?} -> {cell}");
    }
    for fine in ["文京区", "b_diverjnzai", "1+1", "a=b"] {
        assert!(!crate::review::csv_cell(fine).starts_with("\"'"), "{fine}");
    }
}
