//! `narisumashi publish`: gathers what the pages need (suspects, their history, evidence
//! avatars, official avatars), renders every page through `crate::render`, and writes each
//! one atomically (temporary file in the same folder, then rename), so a web server never
//! serves half a page. Public pages go to the public folder; the internal `review.html` goes
//! to `[publish] review_dir`, never next to them. [`plan`] renders without writing and says
//! what would change against the pages in the folder (the browser app's "what changes" view);
//! [`write`] then writes that plan.

use crate::config::Config;
use crate::fsutil::{self, Access};
use crate::model::Platform;
use crate::render::{pages, review_page};
use crate::scan::Context;
use crate::store::{Status, Store};
use anyhow::{bail, Result};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The public pages, in the order they are written.
pub const PUBLIC_PAGES: [&str; 6] = [
    "notice.html",
    "notice-fragment.html",
    "notice.en.html",
    "notice-fragment.en.html",
    "official-accounts.html",
    "official-accounts.en.html",
];

/// The internal review page.
pub const REVIEW_PAGE: &str = "review.html";

/// Writes a public (world-readable) file atomically and returns the path; see
/// [`crate::fsutil::write_atomic`].
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf> {
    fsutil::write_atomic(dir, name, contents, Access::Public)
}

/// Writes an owner-only file atomically (the review page, exports).
pub fn write_private(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf> {
    fsutil::write_atomic(dir, name, contents, Access::Private)
}

/// A path made absolute and cleaned of `.` and `..` without touching the disk (the folders
/// may not exist yet), following symbolic links of the parts that do exist.
fn resolved(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Canonicalise the longest existing ancestor (symbolic links), then append the rest.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    out
}

/// Refuses a review folder that is the public folder or lies inside it (a web server would
/// publish `public/internal/review.html`).
pub fn check_review_dir(out: &Path, review_dir: &Path) -> Result<()> {
    let (o, r) = (resolved(out), resolved(review_dir));
    if r.starts_with(&o) {
        bail!(
            "the internal review page must not go to the public folder {} or inside it (review folder {}); set [publish] review_dir or --review-out to a folder outside it",
            out.display(),
            review_dir.display()
        );
    }
    Ok(())
}

/// Every page as (file name, HTML): the public ones, then the review page.
pub fn render_all(
    config: &crate::config::Config,
    inputs: &pages::Inputs,
    now: &str,
) -> Result<(Vec<(&'static str, String)>, String)> {
    let notice = pages::notice_data(config, inputs, now);
    let official = pages::official_data(config, inputs, now);
    let public = vec![
        (PUBLIC_PAGES[0], pages::notice(&notice, false)?),
        (PUBLIC_PAGES[1], pages::notice(&notice, true)?),
        (PUBLIC_PAGES[2], pages::notice_en(&notice, false)?),
        (PUBLIC_PAGES[3], pages::notice_en(&notice, true)?),
        (PUBLIC_PAGES[4], pages::official_accounts(&official)?),
        (PUBLIC_PAGES[5], pages::official_accounts_en(&official)?),
    ];
    let review = review_page::review(config, inputs, now)?;
    Ok((public, review))
}

/// The suspects the pages are built from (all but dismissed ones), with their history and
/// latest avatar. Reads the database only, so a caller holding a lock on it holds it briefly.
pub fn suspect_inputs(store: &Store) -> Result<Vec<pages::SuspectInput>> {
    let mut out = Vec::new();
    for record in store.suspects(None)? {
        if record.status == Status::Dismissed {
            continue;
        }
        let events = store.events(record.id)?;
        let avatar = store.latest_avatar(record.id)?;
        out.push(pages::SuspectInput {
            record,
            events,
            avatar,
        });
    }
    Ok(out)
}

/// Loads the official accounts' avatars. A missing one is a warning, not a failure: the page
/// then says "no picture".
pub async fn official_avatars(
    config: &Config,
    client: &reqwest::Client,
    warnings: &mut Vec<String>,
) -> HashMap<(Platform, String), Vec<u8>> {
    let mut out = HashMap::new();
    for o in &config.official {
        let Some(a) = &o.avatar else { continue };
        let reference = config.resolve_avatar(a);
        match crate::avatar::load(client, &config.network, &reference).await {
            Ok(bytes) => {
                out.insert(
                    (o.platform, crate::model::canonical_handle(&o.handle)),
                    bytes,
                );
            }
            Err(e) => warnings.push(format!("avatar of official @{}: {e:#}", o.handle)),
        }
    }
    out
}

/// Reads what the pages need.
pub async fn gather(ctx: &Context, warnings: &mut Vec<String>) -> Result<pages::Inputs> {
    Ok(pages::Inputs {
        suspects: suspect_inputs(&ctx.store)?,
        official_avatars: official_avatars(&ctx.config, &ctx.client, warnings).await,
    })
}

/// An account on a public notice: listed as an impostor, or named in a correction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Listed {
    pub id: i64,
    pub correction: bool,
}

/// The suspects a notice page shows, read back from its HTML (`id="narisumashi-N"` on each
/// impostor, `id="narisumashi-correction-N"` on each correction).
pub fn listed_in(html: &str) -> BTreeSet<Listed> {
    let mut out = BTreeSet::new();
    for (i, _) in html.match_indices("id=\"narisumashi-") {
        let rest = &html[i + "id=\"narisumashi-".len()..];
        let (correction, rest) = match rest.strip_prefix("correction-") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        // Only the element's own id: `narisumashi-3"`, not `narisumashi-3-title"`.
        if !digits.is_empty() && rest[digits.len()..].starts_with('"') {
            if let Ok(id) = digits.parse() {
                out.insert(Listed { id, correction });
            }
        }
    }
    out
}

/// What publishing would change on the Japanese notice, against the page now in the folder.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NoticeChanges {
    /// Whether there is a notice in the folder at all (false before the first publish).
    pub had_notice: bool,
    /// Accounts the new notice lists (or corrects) that the current one does not.
    pub added: Vec<Listed>,
    /// Accounts the current notice lists (or corrects) that the new one does not.
    pub dropped: Vec<Listed>,
    /// Accounts on both.
    pub kept: Vec<Listed>,
    /// Public pages whose content differs (ignoring the "last updated" date).
    pub pages_changed: Vec<&'static str>,
}

