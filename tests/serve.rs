//! `narisumashi serve` driven over HTTP on 127.0.0.1 (issue 11): the real binary is started
//! on a free port against a fresh temp folder (config, candidates, avatars, scanned database,
//! users added through `narisumashi users`), and reqwest plays the browser, cookies and all.
//! Login, logout, throttling, expiry, every action under the logged-in name, every role and
//! CSRF refusal, the avatars from the database, publishing, escaping and the headers.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const CONFIG: &str = r#"
[organization]
name = "文京区"
name_en = "Bunkyo City"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"

[[official]]
platform = "x"
handle = "b_diverjinzai"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/b_diverjinzai"
avatar = "official.png"

[[source]]
kind = "file"
path = "candidates.jsonl"

[publish]
out_dir = "public"
review_dir = "internal"

[serve]
login_max_failures = 3
login_lockout_minutes = 10
"#;

/// The hostile name of the render tests, as JSON text.
const HOSTILE_JSON: &str = "<script>alert(1)</script>\\\"'& \\u202Egnp.exe\\u200B 🎁 文京区";
/// How it must appear in a page: escaped by askama, hidden characters made visible.
const HOSTILE_ESCAPED: &str = "&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38; &#60;U+202E&#62;gnp.exe&#60;U+200B&#62; 🎁 文京区";

const STAFF: (&str, &str) = ("sato", "staff password 1");
const APPROVER: (&str, &str) = ("suzuki", "approver password 1");
const APPROVER2: (&str, &str) = ("takahashi", "approver password 2");

