//! The review workflow as staff use it (issue 5): status changes with the audit log,
//! `suspects show`, `suspects describe`, the takedown-request draft (`report`) and the CSV
//! export. Everything here returns text or bytes; `crate::cli` prints and `crate::publish`
//! writes. Attacker-controlled text passes through [`visible`] so hidden and bidi
//! characters are shown, never applied, in terminals, reports and spreadsheets too.
//! The approver's 決裁 (issue 11) is in [`approval`].

pub mod approval;

pub use approval::{approve, awaiting_approval, is_public, publishable, withdraw, ReviewError};

use crate::config::Config;
use crate::errors::refused;
use crate::model::OfficialAccount;
use crate::render::reasons;
use crate::render::visible;
use crate::store::{EvidenceRecord, Status, Store, SuspectEvent, SuspectRecord};
use crate::wareki;
use anyhow::{bail, Context, Result};
use std::fmt::Write as _;

/// Longest attacker-controlled field written to a report or the CSV, in characters.
const MAX_FIELD_CHARS: usize = 500;

/// Changes a suspect's status for a staff member. Withdrawing (a published impostor found
/// innocent) has its own rules and goes through [`withdraw`], which this refuses to bypass.
pub fn transition(
    store: &Store,
    id: i64,
    to: Status,
    actor: &str,
    note: Option<&str>,
    at: &str,
) -> Result<SuspectRecord> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if to == Status::Withdrawn {
        bail!("withdrawing suspect {id} goes through review::withdraw (the approver's rule)");
    }
    store
        .set_status(id, to, actor, note, at)
        .with_context(|| format!("cannot mark suspect {id} {to}"))
}

/// Records how an impostor lures people. Only staff-confirmed impostors are shown publicly,
/// but a description may be written at any stage.
pub fn describe(
    store: &Store,
    id: i64,
    text: &str,
    actor: &str,
    at: &str,
) -> Result<SuspectRecord> {
    if text.chars().count() > 2000 {
        return Err(refused("the description is longer than 2000 characters"));
    }
    store
        .describe(id, text, actor, at)
        .with_context(|| format!("cannot describe suspect {id}"))
}

fn shown(s: &str) -> String {
    visible(s, MAX_FIELD_CHARS)
}

fn shown_opt(s: &Option<String>) -> String {
    s.as_deref().map(shown).unwrap_or_else(|| "-".into())
}

/// When each step of the workflow happened: found, then the latest time it became each of
/// confirmed, reported, removed and withdrawn, and when it was approved for publication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub found: String,
    pub confirmed: Option<String>,
    pub approved: Option<String>,
    pub reported: Option<String>,
    pub removed: Option<String>,
    pub withdrawn: Option<String>,
}

/// Builds a suspect's timeline from its audit log.
pub fn timeline(s: &SuspectRecord, events: &[SuspectEvent]) -> Timeline {
    let last = |st: Status| {
        events
            .iter()
            .rev()
            .find(|e| e.kind == "status" && e.to_status == st)
            .map(|e| e.at.clone())
    };
    Timeline {
        found: s.first_seen.clone(),
        confirmed: last(Status::Confirmed),
        approved: s.approval.as_ref().map(|a| a.at.clone()),
        reported: last(Status::Reported),
        removed: last(Status::Removed),
        withdrawn: last(Status::Withdrawn),
    }
}