impl NoticeChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.dropped.is_empty() && self.pages_changed.is_empty()
    }
}

/// Every page rendered, not yet written, with what it changes against `out_dir`.
pub struct PublishPlan {
    /// The public pages as (file name, HTML), in [`PUBLIC_PAGES`] order.
    pub public: Vec<(&'static str, String)>,
    /// The internal review page.
    pub review: String,
    pub changes: NoticeChanges,
}

impl PublishPlan {
    /// One public page's HTML by file name.
    pub fn page(&self, name: &str) -> Option<&str> {
        self.public
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, h)| h.as_str())
    }
}

/// A page's text with its "last updated" dates blanked, to compare two versions.
fn without_dates(html: &str, dates: &[String]) -> String {
    let mut out = html.to_string();
    for d in dates.iter().filter(|d| !d.is_empty()) {
        out = out.replace(d.as_str(), "");
    }
    out
}

/// Renders every page and compares them with the pages now in `out_dir`. Writes nothing.
pub fn plan(
    config: &Config,
    inputs: &pages::Inputs,
    out_dir: &Path,
    now: &str,
) -> Result<PublishPlan> {
    let (public, review) = render_all(config, inputs, now)?;
    let updated_ja = crate::wareki::format_timestamp(now);
    let updated_en = crate::wareki::format_iso(now);
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).ok();
    let current = read(PUBLIC_PAGES[0]);
    let new_listed = listed_in(&public[0].1);
    let old_listed = current.as_deref().map(listed_in).unwrap_or_default();
    // The old pages carry their own dates; blank both the old and the new ones.
    let mut pages_changed = Vec::new();
    for (name, html) in &public {
        let changed = match read(name) {
            None => true,
            Some(old) => {
                let old_dates = updated_dates(&old);
                let dates: Vec<String> = old_dates
                    .into_iter()
                    .chain([updated_ja.clone(), updated_en.clone()])
                    .collect();
                without_dates(&old, &dates) != without_dates(html, &dates)
            }
        };
        if changed {
            pages_changed.push(*name);
        }
    }
    let changes = NoticeChanges {
        had_notice: current.is_some(),
        added: new_listed.difference(&old_listed).cloned().collect(),
        dropped: old_listed.difference(&new_listed).cloned().collect(),
        kept: new_listed.intersection(&old_listed).cloned().collect(),
        pages_changed,
    };
    Ok(PublishPlan {
        public,
        review,
        changes,
    })
}

