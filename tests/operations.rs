//! Operations, faults and hostile input through the real binary (issue 8): set-up (`init`,
//! `config check`), one scan at a time, locked and full databases, read-only and misplaced
//! folders, closed pipes, `kill -9` at many points of scan, publish and review, owner-only
//! files whatever the umask, a token that must never be written anywhere, and every source
//! failing every way against local mocks. Nothing here asserts on elapsed time.

mod mock_platforms;

use assert_cmd::Command;
use mock_platforms::{account, start, Kind};
use narisumashi::config::Config;
use narisumashi::sources::{self, DiscoveryPlan, Lookup};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use wiremock::matchers::{path, path_regex};
use wiremock::{Mock, ResponseTemplate};

const OFFICIAL: &str = "b_diverjinzai";

/// A temporary city: config, official avatar, a candidates file of `n` accounts (every tenth
/// a look-alike with a copy of the official avatar).
struct City {
    dir: tempfile::TempDir,
}

fn logo_png() -> Vec<u8> {
    mock_platforms::png(&mock_platforms::logo())
}

impl City {
    fn new(n: usize, extra: &str) -> City {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("avatars")).unwrap();
        std::fs::write(root.join("avatars/official.png"), logo_png()).unwrap();
        std::fs::write(root.join("avatars/copy.png"), logo_png()).unwrap();
        let config = format!(
            r#"[organization]
name = "文京区"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[[official]]
platform = "x"
handle = "{OFFICIAL}"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/{OFFICIAL}"
avatar = "avatars/official.png"

[[source]]
kind = "file"
path = "candidates.jsonl"

[publish]
out_dir = "public"
review_dir = "review"
{extra}
"#
        );
        std::fs::write(root.join("narisumashi.toml"), config).unwrap();
        let mut lines = String::new();
        for i in 0..n {
            if i % 10 == 0 {
                lines.push_str(&format!(
                    "{{\"platform\":\"x\",\"handle\":\"b_diverjinzai{i}\",\"display_name\":\"【公式】文京区中小企業ダイバーシティ人材採用促進事業\",\"avatar\":\"avatars/copy.png\"}}\n"
                ));
            } else {
                lines.push_str(&format!(
                    "{{\"platform\":\"x\",\"handle\":\"tanaka_{i}\",\"display_name\":\"田中{i}\"}}\n"
                ));
            }
        }
        std::fs::write(root.join("candidates.jsonl"), lines).unwrap();
        City { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn db(&self) -> PathBuf {
        self.path().join("narisumashi.db")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("narisumashi").unwrap();
        c.current_dir(self.path())
            .env("NARISUMASHI_CONFIG", self.path().join("narisumashi.toml"))
            .env("NARISUMASHI_NO_PROGRESS", "1")
            .env_remove("NARISUMASHI_LOG");
        c
    }

    fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("narisumashi"));
        c.current_dir(self.path())
            .env("NARISUMASHI_CONFIG", self.path().join("narisumashi.toml"))
            .env("NARISUMASHI_NO_PROGRESS", "1")
            .env_remove("NARISUMASHI_LOG")
            .args(args);
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert!(
            code == 0 || code == 5,
            "{args:?} exited {code}: {out}\n{err}"
        );
        out
    }

    fn suspects(&self) -> Vec<serde_json::Value> {
        serde_json::from_str::<Vec<serde_json::Value>>(&self.ok(&["suspects", "list", "--json"]))
            .unwrap()
    }

    fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }
}

