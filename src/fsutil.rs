//! Files the program writes (issue 8): atomic replacement (temporary file, fsync, rename,
//! fsync of the folder), cleanup of temporary files a killed process left behind, and
//! permissions decided here rather than by the umask: files holding other people's data
//! (database, evidence, review page, exports, logs, backups) are owner-only (0600, folders
//! 0700); public pages are world-readable (0644, folders 0755).

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Who may read a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// 0644 (folders 0755): pages for the public website.
    Public,
    /// 0600 (folders 0700): anything holding other people's data.
    Private,
}

impl Access {
    #[cfg(unix)]
    fn file_mode(self) -> u32 {
        match self {
            Access::Public => 0o644,
            Access::Private => 0o600,
        }
    }

    #[cfg(unix)]
    fn dir_mode(self) -> u32 {
        match self {
            Access::Public => 0o755,
            Access::Private => 0o700,
        }
    }
}

/// A temporary file older than this, left next to a page by a killed process, is removed.
pub const STALE_TMP_AGE: Duration = Duration::from_secs(600);

/// Sets a file's mode exactly (the umask does not apply to chmod).
pub fn set_access(path: &Path, access: Access) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(access.file_mode()))
            .with_context(|| format!("cannot set permissions of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, access);
    Ok(())
}

/// Creates a folder (and its parents) when missing; a folder this call creates gets the mode
/// of `access`. An existing folder keeps its mode.
pub fn create_dir(dir: &Path, access: Access) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(access.dir_mode());
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create folder {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // DirBuilder's mode is filtered by the umask; set it exactly.
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(access.dir_mode()));
    }
    Ok(())
}

/// Creates an empty owner-only file if none exists (SQLite then keeps the mode, and gives its
/// `-wal` and `-shm` files the same). An existing file is left as it is.
pub fn create_private_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => set_access(path, Access::Private),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

/// Opens a file for appending (a log), creating it owner-only.
pub fn open_private_append(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let existed = path.exists();
    let f = opts
        .open(path)
        .with_context(|| format!("cannot open log file {}", path.display()))?;
    if !existed {
        set_access(path, Access::Private)?;
    }
    Ok(f)
}

/// Flushes a folder's entries to disk, so a rename inside it survives a power cut.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync folder {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn tmp_prefix(name: &str) -> String {
    format!(".{name}.")
}

/// Removes temporary files of `name` in `dir` that a killed process left behind (older than
/// [`STALE_TMP_AGE`], so a concurrent writer's file is left alone). Returns how many.
pub fn clean_stale_tmp(dir: &Path, name: &str) -> usize {
    let prefix = tmp_prefix(name);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if !(n.starts_with(&prefix) && n.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_TMP_AGE);
        if old && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Writes `contents` to `dir/name` atomically with the given access and returns the path:
/// a temporary file in the same folder, fsync, rename over the target, fsync of the folder.
/// A failure leaves the old file as it was and no temporary file behind.
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8], access: Access) -> Result<PathBuf> {
    create_dir(dir, access)?;
    clean_stale_tmp(dir, name);
    let target = dir.join(name);
    let tmp = dir.join(format!(
        "{}{}.{}.tmp",
        tmp_prefix(name),
        std::process::id(),
        rand::random::<u32>()
    ));
    let result = (|| -> Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(access.file_mode());
        }
        let mut f = opts.open(&tmp)?;
        set_access(&tmp, access)?;
        f.write_all(contents)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &target)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", target.display()))?;
    sync_dir(dir)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_writes_set_access_and_leave_no_tmp() {
        let dir = tempfile::tempdir().unwrap();
        let pub_dir = dir.path().join("pub");
        let p = write_atomic(&pub_dir, "a.html", b"one", Access::Public).unwrap();
        write_atomic(&pub_dir, "a.html", b"two", Access::Public).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&pub_dir).unwrap().collect();
        assert_eq!(names.len(), 1);
        let q = write_atomic(&dir.path().join("priv"), "r.html", b"x", Access::Private).unwrap();
        #[cfg(unix)]
        {
            assert_eq!(mode(&p), 0o644);
            assert_eq!(mode(&pub_dir), 0o755);
            assert_eq!(mode(&q), 0o600);
            assert_eq!(mode(&dir.path().join("priv")), 0o700);
        }
        let _ = q;
    }

    #[test]
    fn stale_tmp_files_are_cleaned_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".a.html.123.9.tmp");
        let fresh = dir.path().join(".a.html.456.9.tmp");
        let other = dir.path().join(".b.html.1.1.tmp");
        for p in [&stale, &fresh, &other] {
            std::fs::write(p, b"half").unwrap();
        }
        let old = std::time::SystemTime::now() - STALE_TMP_AGE - Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert_eq!(clean_stale_tmp(dir.path(), "a.html"), 1);
        assert!(!stale.exists() && fresh.exists() && other.exists());
    }

    #[test]
    fn a_file_where_a_folder_is_expected_fails_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("public");
        std::fs::write(&file, b"not a folder").unwrap();
        let e = write_atomic(&file, "a.html", b"x", Access::Public).unwrap_err();
        assert!(
            format!("{e:#}").contains(&file.display().to_string()),
            "{e:#}"
        );
    }
}