/// The account facts of a snapshot in one line (`created 2026-11-28T12:00:00Z, 0 posts,
/// 2 followers, not verified`), or `None` when the platform reported none.
fn account_facts(e: &EvidenceRecord) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(c) = &e.account_created_at {
        parts.push(format!("created {}", shown(c)));
    }
    if let Some(n) = e.posts_count {
        parts.push(format!("{n} posts"));
    }
    if let Some(n) = e.followers_count {
        parts.push(format!("{n} followers"));
    }
    match e.verified {
        Some(true) => parts.push("verified by the platform".into()),
        Some(false) => parts.push("not verified".into()),
        None => {}
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// `suspects show ID`: the suspect, its evidence and its history, as text.
pub fn show(store: &Store, id: i64) -> Result<String> {
    let s = store.suspect(id)?;
    let evidence = store.evidence(id)?;
    let events = store.events(id)?;
    let mut out = String::new();
    writeln!(
        out,
        "suspect {}: {} @{}",
        s.id,
        s.platform,
        shown(&s.handle)
    )?;
    writeln!(out, "  status:        {}", s.status)?;
    if let Some(a) = &s.approval {
        write!(out, "  approved:      by {} at {}", shown(&a.by), a.at)?;
        if let Some(n) = &a.note {
            write!(out, "  — {}", shown(n))?;
        }
        writeln!(out)?;
    } else if s.status.is_confirmed_impostor() {
        writeln!(out, "  approved:      not yet")?;
    }
    writeln!(out, "  display name:  {}", shown_opt(&s.display_name))?;
    writeln!(out, "  url:           {}", shown_opt(&s.url))?;
    writeln!(out, "  bio:           {}", shown_opt(&s.bio))?;
    writeln!(out, "  score:         {:.2}", s.score)?;
    if let Some(m) = &s.matched {
        writeln!(out, "  resembles:     {} @{}", m.platform, m.handle)?;
    }
    let sig = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "  signals:       handle {}, display name {}, avatar {}",
        sig(s.signals.handle),
        sig(s.signals.display_name),
        sig(s.signals.avatar)
    )?;
    for r in &s.reasons {
        writeln!(out, "    - {}", shown(&reasons::en(r)))?;
    }
    writeln!(out, "  first seen:    {}", s.first_seen)?;
    writeln!(out, "  last seen:     {}", s.last_seen)?;
    if let Some(d) = &s.description {
        writeln!(out, "  description:   {}", shown(d))?;
    }
    writeln!(out, "evidence ({} snapshots):", evidence.len())?;
    for e in &evidence {
        writeln!(
            out,
            "  #{} {} from {}",
            e.id,
            e.captured_at,
            shown(&e.source)
        )?;
        writeln!(
            out,
            "     @{}  name: {}  url: {}",
            shown(&e.handle),
            shown_opt(&e.display_name),
            shown_opt(&e.url)
        )?;
        if let Some(b) = &e.bio {
            writeln!(out, "     bio: {}", shown(b))?;
        }
        match (&e.avatar_sha256, &e.avatar_ref) {
            (Some(sha), _) => writeln!(out, "     avatar sha256 {sha}")?,
            (None, Some(r)) => writeln!(out, "     avatar {} (not stored)", shown(r))?,
            (None, None) => {}
        }
        if let Some(facts) = account_facts(e) {
            writeln!(out, "     account: {facts}")?;
        }
    }
    writeln!(out, "history:")?;
    for e in &events {
        let from = e.from_status.map(|f| f.as_str()).unwrap_or("-");
        let what = match e.kind.as_str() {
            "describe" => "described".to_string(),
            "approve" => format!("approved ({})", e.to_status),
            "reopen" => format!("{from} -> {} (profile changed)", e.to_status),
            _ => format!("{from} -> {}", e.to_status),
        };
        write!(out, "  {}  {:<30}  by {}", e.at, what, shown(&e.actor))?;
        if let Some(n) = e.note.as_deref().filter(|n| !n.is_empty()) {
            write!(out, "  — {}", shown(n))?;
        }
        writeln!(out)?;
    }
    Ok(out)
}

/// The format of `narisumashi report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
}

/// Escapes Markdown punctuation so attacker text cannot add links, images or formatting.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()<>#+-.!|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn official_for<'a>(config: &'a Config, s: &SuspectRecord) -> Option<&'a OfficialAccount> {
    let m = s.matched.as_ref()?;
    config.official.iter().find(|o| o.is(m.platform, &m.handle))
}

/// The Japanese era date of a timestamp, or "-".
fn date_ja(t: &Option<String>) -> String {
    t.as_deref()
        .map(wareki::format_timestamp)
        .unwrap_or_else(|| "-".into())
}

struct Doc {
    md: bool,
    out: String,
}

impl Doc {
    fn h1(&mut self, t: &str) {
        if self.md {
            self.out.push_str(&format!("# {t}\n\n"));
        } else {
            self.out
                .push_str(&format!("{t}\n{}\n\n", "=".repeat(t.chars().count() * 2)));
        }
    }
    fn h2(&mut self, t: &str) {
        if self.md {
            self.out.push_str(&format!("\n## {t}\n\n"));
        } else {
            self.out.push_str(&format!("\n■ {t}\n"));
        }
    }
    fn p(&mut self, t: &str) {
        self.out.push_str(t);
        self.out.push_str(if self.md { "\n\n" } else { "\n" });
    }
    /// A labelled value; `value` is already made visible, Markdown escaping happens here.
    fn item(&mut self, label: &str, value: &str) {
        if self.md {
            self.out
                .push_str(&format!("- {label}：{}\n", md_escape(value)));
        } else {
            self.out.push_str(&format!("  {label}：{value}\n"));
        }
    }
    fn bullet(&mut self, value: &str) {
        if self.md {
            self.out.push_str(&format!("- {}\n", md_escape(value)));
        } else {
            self.out.push_str(&format!("  ・{value}\n"));
        }
    }
}

