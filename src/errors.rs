//! Error kinds that decide the exit status (issue 8). A command's error is a runtime failure
//! (exit 1: database locked, disk full, unreadable file, network) unless something in its
//! chain is typed as a [`Refused`] action or an [`InvalidConfig`] (exit 2). The edge
//! ([`crate::cli`]) decides by type, never by guessing from where the error came from.

use std::path::Path;

/// A request the program refuses: an unknown id, a status change the workflow does not
/// allow, a missing required note. Bad usage, not a failure of the machine.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// The config file is missing or invalid.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidConfig(pub String);

/// How an error should end the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Bad usage, an invalid config, a refused action: exit 2.
    Usage,
    /// Anything else: exit 1.
    Runtime,
}

/// Classifies an error by the types in its chain.
pub fn kind(e: &anyhow::Error) -> Kind {
    let usage = e
        .chain()
        .any(|c| c.is::<Refused>() || c.is::<InvalidConfig>() || c.is::<clap::Error>());
    if usage {
        Kind::Usage
    } else {
        Kind::Runtime
    }
}

/// True when the error chain holds an SQLite error (then the message must name the database).
pub fn is_database_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<rusqlite::Error>())
}

/// Adds "database PATH" to an SQLite error that does not name its file yet.
pub fn name_database(e: anyhow::Error, db: &Path) -> anyhow::Error {
    let shown = db.display().to_string();
    if is_database_error(&e) && !format!("{e:#}").contains(&shown) {
        e.context(format!("database {shown}"))
    } else {
        e
    }
}

/// A refusal as an `anyhow::Error`.
pub fn refused(msg: impl Into<String>) -> anyhow::Error {
    Refused(msg.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn kind_is_decided_by_type_anywhere_in_the_chain() {
        let r: anyhow::Result<()> = Err(refused("no suspect with id 9"));
        let e = r.context("cannot confirm suspect 9").unwrap_err();
        assert_eq!(kind(&e), Kind::Usage);
        let locked = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        let e = anyhow::Error::from(locked).context("cannot confirm suspect 9");
        assert_eq!(kind(&e), Kind::Runtime);
        let e = name_database(e, Path::new("/srv/n.db"));
        assert!(format!("{e:#}").contains("/srv/n.db"), "{e:#}");
    }
}
