//! `narisumashi publish`: gathers what the pages need (suspects, their history, evidence
//! avatars, official avatars), renders every page through `crate::render`, and writes each
//! one atomically (temporary file in the same folder, then rename), so a web server never
//! serves half a page. Public pages go to the public folder; the internal `review.html` goes
//! to `[publish] review_dir`, never next to them.

use crate::fsutil::{self, Access};
use crate::render::{pages, review_page};
use crate::scan::Context;
use crate::store::Status;
use anyhow::{bail, Result};
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
    let official = pages::official_data(config, now);
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

/// Reads what the pages need. A missing official avatar is a warning, not a failure: the page
/// then says "no picture".
pub async fn gather(ctx: &Context, warnings: &mut Vec<String>) -> Result<pages::Inputs> {
    let mut inputs = pages::Inputs::default();
    for record in ctx.store.suspects(None)? {
        if record.status == Status::Dismissed {
            continue;
        }
        let events = ctx.store.events(record.id)?;
        let avatar = ctx.store.latest_avatar(record.id)?;
        inputs.suspects.push(pages::SuspectInput {
            record,
            events,
            avatar,
        });
    }
    for o in &ctx.config.official {
        let Some(a) = &o.avatar else { continue };
        let reference = ctx.config.resolve_avatar(a);
        match crate::avatar::load(&ctx.client, &ctx.config.network, &reference).await {
            Ok(bytes) => {
                inputs.official_avatars.insert(
                    (o.platform, crate::model::canonical_handle(&o.handle)),
                    bytes,
                );
            }
            Err(e) => warnings.push(format!("avatar of official @{}: {e:#}", o.handle)),
        }
    }
    Ok(inputs)
}

/// What `publish` wrote.
pub struct Published {
    pub public: Vec<PathBuf>,
    pub review: PathBuf,
    pub warnings: Vec<String>,
}

/// Renders and writes every page. `review_dir` must not be the public folder.
pub async fn run(ctx: &Context, out: &Path, review_dir: &Path, now: &str) -> Result<Published> {
    check_review_dir(out, review_dir)?;
    let mut warnings = Vec::new();
    let inputs = gather(ctx, &mut warnings).await?;
    // Render everything before writing anything, so a template error leaves the old pages.
    let (public, review) = render_all(&ctx.config, &inputs, now)?;
    // Both folders must be usable before any page is replaced, so a bad review folder does
    // not leave new public pages beside an old review page.
    fsutil::create_dir(out, Access::Public)?;
    fsutil::create_dir(review_dir, Access::Private)?;
    let mut written = Vec::new();
    for (name, html) in public {
        written.push(write_atomic(out, name, html.as_bytes())?);
    }
    let review = write_private(review_dir, REVIEW_PAGE, review.as_bytes())?;
    Ok(Published {
        public: written,
        review,
        warnings,
    })
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
}