/// The "last updated" dates printed on a page (`最終更新日：…` / `Last updated: …`).
fn updated_dates(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["最終更新日：", "Last updated: "] {
        for (i, _) in html.match_indices(marker) {
            let rest = &html[i + marker.len()..];
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out
}

/// What `publish` wrote.
pub struct Published {
    pub public: Vec<PathBuf>,
    pub review: PathBuf,
    pub warnings: Vec<String>,
}

/// Writes a plan's pages, each atomically: the public ones to `out`, the review page
/// (owner-only) to `review_dir`, which must not be the public folder or inside it. Both
/// folders must be usable before any page is replaced, so a bad review folder does not leave
/// new public pages beside an old review page.
pub fn write(plan: &PublishPlan, out: &Path, review_dir: &Path) -> Result<Published> {
    check_review_dir(out, review_dir)?;
    fsutil::create_dir(out, Access::Public)?;
    fsutil::create_dir(review_dir, Access::Private)?;
    let mut written = Vec::new();
    for (name, html) in &plan.public {
        written.push(write_atomic(out, name, html.as_bytes())?);
    }
    let review = write_private(review_dir, REVIEW_PAGE, plan.review.as_bytes())?;
    Ok(Published {
        public: written,
        review,
        warnings: Vec::new(),
    })
}

/// Renders and writes every page. `review_dir` must not be the public folder.
pub async fn run(ctx: &Context, out: &Path, review_dir: &Path, now: &str) -> Result<Published> {
    check_review_dir(out, review_dir)?;
    let mut warnings = Vec::new();
    let inputs = gather(ctx, &mut warnings).await?;
    // Render everything before writing anything, so a template error leaves the old pages.
    let plan = plan(&ctx.config, &inputs, out, now)?;
    let mut done = write(&plan, out, review_dir)?;
    done.warnings = warnings;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_folder_inside_the_public_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for bad in [
            out.clone(),
            out.join("internal"),
            out.join("a/../internal"),
            dir.path().join("x/../public/r"),
        ] {
            assert!(check_review_dir(&out, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_review_dir(&out, &dir.path().join("review")).is_ok());
        assert!(check_review_dir(&out, &dir.path().join("public-review")).is_ok());
    }

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.html", b"one").unwrap();
        let p = write_atomic(dir.path(), "a.html", b"two").unwrap();
        assert_eq!(std::fs::read(p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_notice_says_which_accounts_it_lists() {
        let html = r#"<article id="narisumashi-12" aria-labelledby="narisumashi-12-title"><h3 id="narisumashi-12-title"></h3></article><h2 id="narisumashi-impostors"></h2><p class="correction" id="narisumashi-correction-3">"#;
        let got: Vec<_> = listed_in(html).into_iter().collect();
        assert_eq!(
            got,
            vec![
                Listed {
                    id: 3,
                    correction: true
                },
                Listed {
                    id: 12,
                    correction: false
                }
            ]
        );
        assert!(listed_in("").is_empty());
    }

    #[test]
    fn the_plan_compares_with_the_pages_in_the_folder_ignoring_the_date() {
        let config = Config::parse(
            "[organization]\nname = \"文京区\"\ndepartment = \"広報課\"\nwebsite = \"https://www.city.bunkyo.lg.jp/\"\n",
            Path::new("."),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let inputs = pages::Inputs::default();
        let first = plan(&config, &inputs, dir.path(), "2026-11-22T03:00:00Z").unwrap();
        assert!(!first.changes.had_notice);
        assert_eq!(first.changes.pages_changed.len(), PUBLIC_PAGES.len());
        let review = tempfile::tempdir().unwrap();
        write(&first, dir.path(), review.path()).unwrap();
        // A day later with nothing new: nothing to publish but the date.
        let again = plan(&config, &inputs, dir.path(), "2026-11-23T03:00:00Z").unwrap();
        assert!(again.changes.had_notice);
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        assert!(again
            .page("notice.html")
            .unwrap()
            .contains("令和8年11月23日"));
        assert!(
            write(&again, dir.path(), dir.path()).is_err(),
            "review page kept out"
        );
    }
}
