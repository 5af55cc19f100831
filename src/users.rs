//! The people who use `narisumashi serve` (issue 11): `users add/list/remove/passwd`, name and
//! password rules, and argon2id password hashes (PHC strings, a random salt each). The SQL is
//! in `crate::store`; reading the password from standard input is `crate::cli`'s job.

use crate::store::{Role, Store, UserRecord};
use anyhow::{anyhow, bail, Result};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted, in bytes (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// A user name: it is written into the audit log, so no spaces, no control, invisible or
/// bidi characters, nothing that could be mistaken for another name.
pub fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        bail!("a user name has 1 to {MAX_NAME_CHARS} characters");
    }
    if let Some(c) = name.chars().find(|&c| {
        c.is_whitespace()
            || c.is_control()
            || crate::detect::normalize::is_invisible(c)
            || crate::detect::normalize::is_bidi_control(c)
    }) {
        bail!(
            "a user name must not contain spaces or hidden characters (found U+{:04X})",
            c as u32
        );
    }
    Ok(())
}

/// The password rules.
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password needs at least {MIN_PASSWORD_CHARS} characters");
    }
    if password.len() > MAX_PASSWORD_BYTES {
        bail!("the password is longer than {MAX_PASSWORD_BYTES} bytes");
    }
    Ok(())
}

/// The password from one line of input: the line end is dropped, nothing else.
pub fn password_from_line(line: &str) -> Result<String> {
    let p = line.strip_suffix('\n').unwrap_or(line);
    let p = p.strip_suffix('\r').unwrap_or(p);
    if p.contains('\n') {
        bail!("the password must be one line");
    }
    check_password(p)?;
    Ok(p.to_string())
}

/// An argon2id hash (PHC string) of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

/// Whether `password` matches a stored PHC string. A damaged hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A valid hash of no one's password, to spend the same time on unknown user names.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// `users add NAME --role R`.
pub fn add(store: &Store, name: &str, role: Role, password: &str, at: &str) -> Result<()> {
    check_name(name)?;
    check_password(password)?;
    store.add_user(name, role, &hash_password(password)?, at)
}

/// `users passwd NAME`: a new password; the user's sessions end.
pub fn passwd(store: &mut Store, name: &str, password: &str, at: &str) -> Result<()> {
    check_password(password)?;
    if store.user(name)?.is_none() {
        bail!("no user named {name}");
    }
    store.set_password(name, &hash_password(password)?, at)
}

/// `users list`, as text.
pub fn render_list(users: &[UserRecord]) -> String {
    if users.is_empty() {
        return "no users (add one with `narisumashi users add NAME --role staff|approver`)\n"
            .into();
    }
    let mut out = format!("{:<24}  {:<8}  {}\n", "name", "role", "created");
    for u in users {
        out.push_str(&format!(
            "{:<24}  {:<8}  {}\n",
            crate::render::visible(&u.name, 64),
            u.role.as_str(),
            u.created_at
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsE", &a));
        assert!(!verify_password("correct horse", "not a hash"));
        assert!(!verify_password("x", dummy_hash()));
    }

    #[test]
    fn names_and_passwords_are_checked() {
        assert!(check_name("sato.k").is_ok());
        assert!(check_name("佐藤").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("sa to").is_err());
        assert!(check_name("sato\u{202E}").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
        assert_eq!(password_from_line("s3cret pw\r\n").unwrap(), "s3cret pw");
        assert_eq!(password_from_line(" spaced  \n").unwrap(), " spaced  ");
        assert!(password_from_line("short\n").is_err());
    }

    #[test]
    fn add_passwd_and_list() {
        let mut s = Store::open_in_memory().unwrap();
        add(&s, "sato", Role::Staff, "first password", "t0").unwrap();
        assert!(add(&s, "sato", Role::Staff, "first password", "t0").is_err());
        let u = s.user("sato").unwrap().unwrap();
        assert!(verify_password("first password", &u.password));
        passwd(&mut s, "sato", "second password", "t1").unwrap();
        let u = s.user("sato").unwrap().unwrap();
        assert!(verify_password("second password", &u.password));
        assert!(!verify_password("first password", &u.password));
        assert!(passwd(&mut s, "nobody", "second password", "t1").is_err());
        let list = render_list(&s.users().unwrap());
        assert!(list.contains("sato") && list.contains("staff"), "{list}");
        assert!(!list.contains("argon2"), "hashes are never printed");
    }
}