/// `narisumashi report ID`: a takedown-request draft for the platform's impersonation report
/// form, then a short internal report for the approver, in Japanese.
pub fn report(config: &Config, store: &Store, id: i64, format: ReportFormat) -> Result<String> {
    let s = store.suspect(id)?;
    if matches!(
        s.status,
        Status::New | Status::Dismissed | Status::Withdrawn
    ) {
        return Err(refused(format!(
            "suspect {id} is {}; only confirmed impostors are reported (confirm it first)",
            s.status
        )));
    }
    let evidence = store.evidence(id)?;
    let events = store.events(id)?;
    let tl = timeline(&s, &events);
    let org = &config.organization;
    let official = official_for(config, &s);
    let mut d = Doc {
        md: format == ReportFormat::Markdown,
        out: String::new(),
    };

    d.h1("なりすましアカウント削除依頼（下書き）");
    d.p(&format!(
        "{}のなりすまし報告フォームに入力するための下書きです。内容を確認のうえ、承認を得てから送信してください。",
        s.platform.label()
    ));
    d.h2("報告者（なりすまされている公式アカウントの運営者）");
    d.item("団体名", &org.name);
    d.item("担当部署", &org.department);
    if let Some(c) = &org.contact {
        d.item("連絡先", c);
    }
    d.item("ウェブサイト", &org.website);
    d.h2("なりすまされている公式アカウント");
    match official {
        Some(o) => {
            d.item("サービス", o.platform.label());
            d.item("アカウント", &format!("@{}", o.handle));
            d.item("表示名", &o.display_name);
            d.item("URL", &o.url);
        }
        None => d.item("アカウント", "（該当する公式アカウントを記入してください）"),
    }
    d.item(
        "公式であることの確認方法",
        &format!(
            "{}のウェブサイト（{}）の公式アカウント一覧に掲載しています",
            org.name, org.website
        ),
    );
    d.h2("なりすましアカウント");
    d.item("サービス", s.platform.label());
    d.item("アカウント", &format!("@{}", shown(&s.handle)));
    d.item("表示名", &shown_opt(&s.display_name));
    d.item("URL", &shown_opt(&s.url));
    d.item("最初に確認した日", &wareki::format_timestamp(&tl.found));
    d.h2("なりすましと判断した理由");
    if let Some(o) = official {
        d.bullet(&format!(
            "公式アカウント「{}」（@{}）と紛らわしいアカウント名・表示名・アイコンを使用しています。",
            o.display_name, o.handle
        ));
    }
    d.bullet(&format!(
        "{}はこのアカウントを運用しておらず、運用を許可したこともありません。",
        org.name
    ));
    if let Some(desc) = &s.description {
        d.bullet(&format!("確認した手口：{}", shown(desc)));
    }
    for r in &s.reasons {
        d.bullet(&format!("自動検出の根拠：{}", shown(&reasons::ja(r))));
    }
    d.h2("記録（証拠）");
    if evidence.is_empty() {
        d.p("（記録はありません）");
    }
    for e in &evidence {
        let mut line = format!(
            "{} 取得（{}）：@{}、表示名 {}",
            e.captured_at,
            shown(&e.source),
            shown(&e.handle),
            shown_opt(&e.display_name)
        );
        if let Some(u) = &e.url {
            line.push_str(&format!("、URL {}", shown(u)));
        }
        if let Some(sha) = &e.avatar_sha256 {
            line.push_str(&format!("、アイコン画像 SHA-256 {sha}"));
        }
        d.bullet(&line);
    }
    d.h2("依頼内容");
    d.p(&format!(
        "上記アカウントは{}の公式アカウントになりすまし、住民の皆さまを誤認させるおそれがあります。貴社の規約に基づき、当該アカウントの削除（凍結）をお願いいたします。",
        org.name
    ));

    d.h1("内部報告（承認者向け）");
    d.item(
        "件名",
        &format!("{}なりすましアカウントへの対応について", s.platform.label()),
    );
    d.item(
        "対象",
        &format!(
            "{} @{}（表示名：{}）",
            s.platform.label(),
            shown(&s.handle),
            shown_opt(&s.display_name)
        ),
    );
    if let Some(o) = official {
        d.item(
            "なりすまされた公式アカウント",
            &format!("@{}（{}）", o.handle, o.display_name),
        );
    }
    d.item("現在の状況", status_ja(s.status));
    d.item("確認日", &wareki::format_timestamp(&tl.found));
    d.item("なりすまし確定", &date_ja(&tl.confirmed));
    d.item(
        "決裁（公開の承認）",
        &match &s.approval {
            Some(a) => format!("{}　{}", wareki::format_timestamp(&a.at), shown(&a.by)),
            None if config.review.approval => "未決裁".into(),
            None => "不要（[review] approval = false）".into(),
        },
    );
    d.item("運営会社へ報告", &date_ja(&tl.reported));
    d.item("削除確認", &date_ja(&tl.removed));
    if let Some(desc) = &s.description {
        d.item("手口", &shown(desc));
    }
    d.item(
        "自動検出の根拠",
        &s.reasons
            .iter()
            .map(|r| shown(&reasons::ja(r)))
            .collect::<Vec<_>>()
            .join(" / "),
    );
    d.item(
        "ホームページでの周知",
        if is_public(config, &s) {
            "注意喚起ページ（notice.html）に掲載中"
        } else if awaiting_approval(config, &s) {
            "未掲載（決裁後に掲載）"
        } else {
            "未掲載"
        },
    );
    d.item(
        "今後の対応",
        "運営会社への削除依頼、注意喚起ページの掲載継続、削除確認後に掲載内容を更新",
    );
    Ok(d.out)
}

