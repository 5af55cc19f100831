//! The people who may use `narisumashi serve` and their login sessions (issue 11): the SQL
//! only. Password hashing lives in `crate::users`; cookies, expiry policy and CSRF checks in
//! `crate::serve`. Session tokens are stored as their SHA-256, never as they are.

use super::Store;
use anyhow::{anyhow, bail, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a user may do in the browser. Staff review; only an approver approves and withdraws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Staff,
    Approver,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Approver => "approver",
        }
    }

    /// The role as the pages say it.
    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Staff => "担当者",
            Role::Approver => "承認者",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(Role::Staff),
            "approver" => Ok(Role::Approver),
            other => Err(format!(
                "unknown role `{other}` (expected staff or approver)"
            )),
        }
    }
}

/// One user as stored.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The argon2id PHC string.
    #[serde(skip)]
    pub password: String,
    pub created_at: String,
    pub password_changed_at: String,
}

/// The user behind a live session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionUser {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    /// The CSRF token bound to this session.
    pub csrf: String,
    pub created: i64,
    pub last_seen: i64,
}

fn role_of(s: String) -> rusqlite::Result<Role> {
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        role: role_of(r.get(2)?)?,
        password: r.get(3)?,
        created_at: r.get(4)?,
        password_changed_at: r.get(5)?,
    })
}

const USER_COLUMNS: &str = "id, name, role, password, created_at, password_changed_at";

impl Store {
    /// Adds a user; refuses a name that is taken.
    pub fn add_user(&self, name: &str, role: Role, password_hash: &str, at: &str) -> Result<()> {
        if self.user(name)?.is_some() {
            bail!("a user named {name} already exists");
        }
        self.conn.execute(
            "INSERT INTO users (name, role, password, created_at, password_changed_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![name, role.as_str(), password_hash, at],
        )?;
        Ok(())
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRecord>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
        let rows = stmt.query_map([], user_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One user by name.
    pub fn user(&self, name: &str) -> Result<Option<UserRecord>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
                [name],
                user_from_row,
            )
            .optional()?)
    }

    /// Removes a user and ends their sessions. The audit log keeps their name.
    pub fn remove_user(&self, name: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM users WHERE name = ?1", [name])?;
        if n == 0 {
            bail!("no user named {name}");
        }
        Ok(())
    }

    /// Replaces a user's password hash and ends every session of theirs.
    pub fn set_password(&mut self, name: &str, password_hash: &str, at: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let id: i64 = tx
            .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| anyhow!("no user named {name}"))?;
        tx.execute(
            "UPDATE users SET password = ?1, password_changed_at = ?2 WHERE id = ?3",
            params![password_hash, at, id],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Starts a session for a user. `now` is Unix seconds.
    pub fn create_session(
        &self,
        user_id: i64,
        token_sha256: &str,
        csrf: &str,
        now: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sessions (token_sha256, user_id, csrf, created, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![token_sha256, user_id, csrf, now],
        )?;
        Ok(())
    }

    /// The user of a session, if the session exists (expiry is the caller's policy).
    pub fn session(&self, token_sha256: &str) -> Result<Option<SessionUser>> {
        Ok(self
            .conn
            .query_row(
                "SELECT s.user_id, u.name, u.role, s.csrf, s.created, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = ?1",
                [token_sha256],
                |r| {
                    Ok(SessionUser {
                        user_id: r.get(0)?,
                        name: r.get(1)?,
                        role: role_of(r.get(2)?)?,
                        csrf: r.get(3)?,
                        created: r.get(4)?,
                        last_seen: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records activity on a session.
    pub fn touch_session(&self, token_sha256: &str, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET last_seen = ?1 WHERE token_sha256 = ?2",
            params![now, token_sha256],
        )?;
        Ok(())
    }

    /// Ends one session.
    pub fn delete_session(&self, token_sha256: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sessions WHERE token_sha256 = ?1",
            [token_sha256],
        )?;
        Ok(())
    }

    /// Deletes sessions idle since before `idle_before` or started before `created_before`.
    pub fn prune_sessions(&self, idle_before: i64, created_before: i64) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM sessions WHERE last_seen < ?1 OR created < ?2",
            params![idle_before, created_before],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_and_sessions_round_trip() {
        let mut s = Store::open_in_memory().unwrap();
        s.add_user("sato", Role::Staff, "$argon2id$x", "t0")
            .unwrap();
        s.add_user("suzuki", Role::Approver, "$argon2id$y", "t0")
            .unwrap();
        assert!(s.add_user("sato", Role::Approver, "h", "t1").is_err());
        let names: Vec<_> = s.users().unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["sato", "suzuki"]);

        let sato = s.user("sato").unwrap().unwrap();
        s.create_session(sato.id, "tok", "csrf1", 100).unwrap();
        let live = s.session("tok").unwrap().unwrap();
        assert_eq!((live.name.as_str(), live.role), ("sato", Role::Staff));
        assert_eq!(live.csrf, "csrf1");
        s.touch_session("tok", 150).unwrap();
        assert_eq!(s.session("tok").unwrap().unwrap().last_seen, 150);

        // A new password ends the sessions made with the old one.
        s.set_password("sato", "$argon2id$z", "t2").unwrap();
        assert!(s.session("tok").unwrap().is_none());
        assert_eq!(s.user("sato").unwrap().unwrap().password, "$argon2id$z");

        // Removing a user ends their sessions too.
        let suzuki = s.user("suzuki").unwrap().unwrap();
        s.create_session(suzuki.id, "tok2", "c", 100).unwrap();
        s.remove_user("suzuki").unwrap();
        assert!(s.session("tok2").unwrap().is_none());
        assert!(s.remove_user("suzuki").is_err());
        assert!(s.set_password("nobody", "h", "t").is_err());
    }

    #[test]
    fn prunes_idle_and_old_sessions() {
        let s = Store::open_in_memory().unwrap();
        s.add_user("a", Role::Staff, "h", "t").unwrap();
        let id = s.user("a").unwrap().unwrap().id;
        s.create_session(id, "idle", "c", 10).unwrap();
        s.create_session(id, "fresh", "c", 100).unwrap();
        assert_eq!(s.prune_sessions(50, 0).unwrap(), 1);
        assert!(s.session("idle").unwrap().is_none());
        assert!(s.session("fresh").unwrap().is_some());
    }
}