fn png(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(128, 128, |x, y| {
        let inside = (x as i32 - 64).pow(2) + (y as i32 - 64).pow(2) < 1600;
        if seed == 99 {
            image::Rgb([(x * 3) as u8, (y * 5) as u8, ((x + y) * 7) as u8])
        } else if inside {
            image::Rgb([30, 80, 160])
        } else if ((x + seed) / 16 + y / 16).is_multiple_of(2) {
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

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(extra_config: &str, extra_candidates: &[String]) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("narisumashi.toml"),
            format!("{CONFIG}{extra_config}"),
        )
        .unwrap();
        std::fs::write(dir.path().join("official.png"), png(0)).unwrap();
        std::fs::write(dir.path().join("copy.png"), png(2)).unwrap();
        std::fs::write(dir.path().join("other.png"), png(99)).unwrap();
        let mut lines = vec![
            r#"{"platform":"x","handle":"b_diverjinzal","display_name":"文京区中小企業ダイバーシティ人材採用促進事業","avatar":"copy.png","url":"https://x.com/b_diverjinzal"}"#.to_string(),
            format!(r#"{{"platform":"x","handle":"b_diverjinzai_jp","display_name":"{HOSTILE_JSON}","avatar":"other.png","bio":"{HOSTILE_JSON}"}}"#),
            r#"{"platform":"instagram","handle":"b_diverjinzai","display_name":"文京区ダイバーシティ人材","avatar":"copy.png"}"#.to_string(),
        ];
        lines.extend(extra_candidates.iter().cloned());
        std::fs::write(dir.path().join("candidates.jsonl"), lines.join("\n") + "\n").unwrap();
        let env = Env { dir };
        let out = env.cmd(&["scan"]).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 5)),
            "scan: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        env.add_user(STAFF, "staff");
        env.add_user(APPROVER, "approver");
        env.add_user(APPROVER2, "approver");
        env
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_narisumashi"));
        c.current_dir(self.dir.path())
            .env_remove("NARISUMASHI_CONFIG")
            .arg("--config")
            .arg(self.path("narisumashi.toml"))
            .args(args);
        c
    }

    /// Runs with `stdin` as standard input; returns (exit code, stdout, stderr).
    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn add_user(&self, (name, password): (&str, &str), role: &str) {
        let (code, _, err) = self.run_with_stdin(
            &["users", "add", name, "--role", role],
            &format!("{password}\n"),
        );
        assert_eq!(code, 0, "users add {name}: {err}");
    }

    fn suspects(&self) -> Vec<serde_json::Value> {
        let out = self.cmd(&["suspects", "list", "--json"]).output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn id(&self, platform: &str, handle: &str) -> i64 {
        self.suspects()
            .iter()
            .find(|s| s["handle"] == handle && s["platform"] == platform)
            .unwrap_or_else(|| panic!("no suspect {platform} {handle}"))["id"]
            .as_i64()
            .unwrap()
    }

    fn status(&self, id: i64) -> String {
        self.suspects().iter().find(|s| s["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn show(&self, id: i64) -> String {
        let out = self
            .cmd(&["suspects", "show", &id.to_string()])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path("narisumashi.db")).unwrap()
    }

    fn serve(&self) -> Server {
        let mut child = self
            .cmd(&["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Server { child, base }
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser: no automatic redirects (the tests look at each 303), one cookie.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get("location")
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    fn set_cookie(&self) -> Option<String> {
        self.headers
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string())
    }

    /// The CSRF token in the page's forms.
    fn csrf(&self) -> String {
        let start = self
            .body
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body))
            + r#"name="csrf" value=""#.len();
        self.body[start..][..self.body[start..].find('"').unwrap()].to_string()
    }
}

impl Browser {
    fn new(server: &Server) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: server.base.clone(),
            cookie: None,
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let req = match &self.cookie {
            Some(c) => req.header("cookie", c),
            None => req,
        };
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap();
        Page {
            status,
            headers,
            body,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let req = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(req).await
    }

    /// Logs in and keeps the session cookie.
    async fn login(&mut self, (user, password): (&str, &str)) -> Page {
        let page = self
            .post("/login", &[("user", user), ("password", password)])
            .await;
        assert_eq!(page.status, 303, "login {user}: {}", page.body);
        assert_eq!(page.location(), "/");
        let cookie = page.set_cookie().expect("a session cookie");
        self.cookie = Some(cookie.split(';').next().unwrap().to_string());
        page
    }

    /// The CSRF token of the session, read from a page's forms.
    async fn csrf(&mut self) -> String {
        self.get("/suspects").await.csrf()
    }

    /// Posts an action with the session's token.
    async fn act(&mut self, id: i64, action: &str, field: (&str, &str)) -> Page {
        let csrf = self.csrf().await;
        self.post(
            &format!("/suspects/{id}/{action}"),
            &[("csrf", csrf.as_str()), field],
        )
        .await
    }
}

fn assert_security_headers(p: &Page, what: &str) {
    let h = |n: &str| {
        p.headers
            .get(n)
            .unwrap_or_else(|| panic!("{what}: no {n}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = h("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "same-origin", "{what}");
}

#[tokio::test]
async fn login_logout_and_pages_without_a_session() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let mut b = Browser::new(&server);

    let health = b.get("/healthz").await;
    assert_eq!(health.status, 200);
    for path in [
        "/",
        "/suspects",
        "/suspects/1",
        "/publish",
        "/avatars/00",
        "/nothing/here",
    ] {
        let p = b.get(path).await;
        assert_eq!((p.status, p.location()), (303, "/login"), "{path}");
    }
    let p = b.post("/suspects/1/confirm", &[("csrf", "x")]).await;
    assert_eq!((p.status, p.location()), (303, "/login"));
    assert_eq!(b.get("/login").await.status, 200);

    // A wrong password: no session.
    let wrong = b
        .post(
            "/login",
            &[("user", STAFF.0), ("password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.set_cookie().is_none());
    let nobody = b
        .post("/login", &[("user", "nobody"), ("password", STAFF.1)])
        .await;
    assert_eq!(nobody.status, 401);
    assert!(nobody.set_cookie().is_none());

    let ok = b.login(STAFF).await;
    let cookie = ok.set_cookie().unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http on loopback: {cookie}"
    );
    let home = b.get("/").await;
    assert_eq!((home.status, home.location()), (303, "/suspects"));
    let list = b.get("/suspects").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("b_diverjinzal"));
    assert!(
        list.body.contains("sato"),
        "the page names who is logged in"
    );
    assert_eq!(b.get("/login").await.location(), "/");
    assert_eq!(b.get("/nothing/here").await.status, 404);

    // Logout needs the token too; then the cookie is worth nothing.
    let old_cookie = b.cookie.clone();
    assert_eq!(b.post("/logout", &[]).await.status, 403);
    let csrf = b.csrf().await;
    let out = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location()), (303, "/login"));
    assert!(out.set_cookie().unwrap().contains("Max-Age=0"));
    b.cookie = old_cookie;
    assert_eq!(b.get("/suspects").await.location(), "/login");
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_trusted_https_proxy() {
    let env = Env::new("trusted_proxies = [\"127.0.0.1\"]\n", &[]);
    let server = env.serve();
    let b = Browser::new(&server);
    let login = |proto: Option<&'static str>| {
        let mut req = b
            .http
            .post(format!("{}/login", b.base))
            .form(&[("user", STAFF.0), ("password", STAFF.1)]);
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        req.send()
    };
    let r = login(Some("https")).await.unwrap();
    assert_eq!(r.status(), 303);
    let c = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(c.contains("; Secure"), "{c}");
    let r = login(Some("http")).await.unwrap();
    let c = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(!c.contains("Secure"), "{c}");

    // Without a trusted proxy, the header is somebody else's claim and is ignored.
    let env = Env::new("", &[]);
    let server = env.serve();
    let b = Browser::new(&server);
    let r = b
        .http
        .post(format!("{}/login", b.base))
        .header("x-forwarded-proto", "https")
        .form(&[("user", STAFF.0), ("password", STAFF.1)])
        .send()
        .await
        .unwrap();
    let c = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(!c.contains("Secure"), "{c}");
}

#[tokio::test]
async fn repeated_failures_lock_the_user_name_for_a_while() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let mut b = Browser::new(&server);
    let bad = [("user", STAFF.0), ("password", "guess guess")];
    assert_eq!(b.post("/login", &bad).await.status, 401);
    assert_eq!(b.post("/login", &bad).await.status, 401);
    // login_max_failures = 3: the third failure locks the name.
    let third = b.post("/login", &bad).await;
    assert_eq!(third.status, 429);
    assert!(third.headers.contains_key("retry-after"));
    // Even the right password is refused now, and no session is made.
    let right = b
        .post("/login", &[("user", STAFF.0), ("password", STAFF.1)])
        .await;
    assert_eq!(right.status, 429);
    assert!(right.set_cookie().is_none());
    // Other names are not affected.
    b.login(APPROVER).await;
}

#[tokio::test]
async fn sessions_expire_after_inactivity() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let mut b = Browser::new(&server);
    b.login(STAFF).await;
    assert_eq!(b.get("/suspects").await.status, 200);
    // 31 minutes of silence (idle_timeout_minutes defaults to 30).
    env.db()
        .execute("UPDATE sessions SET last_seen = last_seen - 31 * 60", [])
        .unwrap();
    let p = b.get("/suspects").await;
    assert_eq!((p.status, p.location()), (303, "/login"));
    assert!(p.set_cookie().unwrap().contains("Max-Age=0"));
    let left: i64 = env
        .db()
        .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "the expired session is deleted");

    // 29 minutes is fine, and activity keeps it alive.
    b.login(STAFF).await;
    env.db()
        .execute("UPDATE sessions SET last_seen = last_seen - 29 * 60", [])
        .unwrap();
    assert_eq!(b.get("/suspects").await.status, 200);
    env.db()
        .execute("UPDATE sessions SET last_seen = last_seen - 29 * 60", [])
        .unwrap();
    assert_eq!(b.get("/suspects").await.status, 200);
}