/// The status as the Japanese pages and reports say it.
pub fn status_ja(s: Status) -> &'static str {
    match s {
        Status::New => "未確認",
        Status::Confirmed => "なりすましと確認（運営会社への報告準備中）",
        Status::Dismissed => "なりすましではないと判断",
        Status::Reported => "運営会社へ削除を要請済み",
        Status::Removed => "削除を確認",
        Status::Withdrawn => "なりすましではなかったため掲載を取り下げ",
    }
}

/// Characters that make a spreadsheet read a cell as a formula, also in their full-width forms
/// (Excel in Japanese folds ＝＋－＠ to ASCII) and after leading whitespace.
const FORMULA_STARTS: [char; 9] = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦'];

/// One CSV cell: quoted, with a leading `'` when it would start a spreadsheet formula.
pub fn csv_cell(s: &str) -> String {
    let after_space = s.trim_start();
    let guarded = if s.starts_with(['\t', '\r', '\n']) || after_space.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// Every suspect as CSV that Excel opens correctly: UTF-8 with a BOM, CRLF line ends, every
/// cell quoted, formula injection defused, hidden characters made visible.
pub fn export_csv(store: &Store) -> Result<Vec<u8>> {
    let header = [
        "ID",
        "サービス",
        "アカウント",
        "表示名",
        "状況",
        "スコア",
        "類似する公式アカウント",
        "初回検出",
        "最終検出",
        "状況変更",
        "手口（職員記入）",
        "URL",
        "検出理由",
    ];
    let mut out = String::from("\u{FEFF}");
    let row = |cells: Vec<String>| -> String {
        let mut line = cells
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(",");
        line.push_str("\r\n");
        line
    };
    out.push_str(&row(header.iter().map(|s| s.to_string()).collect()));
    let mut all = store.suspects(None)?;
    all.sort_by_key(|s| s.id);
    for s in &all {
        out.push_str(&row(vec![
            s.id.to_string(),
            s.platform.as_str().to_string(),
            shown(&s.handle),
            s.display_name.as_deref().map(shown).unwrap_or_default(),
            s.status.as_str().to_string(),
            format!("{:.2}", s.score),
            s.matched
                .as_ref()
                .map(|m| format!("{} @{}", m.platform, m.handle))
                .unwrap_or_default(),
            s.first_seen.clone(),
            s.last_seen.clone(),
            s.status_changed_at.clone(),
            s.description.as_deref().map(shown).unwrap_or_default(),
            s.url.as_deref().map(shown).unwrap_or_default(),
            s.reasons
                .iter()
                .map(|r| shown(&reasons::ja(r)))
                .collect::<Vec<_>>()
                .join(" / "),
        ]));
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests;
