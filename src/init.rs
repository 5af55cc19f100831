//! `narisumashi init [DIR]` (issue 8): a commented starter `narisumashi.toml` (every key, its
//! default and meaning), an example candidates file and the folder layout, so a new city starts
//! from something that passes `config check`. It never overwrites an existing file.

use crate::fsutil::{self, Access};
use anyhow::{Context, Result};
use std::path::Path;

/// The starter config.
pub const STARTER_CONFIG: &str = include_str!("init/narisumashi.toml");
/// The example candidates file.
pub const EXAMPLE_CANDIDATES: &str = include_str!("init/candidates.jsonl");

/// Writes the starter files into `dir`; returns one line per thing done or kept.
pub fn run(dir: &Path) -> Result<Vec<String>> {
    let mut done = Vec::new();
    fsutil::create_dir(dir, Access::Public)?;
    for (name, access) in [
        ("avatars", Access::Public),
        ("public", Access::Public),
        ("review", Access::Private),
    ] {
        let p = dir.join(name);
        if p.exists() {
            done.push(format!("kept existing {}", p.display()));
        } else {
            fsutil::create_dir(&p, access)?;
            done.push(format!("created folder {}", p.display()));
        }
    }
    for (name, text) in [
        ("narisumashi.toml", STARTER_CONFIG),
        ("candidates.jsonl", EXAMPLE_CANDIDATES),
    ] {
        let p = dir.join(name);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        match opts.open(&p) {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())
                    .and_then(|_| f.sync_all())
                    .with_context(|| format!("cannot write {}", p.display()))?;
                done.push(format!("wrote {}", p.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                done.push(format!("kept existing {} (not overwritten)", p.display()));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", p.display())),
        }
    }
    done.push(format!(
        "next: edit {}, then run `narisumashi --config {} config check`",
        dir.join("narisumashi.toml").display(),
        dir.join("narisumashi.toml").display()
    ));
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config_check;

    #[test]
    fn starter_parses_and_passes_config_check() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path()).unwrap();
        let path = dir.path().join("narisumashi.toml");
        Config::load(&path).unwrap();
        let problems = config_check::check_file(&path);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("narisumashi.toml"), "mine").unwrap();
        let done = run(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("narisumashi.toml")).unwrap(),
            "mine"
        );
        assert!(done.iter().any(|l| l.contains("not overwritten")));
        assert!(dir.path().join("candidates.jsonl").exists());
    }

    /// Every key of every table is in the starter, active or as `# key = value`; with the
    /// commented ones uncommented it still parses (so they are real keys with valid values).
    #[test]
    fn starter_lists_every_key() {
        let mut table = String::new();
        let mut found: Vec<(String, String)> = Vec::new();
        let mut uncommented = String::new();
        for line in STARTER_CONFIG.lines() {
            let t = line.trim_start();
            if let Some(h) = t.strip_prefix('[') {
                table = h.trim_matches(|c| c == '[' || c == ']').to_string();
                found.push((String::new(), table.clone()));
            }
            let active = t.split_once(" = ").map(|(k, _)| k.to_string());
            let commented = t
                .strip_prefix("# ")
                .and_then(|r| r.split_once(" = "))
                .map(|(k, _)| k.to_string())
                .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            if let Some(k) = active.filter(|k| !k.starts_with('#')).or(commented.clone()) {
                found.push((table.clone(), k));
            }
            if commented.is_some() {
                uncommented.push_str(&t[2..]);
            } else {
                uncommented.push_str(line);
            }
            uncommented.push('\n');
        }
        for (name, keys) in config_check::all_keys() {
            for k in keys {
                let want = if name.is_empty() {
                    (String::new(), k.to_string())
                } else {
                    (name.to_string(), k.to_string())
                };
                if name == "allow" || *k == "allow" {
                    continue; // shown commented as a whole table
                }
                assert!(found.contains(&want), "starter lacks [{name}] {k}");
            }
        }
        Config::parse(&uncommented, Path::new(".")).unwrap();
        // Every platform-source key is accepted by the struct.
        let all = config_check::source_keys(crate::config::SourceKind::Mastodon);
        let mut src = String::from(
            "[organization]\nname=\"a\"\ndepartment=\"b\"\nwebsite=\"https://a.jp/\"\n[[source]]\n",
        );
        for k in all {
            src.push_str(&match k {
                "kind" => "kind = \"mastodon\"\n".to_string(),
                "instance" | "base_url" => format!("{k} = \"https://m.example\"\n"),
                "token_env" => "token_env = \"T\"\n".into(),
                "queries" => "queries = [\"a\"]\n".into(),
                "search" => "search = true\n".into(),
                "max_wait_secs" => "max_wait_secs = 1.0\n".into(),
                _ => format!("{k} = 1\n"),
            });
        }
        Config::parse(&src, Path::new(".")).unwrap();
    }
}