#[tokio::test]
async fn every_action_is_recorded_under_the_logged_in_name() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let other = env.id("instagram", "b_diverjinzai");
    let mut staff = Browser::new(&server);
    staff.login(STAFF).await;

    let p = staff
        .act(id, "confirm", ("note", "公式と同じアイコン"))
        .await;
    assert_eq!(
        (p.status, p.location()),
        (303, format!("/suspects/{id}?done=confirm").as_str())
    );
    assert_eq!(env.status(id), "confirmed");
    let mut approver = Browser::new(&server);
    approver.login(APPROVER).await;
    let p = approver.act(id, "approve", ("note", "課長決裁")).await;
    assert_eq!(
        (p.status, p.location()),
        (303, format!("/suspects/{id}?done=approve").as_str())
    );
    let p = staff
        .act(id, "describe", ("text", "「当選しました」とDMを送る"))
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        staff
            .act(id, "report", ("note", "X の報告フォームから"))
            .await
            .status,
        303
    );
    assert_eq!(env.status(id), "reported");
    assert_eq!(staff.act(id, "removed", ("note", "")).await.status, 303);
    assert_eq!(env.status(id), "removed");
    assert_eq!(
        staff
            .act(other, "dismiss", ("note", "別の団体"))
            .await
            .status,
        303
    );
    assert_eq!(env.status(other), "dismissed");

    // A transition the workflow does not allow is refused and changes nothing.
    let p = staff.act(other, "report", ("note", "")).await;
    assert_eq!(p.status, 409);
    assert_eq!(env.status(other), "dismissed");
    assert_eq!(staff.act(9999, "confirm", ("note", "")).await.status, 404);
    assert_eq!(staff.act(id, "delete", ("note", "")).await.status, 404);

    // The approver withdraws (訂正); a reason is required.
    assert_eq!(
        approver.act(id, "withdraw", ("note", "  ")).await.status,
        400
    );
    assert_eq!(env.status(id), "removed");
    let p = approver
        .act(id, "withdraw", ("note", "本人の確認が取れたため"))
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(env.status(id), "withdrawn");

    let show = env.show(id);
    for line in [
        "new -> confirmed",
        "confirmed -> reported",
        "reported -> removed",
        "removed -> withdrawn",
    ] {
        let l = show
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("no {line} in {show}"));
        let who = if line.ends_with("withdrawn") {
            "suzuki"
        } else {
            "sato"
        };
        assert!(l.contains(&format!("by {who}")), "{l}");
    }
    assert!(
        show.lines()
            .any(|l| l.contains("approved") && l.contains("by suzuki") && l.contains("課長決裁")),
        "{show}"
    );
    assert!(show.contains("公式と同じアイコン"), "{show}");
    assert!(show.contains("本人の確認が取れたため"), "{show}");
    assert!(show
        .lines()
        .any(|l| l.contains("described") && l.contains("by sato")));
    assert!(env.show(other).contains("by sato  — 別の団体"));

    // The detail page shows the history with the names.
    let page = staff.get(&format!("/suspects/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("suzuki") && page.body.contains("sato"));
    assert!(page.body.contains("「当選しました」とDMを送る"));
}

#[tokio::test]
async fn staff_cannot_approve_withdraw_or_publish() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut staff = Browser::new(&server);
    staff.login(STAFF).await;
    assert_eq!(staff.act(id, "confirm", ("note", "")).await.status, 303);
    for action in ["approve", "withdraw"] {
        let p = staff.act(id, action, ("note", "理由")).await;
        assert_eq!(p.status, 403, "{action}");
    }
    assert_eq!(env.status(id), "confirmed");
    let csrf = staff.csrf().await;
    assert_eq!(staff.post("/publish", &[("csrf", &csrf)]).await.status, 403);
    assert!(!env.path("public/notice.html").exists());
    // Staff may look at what would be published.
    let p = staff.get("/publish").await;
    assert_eq!(p.status, 200);
    assert!(
        !p.body.contains("action=\"/publish\""),
        "no publish button for staff"
    );
    // The page offers staff no approver-only button.
    let detail = staff.get(&format!("/suspects/{id}")).await;
    assert!(!detail.body.contains("/withdraw\""));
}

