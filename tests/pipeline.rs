//! End-to-end tests of the pipeline through the real binary: config → scan → SQLite → check →
//! suspects → publish, on data made fresh in a temporary folder.

use assert_cmd::Command;
use image::{DynamicImage, Rgb, RgbImage};
use serde_json::Value;
use std::path::{Path, PathBuf};

const CONFIG: &str = r#"
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
avatar = "avatars/official.png"
operator = "区民部経済課"

[[official]]
platform = "bluesky"
handle = "bunkyo-koho.bsky.social"
display_name = "文京区広報"
url = "https://bsky.app/profile/bunkyo-koho.bsky.social"

[[source]]
kind = "file"
path = "candidates.jsonl"
"#;

/// A detailed synthetic logo: gradients and shapes, so its hash carries information.
fn logo() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        let dx = x as i32 - 100;
        let dy = y as i32 - 100;
        let ring = ((dx * dx + dy * dy) as f64).sqrt() as u32;
        if ring < 60 && (x / 20 + y / 20) % 2 == 0 {
            Rgb([200, 30 + (y as u8 / 4), 40])
        } else if ring < 80 {
            Rgb([20, 60, (x as u8).wrapping_mul(3)])
        } else {
            Rgb([(x as u8) / 2 + 100, 230, (y as u8) / 2 + 60])
        }
    }))
}

fn other_picture() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        Rgb([
            ((x * y) % 251) as u8,
            ((x + 3 * y) % 256) as u8,
            ((7 * x) % 256) as u8,
        ])
    }))
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(candidates: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("avatars")).unwrap();
        logo().save(root.join("avatars/official.png")).unwrap();
        // A low-quality, downscaled JPEG copy of the official avatar, and an unrelated picture.
        let copy = logo()
            .resize(96, 96, image::imageops::FilterType::Triangle)
            .to_rgb8();
        let mut jpeg = std::fs::File::create(root.join("avatars/copy.jpg")).unwrap();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 35)
            .encode_image(&copy)
            .unwrap();
        other_picture()
            .save(root.join("avatars/other.png"))
            .unwrap();
        std::fs::write(root.join("narisumashi.toml"), CONFIG).unwrap();
        std::fs::write(root.join("candidates.jsonl"), candidates).unwrap();
        Env { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("narisumashi").unwrap();
        c.current_dir(self.path())
            .env_remove("NARISUMASHI_CONFIG")
            .arg("--config")
            .arg(self.path().join("narisumashi.toml"));
        c
    }

    fn json(&self, args: &[&str]) -> (Value, i32) {
        let out = self.cmd().args(args).output().unwrap();
        let code = out.status.code().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let v = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {text}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, code)
    }
}

const CANDIDATES: &str = r#"{"platform":"x","handle":"b_diverjinzai","display_name":"文京区中小企業ダイバーシティ人材採用促進事業","avatar":"avatars/official.png"}
{"platform":"x","handle":"b_diverjnzai","display_name":"文京区中小企業ダイバーシティ人材採用促進事業","avatar":"avatars/copy.jpg"}
{"platform":"x","handle":"prize_gift_2026","display_name":"【公式】文京区中小企業ダイバーシティ人材採用促進事業","avatar":"avatars/copy.jpg","bio":"文京区の公式アカウントです。DMで当選連絡します"}
{"platform":"misskey","handle":"b_diverjinzai","display_name":"文京区ダイバーシティ"}
{"platform":"x","handle":"b_diverjinzai_jp","display_name":"<script>alert(1)</script>\"quoted\" \u202Eevil","bio":"公式です 文京区"}
{"platform":"x","handle":"bunkyo_ramen","display_name":"文京区のラーメン好き","avatar":"avatars/other.png","bio":"文京区のラーメンを食べ歩いています"}
{"platform":"x","handle":"bunkyo_fan","display_name":"文京区ファン（非公式）","bio":"文京区が好きな非公式ファンアカウントです"}
this line is not json
{"platform":"bluesky","handle":"bunkyo-koho.bsky.social","display_name":"文京区広報"}
"#;