/// True when this process can write into a folder it made read-only (root can).
fn permissions_bind_us() -> bool {
    let d = tempfile::tempdir().unwrap();
    let probe = d.path().join("sub");
    std::fs::create_dir(&probe).unwrap();
    set_mode(&probe, 0o555);
    let can = std::fs::write(probe.join("x"), b"x").is_ok();
    set_mode(&probe, 0o755);
    !can
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

// --- Set-up -------------------------------------------------------------------------------

#[test]
fn init_writes_a_starter_that_passes_config_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city");
    let run = |args: &[&str]| {
        Command::cargo_bin("narisumashi")
            .unwrap()
            .current_dir(dir.path())
            .env_remove("NARISUMASHI_CONFIG")
            .args(args)
            .output()
            .unwrap()
    };
    // No config yet: the message says where it looked and how to point at one.
    let out = run(&["suspects", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for what in [
        "narisumashi.toml",
        "--config",
        "NARISUMASHI_CONFIG",
        "narisumashi init",
    ] {
        assert!(err.contains(what), "{what} missing from: {err}");
    }
    assert!(run(&["init", city.to_str().unwrap()]).status.success());
    let config = city.join("narisumashi.toml");
    let out = run(&["--config", config.to_str().unwrap(), "config", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The starter scans as it is.
    let out = run(&["--config", config.to_str().unwrap(), "scan", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&config, "# mine\n").unwrap();
    let out = run(&["init", city.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "# mine\n");
}

#[test]
fn config_check_reports_every_problem_at_once_and_exits_2() {
    let city = City::new(3, "[network]\navatar_concurrency = 1000\n");
    let text = std::fs::read_to_string(city.path().join("narisumashi.toml")).unwrap();
    let text = text
        .replace("handle = \"b_diverjinzai\"", "handle = \"@b_diverjinzai\"")
        .replace("https://www.city.bunkyo.lg.jp/", "www.city.bunkyo.lg.jp")
        .replace(
            "review_dir = \"review\"",
            "review_dir = \"public/internal\"",
        );
    std::fs::write(city.path().join("narisumashi.toml"), text).unwrap();
    let (code, out, _) = city.run(&["config", "check"]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines.iter().all(|l| l.contains("narisumashi.toml:")),
        "{out}"
    );
    // A scan refuses the out-of-range number instead of clamping it.
    let (code, _, err) = city.run(&["scan"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("avatar_concurrency = 1000"), "{err}");
}

#[test]
fn platform_names_are_spelled_one_way_everywhere() {
    let city = City::new(0, "");
    let text = std::fs::read_to_string(city.path().join("narisumashi.toml")).unwrap();
    std::fs::write(
        city.path().join("narisumashi.toml"),
        text.replace("platform = \"x\"", "platform = \"Twitter\""),
    )
    .unwrap();
    std::fs::write(
        city.path().join("candidates.jsonl"),
        "{\"platform\":\"TWITTER\",\"handle\":\"b_diverjlnzai\",\"display_name\":\"文京区中小企業ダイバーシティ人材採用促進事業\"}\n",
    )
    .unwrap();
    let (code, _, err) = city.run(&["config", "check"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(city.suspects().len(), 0);
    city.ok(&["scan"]);
    assert_eq!(city.suspects()[0]["platform"], "x");
    let (code, out, _) = city.run(&[
        "check",
        "@b_diverjlnzai",
        "--platform",
        "Twitter",
        "--display-name",
        "文京区中小企業ダイバーシティ人材採用促進事業",
    ]);
    assert_eq!(code, 3, "{out}");
}

// --- One scan at a time, locked and full databases -----------------------------------------

#[test]
fn a_second_scan_exits_at_once_naming_the_running_one() {
    let city = City::new(5, "");
    let lock = narisumashi::scan_lock::acquire(&city.db(), "2026-12-01T00:00:00Z").unwrap();
    let (code, out, err) = city.run(&["scan"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    assert!(err.contains("scan-lock"), "{err}");
    assert!(!city.db().exists() || city.suspects().is_empty());
    drop(lock);
    city.ok(&["scan"]);
    assert!(!city.suspects().is_empty());
}

/// Runs a scan while another connection holds the write lock, releasing it after a while.
fn scan_under_lock(city: &City, release_after: Option<Duration>) -> std::process::Output {
    narisumashi::store::Store::open(&city.db()).unwrap();
    let holder = city.conn();
    holder.execute_batch("BEGIN IMMEDIATE; INSERT INTO privacy_log (at, actor, action, detail) VALUES ('t', 'test', 'hold', 'x');").unwrap();
    let child = city
        .std_cmd(&["scan", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    match release_after {
        Some(d) => {
            std::thread::sleep(d);
            holder.execute_batch("COMMIT").unwrap();
            child.wait_with_output().unwrap()
        }
        None => {
            let out = child.wait_with_output().unwrap();
            holder.execute_batch("ROLLBACK").unwrap();
            out
        }
    }
}

#[test]
fn a_scan_waits_for_a_locked_database_and_loses_nothing() {
    let reference = City::new(60, "");
    let expected: serde_json::Value =
        serde_json::from_str(&reference.ok(&["scan", "--json"])).unwrap();
    let city = City::new(60, "[storage]\nbusy_timeout_secs = 120\n");
    let out = scan_under_lock(&city, Some(Duration::from_millis(1500)));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = |v: &serde_json::Value| {
        let mut s: Vec<String> = v["suspects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| format!("{} {} {}", s["handle"], s["score"], s["signals"]["avatar"]))
            .collect();
        s.sort();
        s
    };
    assert_eq!(key(&got), key(&expected));
    assert!(
        key(&got).iter().all(|s| !s.ends_with("null")),
        "every avatar compared"
    );
}

#[test]
fn a_database_locked_beyond_the_busy_timeout_fails_with_1_naming_it() {
    let city = City::new(5, "[storage]\nbusy_timeout_secs = 1\n");
    let out = scan_under_lock(&city, None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&city.db().display().to_string()), "{err}");
    assert!(err.contains("locked"), "{err}");
    assert_eq!(integrity(&city.db()), "ok");
}

#[test]
fn a_full_database_fails_cleanly_and_keeps_what_it_had() {
    use narisumashi::model::{Assessment, Candidate, Platform, Profile, Signals, VerdictKind};
    use narisumashi::store::{Observation, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let mut store = Store::open(&db).unwrap();
    let cand = |h: String| Candidate {
        platform: Platform::X,
        source: "t".into(),
        profile: Profile {
            platform: Some(Platform::X),
            handle: h,
            bio: Some("文京区".repeat(600)),
            ..Profile::default()
        },
    };
    let a = Assessment {
        verdict: VerdictKind::Suspect,
        score: 0.9,
        matched: None,
        signals: Signals::default(),
        reasons: vec![],
        reason_codes: vec![],
    };
    let first = [cand("first_one".into())];
    let obs: Vec<Observation> = first
        .iter()
        .map(|c| Observation {
            candidate: c,
            assessment: &a,
            avatar: None,
            avatar_bytes: None,
        })
        .collect();
    store.record_scan("t", "t", 1, &obs, &[]).unwrap();
    // Disk full, simulated: the database may not grow beyond its current size.
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .connection()
        .query_row(
            &format!("PRAGMA max_page_count = {}", pages + 2),
            [],
            |_| Ok(()),
        )
        .unwrap();
    let many: Vec<Candidate> = (0..300).map(|i| cand(format!("big_{i}"))).collect();
    let obs: Vec<Observation> = many
        .iter()
        .map(|c| Observation {
            candidate: c,
            assessment: &a,
            avatar: None,
            avatar_bytes: None,
        })
        .collect();
    let Err(e) = store.record_scan("t2", "t2", 300, &obs, &[]) else {
        panic!("a full database accepted the scan");
    };
    assert_eq!(
        narisumashi::errors::kind(&e),
        narisumashi::errors::Kind::Runtime
    );
    assert!(format!("{e:#}").contains("full"), "{e:#}");
    assert_eq!(
        store.suspects(None).unwrap().len(),
        1,
        "nothing half-written"
    );
    assert_eq!(store.scan_count().unwrap(), 1);
    drop(store);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn confirm_and_dismiss_at_the_same_moment_never_both_apply_to_new() {
    let city = City::new(60, "");
    city.ok(&["scan"]);
    let ids: Vec<String> = city
        .suspects()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    assert!(ids.len() >= 5);
    for id in &ids {
        let a = city.std_cmd(&["suspects", "confirm", id]).output();
        let b = city.std_cmd(&["suspects", "dismiss", id]).output();
        let _ = (a, b);
    }
    // Run the pairs truly at once as well.
    let city = City::new(60, "");
    city.ok(&["scan"]);
    let ids: Vec<String> = city
        .suspects()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    for id in &ids {
        let a = city
            .std_cmd(&["suspects", "confirm", id])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let b = city
            .std_cmd(&["suspects", "dismiss", id])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = (a.status.code().unwrap(), b.status.code().unwrap());
        assert!(matches!(codes, (0, 2) | (2, 0) | (0, 0)), "{codes:?}");
        let from_new: i64 = city
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM suspect_events WHERE suspect_id = ?1 AND from_status = 'new'",
                [id.parse::<i64>().unwrap()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(from_new, 1, "suspect {id}: exactly one decision on `new`");
    }
}

// --- Read-only and misplaced locations ------------------------------------------------------

#[test]
fn read_commands_work_on_a_read_only_database() {
    let city = City::new(30, "");
    city.ok(&["scan"]);
    let id = city.suspects()[0]["id"].to_string();
    city.ok(&["suspects", "confirm", &id]);
    let before = city.suspects();
    let ro = city.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::rename(city.db(), ro.join("narisumashi.db")).unwrap();
    let text = std::fs::read_to_string(city.path().join("narisumashi.toml")).unwrap();
    std::fs::write(
        city.path().join("narisumashi.toml"),
        text.replace(
            "[publish]",
            "[storage]\ndatabase = \"ro/narisumashi.db\"\nbusy_timeout_secs = 1\n\n[publish]",
        ),
    )
    .unwrap();
    set_mode(&ro.join("narisumashi.db"), 0o444);
    set_mode(&ro, 0o555);
    let binding = permissions_bind_us();
    assert_eq!(city.suspects(), before);
    city.ok(&["suspects", "show", &id]);
    city.ok(&["report", &id]);
    city.ok(&["publish"]);
    city.ok(&["suspects", "export", "--csv", "out.csv"]);
    city.ok(&["export", "x", "b_diverjinzai0"]);
    let out = city.path().join("copy.db");
    city.ok(&["backup", out.to_str().unwrap()]);
    if binding {
        // Writing is refused with the database named, exit 1 (runtime, not usage).
        let (code, _, err) =
            city.run(&["suspects", "dismiss", &city.suspects()[1]["id"].to_string()]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("narisumashi.db"), "{err}");
    } else {
        eprintln!("running as root: read-only permissions do not bind, write refusal not checked");
    }
    set_mode(&ro, 0o755);
    set_mode(&ro.join("narisumashi.db"), 0o644);
}

#[test]
fn misplaced_folders_fail_with_1_naming_the_path_and_leave_pages_as_they_were() {
    let city = City::new(20, "");
    city.ok(&["scan"]);
    city.ok(&["suspects", "confirm", &city.suspects()[0]["id"].to_string()]);
    city.ok(&["publish"]);
    let notice = city.path().join("public/notice.html");
    let before = std::fs::read(&notice).unwrap();
    city.ok(&["suspects", "confirm", &city.suspects()[1]["id"].to_string()]);
    // The review folder is a file: nothing is replaced, not even the public pages.
    std::fs::write(city.path().join("review-file"), b"x").unwrap();
    let (code, _, err) = city.run(&["publish", "--review-out", "review-file"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("review-file"), "{err}");
    assert_eq!(std::fs::read(&notice).unwrap(), before);
    // The public folder is a file.
    let (code, _, err) = city.run(&["publish", "--out", "review-file"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("review-file"), "{err}");
    // A review folder inside the public folder is refused.
    let (code, _, err) = city.run(&["publish", "--review-out", "public/internal"]);
    assert_eq!(code, 1, "{err}");
    assert!(!city.path().join("public/internal/review.html").exists());
    // The database's folder is a file.
    let text = std::fs::read_to_string(city.path().join("narisumashi.toml")).unwrap();
    std::fs::write(
        city.path().join("narisumashi.toml"),
        text.replace(
            "[publish]",
            "[storage]\ndatabase = \"review-file/n.db\"\n\n[publish]",
        ),
    )
    .unwrap();
    let (code, _, err) = city.run(&["scan"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("review-file/n.db"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(city.path().join("public"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_closed_pipe_ends_quietly_not_with_a_panic() {
    let city = City::new(200, "");
    for args in [
        &["scan"][..],
        &["suspects", "list"][..],
        &["scan", "--json"][..],
    ] {
        let mut child = city
            .std_cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
    assert!(city.suspects().len() >= 20, "the scans were recorded");
}

// --- Cron output ---------------------------------------------------------------------------

#[test]
fn cron_output_is_silent_unless_something_happened() {
    let city = City::new(30, "");
    let first = city.ok(&["scan"]);
    assert!(
        first.starts_with("narisumashi scan 1: 3 new suspect(s)"),
        "{first}"
    );
    assert!(first.contains("NEW x @b_diverjinzai0 score"), "{first}");
    let second = city.ok(&["scan"]);
    assert_eq!(second, "", "nothing new: nothing printed");
    // A confirmed impostor changes its display name: reported once.
    let id = city.suspects()[0]["id"].to_string();
    city.ok(&["suspects", "confirm", &id]);
    let handle = city.suspects()[0]["handle"].as_str().unwrap().to_string();
    let text = std::fs::read_to_string(city.path().join("candidates.jsonl")).unwrap();
    let changed = text.replace(
        &format!("\"handle\":\"{handle}\",\"display_name\":\"【公式】"),
        &format!("\"handle\":\"{handle}\",\"display_name\":\"【公式アカウント】"),
    );
    assert_ne!(changed, text);
    std::fs::write(city.path().join("candidates.jsonl"), changed).unwrap();
    let third = city.ok(&["scan"]);
    assert!(
        third.contains(&format!("CHANGED suspect {id} (confirmed) x @{handle}")),
        "{third}"
    );
    assert_eq!(city.ok(&["scan"]), "");
    // --quiet prints nothing even when something is new; the opt-in exit code tells.
    std::fs::write(
        city.path().join("candidates.jsonl"),
        "{\"platform\":\"x\",\"handle\":\"b_diverjinza1\",\"display_name\":\"文京区中小企業ダイバーシティ人材採用促進事業\"}\n",
    )
    .unwrap();
    let (code, out, _) = city.run(&["scan", "--quiet", "--exit-new-suspects"]);
    assert_eq!((code, out.as_str()), (7, ""));
    let (code, _, _) = city.run(&["scan", "--exit-new-suspects"]);
    assert_eq!(code, 0, "not new any more");
    // -v traces to stderr and a log file.
    let log = city.path().join("scan.log");
    let (_, _, err) = city.run(&["-vv", "--log-file", log.to_str().unwrap(), "scan"]);
    assert!(
        err.contains("DEBUG") && err.contains("scan recorded"),
        "{err}"
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("scan recorded") && !logged.contains('\u{1b}'),
        "{logged}"
    );
}

// --- kill -9 ---------------------------------------------------------------------------------

/// Starts the command, kills it with SIGKILL after `delay`, and reaps it.
fn kill_after(city: &City, args: &[&str], delay: Duration) {
    let mut child = city
        .std_cmd(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

fn status_of(city: &City) -> Vec<(i64, String)> {
    let c = city.conn();
    let mut st = c
        .prepare("SELECT id, status FROM suspects ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// How many kill points per command (more with NARISUMASHI_KILL_POINTS, for the notes).
fn kill_points() -> u32 {
    std::env::var("NARISUMASHI_KILL_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8)
}

#[test]
fn kill_9_at_many_points_loses_nothing() {
    let city = City::new(10 * (kill_points() as usize + 3), "");
    city.ok(&["scan"]);
    let ids: Vec<String> = city
        .suspects()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    for id in &ids[..3] {
        city.ok(&["suspects", "confirm", id]);
    }
    city.ok(&["publish"]);
    let confirmed = |c: &City| -> Vec<i64> {
        status_of(c)
            .into_iter()
            .filter(|(_, s)| s == "confirmed")
            .map(|(i, _)| i)
            .collect()
    };
    let before = confirmed(&city);
    assert_eq!(before.len(), 3);
    let points = kill_points();
    // The time one run takes sets where the kill points fall (not asserted on).
    let time = |args: &[&str]| {
        let t = std::time::Instant::now();
        city.ok(args);
        t.elapsed()
    };
    let scan_t = time(&["scan"]);
    let publish_t = time(&["publish"]);
    for i in 0..points {
        let d = scan_t.mul_f64(i as f64 / points as f64);
        kill_after(&city, &["scan"], d);
        assert_eq!(integrity(&city.db()), "ok", "scan killed after {d:?}");
        assert_eq!(confirmed(&city), before, "scan killed after {d:?}");
    }
    for i in 0..points {
        let d = publish_t.mul_f64(i as f64 / points as f64);
        kill_after(&city, &["publish"], d);
        for page in ["notice.html", "official-accounts.html", "notice.en.html"] {
            let html = std::fs::read_to_string(city.path().join("public").join(page)).unwrap();
            assert!(
                html.trim_end().ends_with("</html>"),
                "{page} half-written after {d:?}"
            );
        }
        let review = std::fs::read_to_string(city.path().join("review/review.html")).unwrap();
        assert!(review.trim_end().ends_with("</html>"));
    }
    // Review commands killed while they run: the status and its audit entry land together.
    for (i, id) in ids.iter().skip(3).take(points as usize).enumerate() {
        let d = Duration::from_millis(2 * i as u64);
        kill_after(&city, &["suspects", "dismiss", id], d);
        assert_eq!(integrity(&city.db()), "ok");
        let (status, events): (String, i64) = city
            .conn()
            .query_row(
                "SELECT status, (SELECT COUNT(*) FROM suspect_events e WHERE e.suspect_id = s.id AND e.to_status = 'dismissed') FROM suspects s WHERE id = ?1",
                [id.parse::<i64>().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            status == "dismissed",
            events == 1,
            "suspect {id}: {status} with {events} entries"
        );
    }
    assert_eq!(confirmed(&city), before);
    // Temporary files a killed publish left are cleaned once they are old.
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    for dir in ["public", "review"] {
        for e in std::fs::read_dir(city.path().join(dir)).unwrap().flatten() {
            if e.file_name().to_string_lossy().ends_with(".tmp") {
                std::fs::File::options()
                    .write(true)
                    .open(e.path())
                    .unwrap()
                    .set_modified(old)
                    .unwrap();
            }
        }
    }
    city.ok(&["publish"]);
    for dir in ["public", "review"] {
        let tmp = std::fs::read_dir(city.path().join(dir))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(tmp, 0, "{dir}");
    }
    // The database still works for every command.
    city.ok(&["scan"]);
    assert_eq!(confirmed(&city), before);
}

// --- Files and secrets -----------------------------------------------------------------------

#[test]
fn files_with_other_peoples_data_are_owner_only_whatever_the_umask() {
    let city = City::new(20, "");
    let sh = |cmd: &str| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 000; exec \"$0\" {cmd}"))
            .arg(assert_cmd::cargo::cargo_bin("narisumashi"))
            .current_dir(city.path())
            .env("NARISUMASHI_CONFIG", city.path().join("narisumashi.toml"))
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0) | Some(5)),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    sh("--log-file scan.log scan");
    sh("suspects confirm 1");
    sh("publish");
    sh("suspects export --csv suspects.csv");
    sh("backup backup.db");
    let p = city.path();
    for f in [
        "narisumashi.db",
        "scan.log",
        "review/review.html",
        "suspects.csv",
        "backup.db",
    ] {
        assert_eq!(mode(&p.join(f)), 0o600, "{f}");
    }
    assert_eq!(mode(&p.join("review")), 0o700);
    for f in [
        "public/notice.html",
        "public/official-accounts.html",
        "public/notice-fragment.en.html",
    ] {
        assert_eq!(mode(&p.join(f)), 0o644, "{f}");
    }
    assert_eq!(mode(&p.join("public")), 0o755);
}

fn grep_tree(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            hits.extend(grep_tree(&p, needle));
        } else if let Ok(bytes) = std::fs::read(&p) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(p);
            }
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_never_reaches_the_database_logs_pages_or_exports() {
    const TOKEN: &str = "tok-7f3a9c-never-write-me";
    let fake = start(
        Kind::X,
        vec![
            account(
                "b_diverjinzai",
                "文京区中小企業ダイバーシティ人材採用促進事業",
                Some("logo.png"),
            ),
            account(
                "b_diverjnzai",
                "文京区中小企業ダイバーシティ人材採用促進事業",
                Some("logo.png"),
            ),
        ],
        Some(TOKEN),
    )
    .await;
    let city = City::new(
        10,
        &format!(
            "\n[network]\nallow_private_addresses = true\n\n[[source]]\nkind = \"x\"\nbase_url = \"{}\"\ntoken_env = \"OPS_TEST_X_TOKEN\"\nretries = 0\nbackoff_ms = 1\n",
            fake.uri()
        ),
    );
    let city = std::sync::Arc::new(city);
    let c = city.clone();
    let outputs = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        for args in [
            &["-vv", "--log-file", "scan.log", "scan"][..],
            &["-vv", "sources", "check"][..],
            &["-vv", "check", "@b_diverjnzai", "--platform", "x"][..],
            &["suspects", "list"][..],
            &["publish"][..],
            &["suspects", "export", "--csv", "s.csv"][..],
            &["backup", "b.db"][..],
            &["export", "x", "b_diverjnzai"][..],
        ] {
            let out = c
                .cmd()
                .env("OPS_TEST_X_TOKEN", TOKEN)
                .args(args)
                .output()
                .unwrap();
            all.push((args.join(" "), out));
        }
        all
    })
    .await
    .unwrap();
    let suspects = city.suspects();
    assert!(
        suspects.iter().any(|s| s["handle"] == "b_diverjnzai"),
        "the X source worked: {suspects:?} {:?}",
        String::from_utf8_lossy(&outputs[0].1.stderr)
    );
    for (args, out) in &outputs {
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
                "{args} printed the token"
            );
        }
    }
    let hits = grep_tree(city.path(), TOKEN.as_bytes());
    assert!(hits.is_empty(), "token found in {hits:?}");
}

// --- Sources failing every way ----------------------------------------------------------------

fn source_config(kind: Kind, uri: &str) -> Config {
    let (k, extra) = match kind {
        Kind::X => ("x", "token_env = \"OPS_FAIL_TOKEN\"\n"),
        Kind::Bluesky => ("bluesky", ""),
        Kind::Mastodon => ("mastodon", "instance = \"https://mstdn.example\"\n"),
        Kind::Misskey => ("misskey", "instance = \"https://misskey.example\"\n"),
    };
    let text = format!(
        "[organization]\nname = \"文京区\"\ndepartment = \"課\"\nwebsite = \"https://www.city.bunkyo.lg.jp/\"\n\n[network]\nallow_private_addresses = true\nrequest_timeout_secs = 5\n\n[[official]]\nplatform = \"{k}\"\nhandle = \"{}\"\ndisplay_name = \"文京区\"\nurl = \"https://example.jp/\"\n\n[[source]]\nkind = \"{k}\"\nbase_url = \"{uri}\"\n{extra}retries = 1\nbackoff_ms = 1\nmax_wait_secs = 0.01\nmax_variants = 3\nmax_results = 5\n",
        if kind == Kind::Bluesky { "bunkyo.bsky.social" } else { "bunkyo_city" }
    );
    Config::parse(&text, Path::new(".")).unwrap()
}

fn handle_for(kind: Kind) -> &'static str {
    if kind == Kind::Bluesky {
        "bunkyo-clty.bsky.social"
    } else {
        "bunkyo_clty"
    }
}

fn platform_of(kind: Kind) -> narisumashi::model::Platform {
    use narisumashi::model::Platform;
    match kind {
        Kind::X => Platform::X,
        Kind::Bluesky => Platform::Bluesky,
        Kind::Mastodon => Platform::Mastodon,
        Kind::Misskey => Platform::Misskey,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_source_failing_every_way_is_unknown_never_gone() {
    std::env::set_var("OPS_FAIL_TOKEN", "t");
    let failures: Vec<(&str, ResponseTemplate)> = vec![
        (
            "429 forever",
            ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        ),
        (
            "500",
            ResponseTemplate::new(500).set_body_raw("oops", "text/plain"),
        ),
        (
            "truncated JSON",
            ResponseTemplate::new(200).set_body_raw("{\"data\": [{\"id\": \"1", "application/json"),
        ),
        (
            "malformed JSON",
            ResponseTemplate::new(200).set_body_raw("{]", "application/json"),
        ),
        (
            "wrong content type",
            ResponseTemplate::new(200).set_body_raw("<html><body>login</body></html>", "text/html"),
        ),
        (
            "timeout",
            ResponseTemplate::new(200).set_delay(Duration::from_secs(8)),
        ),
    ];
    let mut tried = 0;
    for kind in [Kind::X, Kind::Bluesky, Kind::Mastodon, Kind::Misskey] {
        for (what, template) in &failures {
            let fake = start(kind, vec![], None).await;
            Mock::given(path_regex("^/"))
                .respond_with(template.clone())
                .with_priority(1)
                .mount(&fake.server)
                .await;
            let cfg = source_config(kind, &fake.uri());
            let client = if *what == "timeout" {
                reqwest::Client::builder()
                    .timeout(Duration::from_millis(200))
                    .build()
                    .unwrap()
            } else {
                narisumashi::http::client(&cfg.network)
            };
            let src = sources::build_one(&cfg, &cfg.source[0], &client).unwrap();
            match src.lookup(platform_of(kind), handle_for(kind)).await {
                Lookup::Unknown(_) => {}
                other => panic!("{kind:?} {what}: {other:?}"),
            }
            let plan = DiscoveryPlan {
                officials: cfg.official.clone(),
                organization: "文京区".into(),
            };
            let d = src.discover(&plan).await;
            assert!(d.candidates.is_empty(), "{kind:?} {what}");
            assert!(
                !d.errors.is_empty(),
                "{kind:?} {what}: failure not reported"
            );
            tried += 1;
        }
        // Refused connection: nothing listens on the port.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cfg = source_config(kind, &format!("http://127.0.0.1:{port}"));
        let src = sources::build_one(
            &cfg,
            &cfg.source[0],
            &narisumashi::http::client(&cfg.network),
        )
        .unwrap();
        assert!(
            matches!(
                src.lookup(platform_of(kind), handle_for(kind)).await,
                Lookup::Unknown(_)
            ),
            "{kind:?} refused"
        );
        tried += 1;
    }
    assert_eq!(tried, 28);
}

// --- Hostile answers ----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_path_in_a_platform_answer_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.png");
    std::fs::write(&secret, logo_png()).unwrap();
    let fake = start(Kind::Mastodon, vec![], None).await;
    let body = serde_json::json!({
        "id": "1", "username": "bunkyo_clty", "acct": "bunkyo_clty",
        "display_name": "文京区", "note": "", "url": "https://mstdn.example/@bunkyo_clty",
        "avatar": secret.display().to_string(),
        "avatar_static": format!("file://{}", secret.display()),
        "followers_count": 0, "following_count": 0, "statuses_count": 0,
        "created_at": "2026-04-30T00:00:00.000Z", "suspended": false,
    });
    for p in ["/api/v1/accounts/lookup"] {
        Mock::given(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .with_priority(1)
            .mount(&fake.server)
            .await;
    }
    let cfg = source_config(Kind::Mastodon, &fake.uri());
    let src = sources::build_one(
        &cfg,
        &cfg.source[0],
        &narisumashi::http::client(&cfg.network),
    )
    .unwrap();
    match src
        .lookup(narisumashi::model::Platform::Mastodon, "bunkyo_clty")
        .await
    {
        Lookup::Found(p) => assert_eq!(p.avatar, None, "{p:?}"),
        other => panic!("{other:?}"),
    }
    let d = src
        .discover(&DiscoveryPlan {
            officials: cfg.official.clone(),
            organization: "文京区".into(),
        })
        .await;
    assert!(d.candidates.iter().all(|c| c.profile.avatar.is_none()));
    assert!(
        d.errors.iter().any(|e| e.contains("not an http(s) URL")),
        "{:?}",
        d.errors
    );
}
