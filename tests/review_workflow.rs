//! The review workflow through the real binary (issue 5): transitions and refusals, the audit
//! log, dismissed-stays-dismissed, publish (pages, fragments, review page), report, CSV.
//! Each test gets a fresh temp folder with its own config, candidates, avatars and database.

use assert_cmd::Command;
use std::path::PathBuf;

const CONFIG: &str = r#"
[organization]
name = "文京区"
name_en = "Bunkyo City"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"
contact = "03-0000-0000"

[[official]]
platform = "x"
handle = "b_diverjinzai"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/b_diverjinzai"
avatar = "official.png"
operator = "区民部経済課"
purpose = "中小企業の人材採用に関するお知らせ"

[[source]]
kind = "file"
path = "candidates.jsonl"

[publish]
out_dir = "public"
review_dir = "internal"
"#;

const HOSTILE: &str = "<script>alert(1)</script>\\\"' \\u202Egnp.exe\\u200B 🎁 文京区";

struct Env {
    dir: tempfile::TempDir,
}

fn pattern(shift: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(128, 128, |x, y| {
        let (x, y) = (x + shift, y);
        let inside = (x as i32 - 64).pow(2) + (y as i32 - 64).pow(2) < 1600;
        if inside {
            image::Rgb([30, 80, 160])
        } else if (x / 16 + y / 16) % 2 == 0 {
            image::Rgb([220, 40, 40])
        } else {
            image::Rgb([250, 250, 250])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn noise() -> Vec<u8> {
    let img = image::RgbImage::from_fn(128, 128, |x, y| {
        image::Rgb([(x * 3) as u8, (y * 5) as u8, ((x + y) * 7) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("narisumashi.toml"), CONFIG).unwrap();
        std::fs::write(dir.path().join("official.png"), pattern(0)).unwrap();
        std::fs::write(dir.path().join("copy.png"), pattern(2)).unwrap();
        std::fs::write(dir.path().join("other.png"), noise()).unwrap();
        let env = Env { dir };
        env.candidates(&[
            r#"{"platform":"x","handle":"b_diverjinzal","display_name":"文京区中小企業ダイバーシティ人材採用促進事業","avatar":"copy.png","url":"https://x.com/b_diverjinzal"}"#,
            &format!(r#"{{"platform":"x","handle":"b_diverjinzai_jp","display_name":"{HOSTILE}","avatar":"other.png"}}"#),
            r#"{"platform":"x","handle":"bdiverjinzai","display_name":"文京区ダイバーシティ人材","avatar":"copy.png"}"#,
            r#"{"platform":"x","handle":"tanaka_taro","display_name":"田中太郎"}"#,
        ]);
        env
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn candidates(&self, lines: &[&str]) {
        std::fs::write(self.path("candidates.jsonl"), lines.join("\n") + "\n").unwrap();
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("narisumashi").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("NARISUMASHI_CONFIG")
            .env("USER", "os-user")
            .arg("--config")
            .arg(self.path("narisumashi.toml"))
            .args(args);
        c
    }

    /// Runs and returns stdout; panics with stderr unless the exit code is `code`.
    fn run(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn stderr(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    }

    /// The id of a suspect by handle.
    fn id(&self, handle: &str) -> String {
        let list: serde_json::Value =
            serde_json::from_str(&self.run(&["suspects", "list", "--json"], 0)).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["handle"] == handle)
            .unwrap_or_else(|| panic!("no suspect {handle} in {list}"))["id"]
            .to_string()
    }

    fn status(&self, id: &str) -> String {
        let list: serde_json::Value =
            serde_json::from_str(&self.run(&["suspects", "list", "--json"], 0)).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(id))
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap()
    }
}

#[test]
fn the_whole_workflow_from_scan_to_removal() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("b_diverjinzal");

    // Refused transitions: one line on stderr, exit 2, nothing logged.
    for (args, want) in [
        (vec!["suspects", "report", &id], "cannot become reported"),
        (vec!["suspects", "removed", &id], "cannot become removed"),
        (
            vec!["suspects", "withdraw", &id, "--note", "x"],
            "cannot become withdrawn",
        ),
        (vec!["suspects", "confirm", "999"], "no suspect with id 999"),
    ] {
        let err = env.stderr(&args, 2);
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }

    let out = env.run(
        &[
            "suspects",
            "confirm",
            &id,
            "--by",
            "tanaka",
            "--note",
            "課長承認済み",
        ],
        0,
    );
    assert!(out.contains("is now confirmed"));
    env.run(
        &[
            "suspects",
            "describe",
            &id,
            "--text",
            "「プレゼント当選」のDMで外部サイトへ誘導",
            "--by",
            "sato",
        ],
        0,
    );
    env.run(
        &["suspects", "report", &id, "--note", "報告フォームから送信"],
        0,
    );
    assert_eq!(env.status(&id), "reported");
    let err = env.stderr(&["suspects", "confirm", &id], 2);
    assert!(
        err.contains("suspect") && err.contains("is reported"),
        "{err}"
    );
    env.run(&["suspects", "removed", &id, "--by", "tanaka"], 0);
    assert_eq!(env.status(&id), "removed");

    let show = env.run(&["suspects", "show", &id], 0);
    for want in [
        "status:        removed",
        "evidence (1 snapshots)",
        "avatar sha256 ",
        "- -> new",
        "by narisumashi scan",
        "new -> confirmed",
        "by tanaka  — 課長承認済み",
        "described",
        "by sato",
        "confirmed -> reported",
        "by os-user  — 報告フォームから送信",
        "reported -> removed",
    ] {
        assert!(show.contains(want), "missing {want:?} in\n{show}");
    }
    assert!(env
        .stderr(&["suspects", "show", "999"], 2)
        .contains("no suspect with id 999"));
}

#[test]
fn withdraw_requires_a_note_and_leaves_a_correction() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("bdiverjinzai");
    env.run(&["suspects", "confirm", &id], 0);
    env.run(&["suspects", "approve", &id, "--by", "kacho"], 0);
    let err = env.stderr(&["suspects", "withdraw", &id], 2);
    assert!(err.contains("--note"), "{err}");
    let err = env.stderr(&["suspects", "withdraw", &id, "--note", "  "], 2);
    assert!(err.contains("needs --note"), "{err}");
    // The confirmer (the OS user here) cannot take back a published account alone.
    let err = env.stderr(&["suspects", "withdraw", &id, "--note", "関連団体"], 2);
    assert!(
        err.contains("for an approver other than the confirmer"),
        "{err}"
    );
    env.run(
        &[
            "suspects",
            "withdraw",
            &id,
            "--note",
            "区の関連団体の正規アカウントと確認",
            "--by",
            "kacho",
        ],
        0,
    );
    assert_eq!(env.status(&id), "withdrawn");
    env.run(&["publish"], 0);
    let notice = env.read("public/notice.html");
    assert!(
        notice.contains(
            "訂正：X（旧Twitter）のアカウント「<span class=\"handle\">@bdiverjinzai</span>」"
        ),
        "{notice}"
    );
    assert!(
        !notice.contains("区の関連団体"),
        "internal notes stay internal"
    );
    // Withdrawn is final.
    assert!(env
        .stderr(&["suspects", "confirm", &id], 2)
        .contains("none, it is final"));
}

#[test]
fn dismissed_stays_dismissed_until_the_profile_changes() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("bdiverjinzai");
    env.run(&["suspects", "dismiss", &id, "--note", "無関係の個人"], 0);
    let json: serde_json::Value = serde_json::from_str(&env.run(&["scan", "--json"], 0)).unwrap();
    assert!(json["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["handle"] == "bdiverjinzai"));
    assert_eq!(env.status(&id), "dismissed");

    env.candidates(&[
        r#"{"platform":"x","handle":"bdiverjinzai","display_name":"文京区公式 プレゼント企画","avatar":"copy.png"}"#,
    ]);
    env.run(&["scan"], 0);
    assert_eq!(env.status(&id), "new");
    let show = env.run(&["suspects", "show", &id], 0);
    assert!(
        show.contains("dismissed -> new (profile changed)"),
        "{show}"
    );
    assert!(show.contains("display name changed"), "{show}");
    assert!(show.contains("evidence (2 snapshots)"), "{show}");
}

#[test]
fn a_file_source_never_removes_an_impostor() {
    // A file cannot say an account is gone: absence from it is "unknown", which never counts.
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("b_diverjinzal");
    env.run(&["suspects", "confirm", &id], 0);
    env.candidates(&[r#"{"platform":"x","handle":"tanaka_taro"}"#]);
    for _ in 0..3 {
        let out = env.run(&["scan"], 0);
        assert!(!out.contains("REMOVED"), "{out}");
    }
    assert_eq!(env.status(&id), "confirmed");
}

#[test]
fn publish_writes_every_page_and_only_confirmed_impostors_are_public() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let real = env.id("b_diverjinzal");
    let hostile = env.id("b_diverjinzai_jp");
    env.run(&["suspects", "confirm", &real], 0);
    env.run(
        &[
            "suspects",
            "describe",
            &real,
            "--text",
            "当選DMで個人情報を求める",
        ],
        0,
    );
    env.run(&["suspects", "confirm", &hostile], 0);
    for id in [&real, &hostile] {
        env.run(&["suspects", "approve", id, "--by", "kacho"], 0);
    }
    let out = env.run(&["publish"], 0);
    assert!(out.contains("internal, do not publish"));
    for page in [
        "notice.html",
        "notice-fragment.html",
        "notice.en.html",
        "notice-fragment.en.html",
        "official-accounts.html",
        "official-accounts.en.html",
    ] {
        let html = env.read(&format!("public/{page}"));
        assert!(!html.contains("<script"), "{page}");
        assert!(!html.contains('\u{202E}'), "{page}");
        assert!(
            !html.contains("bdiverjinzai"),
            "{page}: unreviewed suspect is public"
        );
        if page.starts_with("notice") {
            assert!(html.contains("@b_diverjinzal"), "{page}");
            assert!(
                html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
                "{page}"
            );
            assert!(
                html.contains("&#60;U+202E&#62;gnp.exe&#60;U+200B&#62;"),
                "{page}"
            );
            assert!(
                html.contains("data:image/png;base64,"),
                "{page}: avatars embedded"
            );
        }
    }
    assert!(
        !env.path("public/review.html").exists(),
        "the review page is never public"
    );
    let notice = env.read("public/notice.html");
    assert!(notice.contains("当選DMで個人情報を求める"));
    assert!(notice.contains("令和"));
    let review = env.read("internal/review.html");
    assert!(review.contains("noindex") && review.contains("内部資料"));
    assert!(review.contains("@bdiverjinzai"));
    assert!(
        !review.contains("@b_diverjinzal<"),
        "confirmed ones are not in the queue"
    );
    // No temporary files left behind.
    for e in std::fs::read_dir(env.path("public")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

#[test]
fn a_confirmed_impostor_is_public_only_after_someone_else_approves_it() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("b_diverjinzal");
    let err = env.stderr(&["suspects", "approve", &id, "--by", "kacho"], 2);
    assert!(err.contains("confirm it first"), "{err}");
    let out = env.run(&["suspects", "confirm", &id, "--by", "tanaka"], 0);
    assert!(out.contains("suspects approve"), "{out}");
    env.run(&["publish"], 0);
    assert!(
        !env.read("public/notice.html").contains("b_diverjinzal"),
        "awaiting approval"
    );
    // The confirmer cannot approve their own confirmation; --by is required.
    let err = env.stderr(&["suspects", "approve", &id, "--by", "Tanaka"], 2);
    assert!(err.contains("someone else must approve"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(env
        .stderr(&["suspects", "approve", &id], 2)
        .contains("--by"));
    let out = env.run(
        &[
            "suspects",
            "approve",
            &id,
            "--by",
            "kacho",
            "--note",
            "課長決裁 第12号",
        ],
        0,
    );
    assert!(out.contains("approved by kacho"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&env.run(&["suspects", "list", "--json"], 0)).unwrap();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_i64().map(|i| i.to_string()) == Some(id.clone()))
        .unwrap();
    assert_eq!(row["approval"]["by"], "kacho");
    assert_eq!(row["approval"]["note"], "課長決裁 第12号");
    let err = env.stderr(&["suspects", "approve", &id, "--by", "bucho"], 2);
    assert!(err.contains("already approved"), "{err}");
    env.run(&["publish"], 0);
    assert!(env.read("public/notice.html").contains("@b_diverjinzal"));
    // The audit log: who confirmed, who approved, when, with the note.
    let show = env.run(&["suspects", "show", &id], 0);
    for want in [
        "approved:      by kacho at ",
        "new -> confirmed",
        "by tanaka",
        "approved (confirmed)",
        "by kacho  — 課長決裁 第12号",
    ] {
        assert!(show.contains(want), "missing {want:?} in\n{show}");
    }
    let report = env.run(&["report", &id], 0);
    assert!(report.contains("決裁（公開の承認）：令和"), "{report}");
    assert!(report.contains("notice.html）に掲載中"), "{report}");
}

#[test]
fn a_one_person_office_turns_the_separate_approver_off() {
    let env = Env::new();
    let config = env.read("narisumashi.toml") + "\n[review]\nseparate_approver = false\n";
    std::fs::write(env.path("narisumashi.toml"), config).unwrap();
    env.run(&["scan"], 0);
    let id = env.id("b_diverjinzal");
    env.run(&["suspects", "confirm", &id, "--by", "tanaka"], 0);
    env.run(&["suspects", "approve", &id, "--by", "tanaka"], 0);
    env.run(&["publish"], 0);
    assert!(env.read("public/notice.html").contains("@b_diverjinzal"));
}

#[test]
fn publish_refuses_to_put_the_review_page_in_the_public_folder() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let out = env.path("public");
    let err = env.stderr(
        &[
            "publish",
            "--out",
            out.to_str().unwrap(),
            "--review-out",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("must not go to the public folder"), "{err}");
}

#[test]
fn report_prints_a_japanese_draft_in_text_and_markdown() {
    let env = Env::new();
    env.run(&["scan"], 0);
    let id = env.id("b_diverjinzai_jp");
    let err = env.stderr(&["report", &id], 2);
    assert!(err.contains("confirm it first"), "{err}");
    env.run(&["suspects", "confirm", &id], 0);
    let text = env.run(&["report", &id], 0);
    assert!(text.contains("なりすましアカウント削除依頼（下書き）"));
    assert!(text.contains("アカウント：@b_diverjinzai\n"));
    assert!(text.contains("<U+202E>gnp.exe<U+200B>"));
    assert!(!text.contains('\u{202E}'));
    assert!(text.contains("内部報告（承認者向け）"));
    let md = env.run(&["report", &id, "--format", "markdown"], 0);
    assert!(md.starts_with("# "));
    assert!(md.contains("\\<script\\>alert\\(1\\)\\</script\\>"), "{md}");
    assert!(env
        .stderr(&["report", &id, "--format", "pdf"], 2)
        .contains("pdf"));
}

#[test]
fn csv_export_is_excel_ready() {
    let env = Env::new();
    env.candidates(&[
        r#"{"platform":"x","handle":"b_diverjinzal","display_name":"=HYPERLINK(\"http://evil\")"}"#,
        &format!(r#"{{"platform":"x","handle":"b_diverjinzai_jp","display_name":"{HOSTILE}"}}"#),
    ]);
    env.run(&["scan"], 0);
    env.run(&["suspects", "export", "--csv", "out/suspects.csv"], 0);
    let bytes = std::fs::read(env.path("out/suspects.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches("\r\n").count(), 3);
    assert_eq!(text.matches('\n').count(), 3, "no bare line feeds");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{text}"
    );
    assert!(text.contains("<U+202E>") && !text.contains('\u{202E}'));
}

#[test]
fn help_lists_the_workflow_commands() {
    let env = Env::new();
    let help = env.run(&["suspects", "--help"], 0);
    for cmd in [
        "list", "confirm", "approve", "dismiss", "show", "report", "removed", "withdraw",
        "describe", "export",
    ] {
        assert!(help.contains(cmd), "{cmd}");
    }
}

// ---- removal detection through a live source (a local fake of Bluesky) --------------------

mod mock_platforms;

use mock_platforms::{account, start, suspended, Account, Kind};

const IMPOSTOR: &str = "bunkyo-clty.bsky.social";

/// A config whose only source is a fake Bluesky at `uri`.
fn bluesky_config(dir: &std::path::Path, uri: &str) {
    let text = format!(
        r#"
[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[network]
allow_private_addresses = true
max_avatar_bytes = 100000

[[official]]
platform = "bluesky"
handle = "bunkyo-city.bsky.social"
display_name = "文京区公式"
url = "https://bsky.app/profile/bunkyo-city.bsky.social"

[[source]]
kind = "bluesky"
base_url = "{uri}"
retries = 0
backoff_ms = 1
max_wait_secs = 0.01
"#
    );
    std::fs::write(dir.join("narisumashi.toml"), text).unwrap();
}

fn official_only() -> Vec<Account> {
    vec![account("bunkyo-city.bsky.social", "文京区公式", None)]
}

fn with_impostor() -> Vec<Account> {
    let mut a = official_only();
    a.push(account(IMPOSTOR, "文京区公式", None));
    a
}

/// Runs a scan against a fake holding `accounts` (and answering every profile lookup with
/// HTTP 500 when `broken`), off the runtime thread the fake lives on; returns stdout.
async fn scan_against(dir: &std::path::Path, accounts: Vec<Account>, broken: bool) -> String {
    let fake = start(Kind::Bluesky, accounts, None).await;
    if broken {
        wiremock::Mock::given(wiremock::matchers::path("/xrpc/app.bsky.actor.getProfile"))
            .respond_with(
                wiremock::ResponseTemplate::new(500).set_body_json(
                    serde_json::json!({"error":"InternalServerError","message":"down"}),
                ),
            )
            .with_priority(1)
            .mount(&fake.server)
            .await;
    }
    bluesky_config(dir, &fake.uri());
    let mut cmd = Command::cargo_bin("narisumashi").unwrap();
    cmd.current_dir(dir).env_remove("NARISUMASHI_CONFIG").args([
        "--config",
        "narisumashi.toml",
        "scan",
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(5)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn status_in(dir: &std::path::Path) -> String {
    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(dir)
        .env_remove("NARISUMASHI_CONFIG")
        .args(["--config", "narisumashi.toml", "suspects", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["handle"] == IMPOSTOR)
        .unwrap_or_else(|| panic!("{IMPOSTOR} not recorded: {list}"));
    s["status"].as_str().unwrap().to_string()
}

fn confirm_impostor(dir: &std::path::Path) {
    let list = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(dir)
        .env_remove("NARISUMASHI_CONFIG")
        .args(["--config", "narisumashi.toml", "suspects", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["handle"] == IMPOSTOR)
        .unwrap()["id"]
        .to_string();
    Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(dir)
        .env_remove("NARISUMASHI_CONFIG")
        .args(["--config", "narisumashi.toml", "suspects", "confirm", &id])
        .assert()
        .success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_needs_two_consecutive_not_founds_found_resets_errors_never_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    scan_against(d, with_impostor(), false).await;
    confirm_impostor(d);

    // Gone once: not yet removed.
    let out = scan_against(d, official_only(), false).await;
    assert!(!out.contains("REMOVED"), "{out}");
    assert_eq!(status_in(d), "confirmed");
    // Found again: the count starts over.
    scan_against(d, with_impostor(), false).await;
    scan_against(d, official_only(), false).await;
    assert_eq!(status_in(d), "confirmed");
    // A failing platform says nothing either way, however often.
    scan_against(d, official_only(), true).await;
    scan_against(d, official_only(), true).await;
    assert_eq!(status_in(d), "confirmed");
    // The second consecutive "not found": removed, by the scan, with the reason.
    let out = scan_against(d, official_only(), false).await;
    assert!(
        out.contains(&format!("REMOVED suspect 1: bluesky @{IMPOSTOR}")),
        "{out}"
    );
    assert_eq!(status_in(d), "removed");
    let show = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(d)
        .env_remove("NARISUMASHI_CONFIG")
        .args(["--config", "narisumashi.toml", "suspects", "show", "1"])
        .output()
        .unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    let line = show
        .lines()
        .find(|l| l.contains("confirmed -> removed"))
        .unwrap_or_else(|| panic!("{show}"));
    assert!(line.contains("by narisumashi scan"), "{line}");
    assert!(
        line.contains(
            "gone from the platform in 2 consecutive scans (bluesky: account does not exist)"
        ),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_impostor_counts_as_gone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    scan_against(d, with_impostor(), false).await;
    confirm_impostor(d);
    let mut taken_down = official_only();
    taken_down.push(suspended(IMPOSTOR));
    scan_against(d, taken_down.clone(), false).await;
    assert_eq!(status_in(d), "confirmed");
    scan_against(d, taken_down, false).await;
    assert_eq!(status_in(d), "removed");
}