fn suspect_handles(scan: &Value) -> Vec<String> {
    let mut h: Vec<String> = scan["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["handle"].as_str().unwrap().to_string())
        .collect();
    h.sort();
    h
}

#[test]
fn scan_finds_impostors_spares_innocents_and_reports_bad_lines() {
    let env = Env::new(CANDIDATES);
    let (scan, code) = env.json(&["scan", "--json"]);
    assert_eq!(code, 5, "a malformed line makes the scan partial: {scan}");
    assert_eq!(scan["candidates"], 8);
    assert!(scan["scan_id"].as_i64().unwrap() >= 1);
    assert!(scan["started_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        suspect_handles(&scan),
        [
            "b_diverjinzai",
            "b_diverjinzai_jp",
            "b_diverjnzai",
            "prize_gift_2026"
        ],
        "{scan:#}"
    );
    let errors = scan["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].as_str().unwrap().contains("line 8"), "{errors:?}");

    let typo = scan["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["handle"] == "b_diverjnzai")
        .unwrap();
    assert_eq!(typo["platform"], "x");
    assert_eq!(typo["matched"]["handle"], "b_diverjinzai");
    assert_eq!(typo["matched"]["platform"], "x");
    assert_eq!(typo["new"], true);
    let score = typo["score"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&score));
    for signal in ["handle", "display_name", "avatar"] {
        let v = typo["signals"][signal]
            .as_f64()
            .unwrap_or_else(|| panic!("{signal} missing: {typo}"));
        assert!((0.0..=1.0).contains(&v));
    }
    let reasons = typo["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r
            .as_str()
            .unwrap()
            .contains("avatar matches @b_diverjinzai")),
        "{reasons:?}"
    );

    // The cross-platform clone carries no avatar: its avatar signal is null.
    let clone = scan["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["platform"] == "misskey")
        .unwrap();
    assert!(clone["signals"]["avatar"].is_null());
}

#[test]
fn second_scan_adds_no_duplicates_and_marks_nothing_new() {
    let env = Env::new(CANDIDATES);
    let (first, _) = env.json(&["scan", "--json"]);
    let (second, _) = env.json(&["scan", "--json"]);
    assert_eq!(suspect_handles(&first), suspect_handles(&second));
    assert!(second["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["new"] == false));
    assert!(second["scan_id"].as_i64() > first["scan_id"].as_i64());

    let (list, code) = env.json(&["suspects", "list", "--json"]);
    assert_eq!(code, 0);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4, "one row per platform+handle: {list:?}");
    for s in list {
        for key in [
            "id",
            "platform",
            "handle",
            "display_name",
            "status",
            "score",
            "matched",
            "first_seen",
            "last_seen",
        ] {
            assert!(s.get(key).is_some(), "{key} missing in {s}");
        }
        assert_eq!(s["status"], "new");
    }

    // The database itself: one suspect row each, two scans, observations for both.
    let db = rusqlite::Connection::open(env.path().join("narisumashi.db")).unwrap();
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM scans"), 2);
    assert_eq!(count("SELECT COUNT(*) FROM suspects"), 4);
    assert_eq!(count("SELECT COUNT(*) FROM observations"), 16);
    // Official and candidate avatars are hashed once, cached by content (3 distinct images).
    assert_eq!(count("SELECT COUNT(*) FROM avatar_hashes"), 3);
}

#[test]
fn check_gives_verdicts_and_exit_codes() {
    let env = Env::new(CANDIDATES);
    let (v, code) = env.json(&["check", "@b_diverjinzai", "--json"]);
    assert_eq!(
        (v["verdict"].as_str().unwrap(), code),
        ("official", 0),
        "{v}"
    );

    let (v, code) = env.json(&["check", "@b_diverjnzai", "--json"]);
    assert_eq!(
        (v["verdict"].as_str().unwrap(), code),
        ("suspect", 3),
        "{v}"
    );
    assert_eq!(v["platform"], "x");
    assert_eq!(v["matched"]["handle"], "b_diverjinzai");
    assert!(
        v["signals"]["avatar"].as_f64().unwrap() > 0.8,
        "looked up through the file source: {v}"
    );

    let (v, code) = env.json(&["check", "bunkyo_ramen", "--json"]);
    assert_eq!((v["verdict"].as_str().unwrap(), code), ("clear", 0), "{v}");

    let (v, code) = env.json(&["check", "@nobody_here_at_all", "--json"]);
    assert_eq!(
        (v["verdict"].as_str().unwrap(), code),
        ("not_found", 4),
        "{v}"
    );

    // Profile given on the command line: no lookup.
    let (v, code) = env.json(&[
        "check",
        "@random_person",
        "--platform",
        "instagram",
        "--display-name",
        "【公式】文京区中小企業ダイバーシティ人材採用促進事業",
        "--bio",
        "文京区の公式アカウントです",
        "--json",
    ]);
    assert_eq!(
        (v["verdict"].as_str().unwrap(), code),
        ("suspect", 3),
        "{v}"
    );
    assert_eq!(v["platform"], "instagram");
    let avatar = env.path().join("avatars/copy.jpg");
    let (v, _) = env.json(&[
        "check",
        "@someone",
        "--avatar",
        avatar.to_str().unwrap(),
        "--json",
    ]);
    assert!(v["signals"]["avatar"].as_f64().unwrap() > 0.8, "{v}");
    assert!(
        v["reasons"]
            .to_string()
            .contains("avatar matches @b_diverjinzai"),
        "{v}"
    );
}

fn publish(env: &Env) -> (String, String) {
    let out: PathBuf = env.path().join("out");
    env.cmd()
        .args(["publish", "--out"])
        .arg(&out)
        .assert()
        .success();
    (
        std::fs::read_to_string(out.join("notice.html")).unwrap(),
        std::fs::read_to_string(out.join("official-accounts.html")).unwrap(),
    )
}

#[test]
fn publish_shows_only_confirmed_impostors_escaped() {
    let env = Env::new(CANDIDATES);
    env.json(&["scan", "--json"]);
    let (notice, _) = publish(&env);
    assert!(notice.contains("なりすましアカウントにご注意ください"));
    assert!(notice.contains("<html lang=\"ja\">"));
    assert!(
        !notice.contains("b_diverjnzai"),
        "unconfirmed suspects never appear"
    );
    assert!(notice.contains("なりすましたアカウントは確認されていません"));

    let (list, _) = env.json(&["suspects", "list", "--json"]);
    let id_of = |h: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["handle"] == h)
            .unwrap()["id"]
            .to_string()
    };
    env.cmd()
        .args([
            "suspects",
            "confirm",
            &id_of("b_diverjinzai_jp"),
            "--note",
            "課長承認",
            "--by",
            "tanaka",
        ])
        .assert()
        .success();
    env.cmd()
        .args(["suspects", "confirm", &id_of("b_diverjnzai")])
        .assert()
        .success();
    env.cmd()
        .args(["suspects", "dismiss", &id_of("prize_gift_2026")])
        .assert()
        .success();
    // A dismissed suspect cannot be dismissed again.
    let out = env
        .cmd()
        .args(["suspects", "dismiss", &id_of("prize_gift_2026")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");

    // Not public before the approver's 決裁.
    let (notice, _) = publish(&env);
    assert!(!notice.contains("b_diverjnzai"), "awaiting approval");
    for h in ["b_diverjinzai_jp", "b_diverjnzai"] {
        env.cmd()
            .args(["suspects", "approve", &id_of(h), "--by", "kacho"])
            .assert()
            .success();
    }
    let (notice, official2) = publish(&env);
    assert!(notice.contains("@b_diverjnzai"));
    assert!(!notice.contains("prize_gift_2026"));
    assert!(
        !notice.contains("<script>alert(1)</script>"),
        "display names are escaped"
    );
    assert!(
        notice.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || notice.contains("&lt;script&gt;")
    );
    assert!(!notice.to_lowercase().contains("<script"));
    assert!(notice.contains("&#34;quoted&#34;") || notice.contains("&quot;quoted&quot;"));
    assert!(
        notice.contains("&#60;U+202E&#62;evil"),
        "bidi controls are shown, not applied"
    );
    assert!(!notice.contains('\u{202E}'));
    assert!(regex_like_era_date(&notice), "date in the era form");
    assert!(notice.contains("official-accounts.html"));
    assert!(official2.contains("https://x.com/b_diverjinzai"));
    assert!(official2.contains("区民部経済課"));
    assert!(official2.contains("<html lang=\"ja\">"));
    assert!(!official2.to_lowercase().contains("<script"));
}

fn regex_like_era_date(s: &str) -> bool {
    s.match_indices("令和").any(|(i, _)| {
        let rest = &s[i + "令和".len()..];
        let year: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '元')
            .collect();
        !year.is_empty()
            && rest[year.len()..].starts_with('年')
            && rest.contains('月')
            && rest.contains('日')
    })
}

#[test]
fn config_errors_exit_2_with_one_line() {
    let env = Env::new(CANDIDATES);
    std::fs::write(env.path().join("bad.toml"), "[organization]\nname = 1\n").unwrap();
    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .args(["--config"])
        .arg(env.path().join("bad.toml"))
        .arg("scan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("narisumashi: "), "{err}");

    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .env("NARISUMASHI_CONFIG", env.path().join("missing.toml"))
        .arg("scan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_env_var_and_relative_paths() {
    let env = Env::new(CANDIDATES);
    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(std::env::temp_dir())
        .env("NARISUMASHI_CONFIG", env.path().join("narisumashi.toml"))
        .args(["scan", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["candidates"], 8,
        "paths resolve against the config's folder"
    );
    assert!(env.path().join("narisumashi.db").exists());
}