#[tokio::test]
async fn the_confirmer_cannot_approve_or_withdraw_alone() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut confirmer = Browser::new(&server);
    confirmer.login(APPROVER2).await;
    assert_eq!(confirmer.act(id, "confirm", ("note", "")).await.status, 303);
    let p = confirmer.act(id, "approve", ("note", "")).await;
    assert_eq!(p.status, 403);
    assert!(p.body.contains("someone else must approve"), "{}", p.body);
    assert!(!env.show(id).contains("approved ("), "no approval recorded");

    let mut other = Browser::new(&server);
    other.login(APPROVER).await;
    assert_eq!(other.act(id, "approve", ("note", "")).await.status, 303);
    // Published now: withdrawing it is not for the confirmer alone either.
    let p = confirmer.act(id, "withdraw", ("note", "誤りでした")).await;
    assert_eq!(p.status, 403);
    assert_eq!(env.status(id), "confirmed");
    assert_eq!(
        other
            .act(id, "withdraw", ("note", "誤りでした"))
            .await
            .status,
        303
    );
    assert_eq!(env.status(id), "withdrawn");
}

#[tokio::test]
async fn a_post_without_the_sessions_token_is_refused() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut other = Browser::new(&server);
    other.login(APPROVER).await;
    let foreign = other.csrf().await;
    let mut b = Browser::new(&server);
    b.login(STAFF).await;
    let own = b.csrf().await;
    assert_ne!(own, foreign);
    let path = format!("/suspects/{id}/confirm");
    for form in [
        vec![],
        vec![("csrf", "")],
        vec![("csrf", "0000")],
        vec![("csrf", foreign.as_str())],
    ] {
        let p = b.post(&path, &form).await;
        assert_eq!(p.status, 403, "{form:?}");
    }
    // The right token from another site's page is refused too.
    let req = b
        .http
        .post(format!("{}{path}", b.base))
        .header("origin", "https://evil.example")
        .form(&[("csrf", own.as_str())]);
    assert_eq!(b.send(req).await.status, 403);
    let req = b
        .http
        .post(format!("{}/login", b.base))
        .header("origin", "https://evil.example")
        .form(&[("user", STAFF.0), ("password", STAFF.1)]);
    assert_eq!(b.send(req).await.status, 403);
    assert_eq!(env.status(id), "new");
    let p = b.post(&path, &[("csrf", &own)]).await;
    assert_eq!(p.status, 303);
    assert_eq!(env.status(id), "confirmed");
    // Every form of every page carries the token.
    let detail = b.get(&format!("/suspects/{id}")).await;
    let forms = detail.body.matches("<form method=\"post\"").count();
    let tokens = detail
        .body
        .matches(&format!(
            r#"<input type="hidden" name="csrf" value="{own}">"#
        ))
        .count();
    assert!(forms >= 3, "{forms}");
    assert_eq!(forms, tokens);
}

