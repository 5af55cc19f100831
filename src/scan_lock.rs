//! One scan at a time (issue 8). A scan holds an exclusive OS lock (`File::try_lock`) on
//! `<database>.scan-lock` for as long as it runs; a second scan finds it taken and stops at
//! once, naming the process that holds it. The OS releases the lock when the holder exits or
//! is killed, so there is no stale pid file to clean up: the pid written inside is only for
//! the message.

use anyhow::{Context, Result};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A held scan lock; dropping it releases the lock.
#[derive(Debug)]
pub struct ScanLock {
    _file: File,
    path: PathBuf,
}

impl ScanLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Another scan holds the lock.
#[derive(Debug, thiserror::Error)]
#[error(
    "another scan is already running ({holder}; lock file {path}); this one stops without scanning"
)]
pub struct Busy {
    pub holder: String,
    pub path: String,
}

/// The lock file of a database.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "narisumashi.db".into());
    name.push(".scan-lock");
    database.with_file_name(name)
}

/// Takes the scan lock of a database, or fails at once with [`Busy`] naming the holder.
pub fn acquire(database: &Path, now: &str) -> Result<ScanLock> {
    let path = lock_path(database);
    crate::fsutil::create_private_file(&path)?;
    let mut file = File::options()
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open scan lock {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let holder = match text.split_whitespace().collect::<Vec<_>>().as_slice() {
                [pid, since, ..] => format!("pid {pid}, started {since}"),
                [pid] => format!("pid {pid}"),
                [] => "pid unknown".into(),
            };
            return Err(Busy {
                holder,
                path: path.display().to_string(),
            }
            .into());
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
    let write = |f: &mut File| -> std::io::Result<()> {
        f.set_len(0)?;
        f.seek(SeekFrom::Start(0))?;
        writeln!(f, "{} {now}", std::process::id())?;
        f.flush()
    };
    write(&mut file).with_context(|| format!("cannot write scan lock {}", path.display()))?;
    Ok(ScanLock { _file: file, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder_and_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("n.db");
        let held = acquire(&db, "2026-12-01T09:00:00Z").unwrap();
        assert_eq!(held.path(), dir.path().join("n.db.scan-lock"));
        let e = acquire(&db, "2026-12-01T09:01:00Z").unwrap_err();
        let msg = format!("{e:#}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id()))
                && msg.contains("2026-12-01T09:00:00Z"),
            "{msg}"
        );
        assert!(e.is::<Busy>());
        drop(held);
        acquire(&db, "2026-12-01T09:02:00Z").unwrap();
    }
}