#[tokio::test]
async fn hostile_names_are_escaped_on_every_page() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let hostile = env.id("x", "b_diverjinzai_jp");
    let mut b = Browser::new(&server);
    b.login(APPROVER).await;
    assert_eq!(
        b.act(hostile, "confirm", ("note", "<b>note</b>"))
            .await
            .status,
        303
    );
    assert_eq!(
        b.act(
            hostile,
            "describe",
            ("text", "<img src=x onerror=alert(1)>")
        )
        .await
        .status,
        303
    );
    // Approved by someone else, so it is on the notice preview too.
    let mut other = Browser::new(&server);
    other.login(APPROVER2).await;
    assert_eq!(
        other.act(hostile, "approve", ("note", "")).await.status,
        303
    );
    for path in [
        "/suspects".to_string(),
        "/suspects?status=confirmed".to_string(),
        format!("/suspects/{hostile}"),
        "/publish".to_string(),
    ] {
        let p = b.get(&path).await;
        assert_eq!(p.status, 200, "{path}");
        assert!(!p.body.contains("<script"), "{path}: a raw script tag");
        assert!(!p.body.contains("<img src=x"), "{path}");
        assert!(!p.body.contains("<b>note"), "{path}");
        assert!(!p.body.contains('\u{202E}'), "{path}: a raw bidi override");
        assert!(
            p.body.contains(HOSTILE_ESCAPED),
            "{path}: the name is not shown escaped"
        );
        assert_security_headers(&p, &path);
    }
    let detail = b.get(&format!("/suspects/{hostile}")).await;
    assert!(detail.body.contains("&#60;img src=x onerror=alert(1)&#62;"));
    assert!(detail.body.contains("&#60;b&#62;note&#60;/b&#62;"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut b = Browser::new(&server);
    for path in [
        "/healthz",
        "/login",
        "/suspects",
        "/static/app.css",
        "/nothing",
    ] {
        assert_security_headers(&b.get(path).await, path);
    }
    let wrong = b
        .post("/login", &[("user", STAFF.0), ("password", "nope nope")])
        .await;
    assert_security_headers(&wrong, "failed login");
    let login = b.login(STAFF).await;
    assert_security_headers(&login, "login");
    let detail = b.get(&format!("/suspects/{id}")).await;
    assert_eq!(detail.headers["cache-control"], "no-store");
    assert!(!detail.body.contains("<script"));
    assert!(
        !detail.body.contains(" style="),
        "no inline styles: the CSP forbids them"
    );
    for p in [
        detail,
        b.get("/nothing").await,
        b.get("/suspects?status=bogus").await,
        b.post(&format!("/suspects/{id}/confirm"), &[]).await,
        b.get("/publish").await,
    ] {
        assert_security_headers(&p, &format!("status {}", p.status));
    }
}

#[tokio::test]
async fn avatars_come_from_the_database_re_encoded() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut b = Browser::new(&server);
    b.login(STAFF).await;
    let detail = b.get(&format!("/suspects/{id}")).await;
    let src = detail
        .body
        .split("src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|s| s.starts_with("/avatars/"))
        .expect("the candidate's avatar")
        .to_string();
    assert!(detail.body.contains("src=\"/official/0/avatar\""));
    for path in [src.as_str(), "/official/0/avatar"] {
        let r = b
            .http
            .get(format!("{}{path}", b.base))
            .header("cookie", b.cookie.clone().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let bytes = r.bytes().await.unwrap();
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap();
        assert!(img.width() <= 256 && img.height() <= 256);
    }
    assert_eq!(
        b.get(&format!("/avatars/{}", "0".repeat(64))).await.status,
        404
    );
    assert_eq!(b.get("/avatars/..%2F..%2Fetc").await.status, 404);
    assert_eq!(b.get("/official/7/avatar").await.status, 404);
    // Without a session, no picture.
    b.cookie = None;
    assert_eq!(b.get(&src).await.location(), "/login");
}

#[tokio::test]
async fn the_queue_filters_and_pages_highest_score_first() {
    let many: Vec<String> = (0..55)
        .map(|i| {
            format!(
                r#"{{"platform":"x","handle":"b_diverjinzai{i}","display_name":"文京区中小企業ダイバーシティ人材採用促進事業","avatar":"copy.png"}}"#
            )
        })
        .collect();
    let env = Env::new("", &many);
    let total = env.suspects().len();
    assert!(total > 50, "{total}");
    let server = env.serve();
    let mut b = Browser::new(&server);
    b.login(STAFF).await;

    let rows = |p: &Page| p.body.matches("<tr>\n      <td data-label=\"ID\">").count();
    let first = b.get("/suspects").await;
    assert_eq!(rows(&first), 50);
    assert!(first.body.contains("/suspects?page=2"));
    let second = b.get("/suspects?page=2").await;
    assert_eq!(rows(&second), total - 50);
    assert!(second.body.contains("/suspects?page=1"));

    // Highest score first, as `suspects list`.
    let ids: Vec<i64> = env
        .suspects()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let pos = |body: &str, id: i64| body.find(&format!("href=\"/suspects/{id}\"")).unwrap();
    assert!(pos(&first.body, ids[0]) < pos(&first.body, ids[1]));
    assert!(pos(&first.body, ids[1]) < pos(&first.body, ids[2]));

    let insta = b.get("/suspects?platform=instagram").await;
    assert_eq!(rows(&insta), 1);
    assert!(insta.body.contains("<option value=\"instagram\" selected>"));
    let id = env.id("instagram", "b_diverjinzai");
    b.act(id, "dismiss", ("note", "")).await;
    assert_eq!(rows(&b.get("/suspects?status=dismissed").await), 1);
    assert_eq!(
        rows(&b.get("/suspects?status=dismissed&platform=x").await),
        0
    );
    assert_eq!(
        rows(&b.get("/suspects?status=new&page=2").await),
        total - 1 - 50
    );
    for bad in ["status=bogus", "platform=myspace", "page=0", "page=x"] {
        assert_eq!(
            b.get(&format!("/suspects?{bad}")).await.status,
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn an_approver_publishes_the_pages_atomically() {
    let env = Env::new("", &[]);
    let server = env.serve();
    let id = env.id("x", "b_diverjinzal");
    let mut staff = Browser::new(&server);
    staff.login(STAFF).await;
    staff.act(id, "confirm", ("note", "")).await;

    let mut approver = Browser::new(&server);
    approver.login(APPROVER).await;
    // Confirmed but not approved: not on the notice yet.
    let page = approver.get("/publish").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("承認待ちの候補が1件"), "{}", page.body);
    assert!(!page.body.contains("@b_diverjinzal"));
    let approve_form = format!("action=\"/suspects/{id}/approve\"");
    let detail = approver.get(&format!("/suspects/{id}")).await;
    assert!(detail.body.contains("承認待ち"));
    assert!(detail.body.contains(&approve_form));
    assert_eq!(approver.act(id, "approve", ("note", "")).await.status, 303);
    let detail = approver.get(&format!("/suspects/{id}?done=approve")).await;
    assert!(detail.body.contains("承認済み：suzuki"), "{}", detail.body);
    assert!(!detail.body.contains(&approve_form));
    let twice = approver.act(id, "approve", ("note", "")).await;
    assert_eq!(twice.status, 403, "approved twice");

    let page = approver.get("/publish").await;
    assert!(
        page.body.contains("@b_diverjinzal"),
        "the preview shows the impostor"
    );
    assert!(page.body.contains("新たに掲載：X"), "{}", page.body);
    assert!(page.body.contains("notice.html"));
    assert!(page.body.contains("新しく作成"));
    let csrf = page.csrf();
    assert_eq!(approver.post("/publish", &[]).await.status, 403);
    let done = approver.post("/publish", &[("csrf", &csrf)]).await;
    assert_eq!((done.status, done.location()), (303, "/publish?done=1"));
    let notice = std::fs::read_to_string(env.path("public/notice.html")).unwrap();
    assert!(notice.contains("@b_diverjinzal"));
    assert!(env.path("public/official-accounts.html").exists());
    assert!(env.path("internal/review.html").exists());
    assert!(!env.path("public/review.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(env.path("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let again = approver.get("/publish?done=1").await;
    assert!(again.body.contains("公開ページを書き出しました"));
    assert!(again.body.contains("引き続き掲載：X"), "{}", again.body);
    assert!(!again.body.contains("新しく作成"));
}

#[tokio::test]
async fn users_commands_and_a_new_password_ends_sessions() {
    let env = Env::new("", &[]);
    let (code, out, _) = env.run_with_stdin(&["users", "list"], "");
    assert_eq!(code, 0);
    assert!(out.contains("sato") && out.contains("staff"), "{out}");
    assert!(out.contains("suzuki") && out.contains("approver"), "{out}");
    assert!(!out.contains("argon2"));
    let hash: String = env
        .db()
        .query_row("SELECT password FROM users WHERE name = 'sato'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(STAFF.1));

    for (args, stdin) in [
        (
            vec!["users", "add", "sato", "--role", "staff"],
            "another password\n",
        ),
        (vec!["users", "add", "new", "--role", "staff"], "short\n"),
        (vec!["users", "add", "new", "--role", "staff"], ""),
        (
            vec!["users", "add", "new", "--role", "boss"],
            "long enough pw\n",
        ),
        (
            vec!["users", "add", "a b", "--role", "staff"],
            "long enough pw\n",
        ),
        (vec!["users", "remove", "nobody"], ""),
        (vec!["users", "passwd", "nobody"], "long enough pw\n"),
    ] {
        let (code, _, err) = env.run_with_stdin(&args, stdin);
        assert_eq!(code, 2, "{args:?}: {err}");
    }

    let server = env.serve();
    let mut b = Browser::new(&server);
    b.login(STAFF).await;
    assert_eq!(b.get("/suspects").await.status, 200);
    let (code, _, err) = env.run_with_stdin(&["users", "passwd", "sato"], "a brand new one\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(b.get("/suspects").await.location(), "/login");
    let old = b
        .post("/login", &[("user", STAFF.0), ("password", STAFF.1)])
        .await;
    assert_eq!(old.status, 401);
    b.login(("sato", "a brand new one")).await;

    let (code, _, _) = env.run_with_stdin(&["users", "remove", "sato"], "");
    assert_eq!(code, 0);
    assert_eq!(b.get("/suspects").await.location(), "/login");
    let (_, out, _) = env.run_with_stdin(&["users", "list"], "");
    assert!(!out.contains("sato"));
}
