//! The command line: clap types (what the user typed) and `run`, which builds the context once
//! and dispatches. Exit codes are listed in [`ExitCode`] and the README.

use crate::check::{self, CheckRequest};
use crate::config::Config;
use crate::errors;
use crate::model::{Platform, VerdictKind};
use crate::review::{self, ReportFormat};
use crate::scan::{self, Context};
use crate::store::{Status, Store};
use crate::{outln, sayln};
use crate::{publish, wareki};
use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Exit statuses (documented in the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success; for `check`, the account is clear or official.
    Ok = 0,
    /// A runtime error (database, files, network) stopped the command.
    Error = 1,
    /// Bad usage or an invalid config.
    Usage = 2,
    /// `check`: the account is a suspect.
    Suspect = 3,
    /// `check`: the account was not found through the configured sources.
    NotFound = 4,
    /// `scan` finished and recorded its results, but some source or avatar failed.
    Partial = 5,
    /// `sources check`: at least one source is unhealthy.
    Unhealthy = 6,
    /// `scan --exit-new-suspects`: the scan recorded at least one new suspect (opt-in, for
    /// scripts; it takes precedence over 5).
    NewSuspects = 7,
}

#[derive(Parser, Debug)]
#[command(
    name = "narisumashi",
    version,
    about = "Watches for accounts impersonating a municipality's official social-media accounts"
)]
pub struct Cli {
    /// The config file.
    #[arg(
        long,
        global = true,
        env = "NARISUMASHI_CONFIG",
        default_value = "narisumashi.toml"
    )]
    pub config: PathBuf,
    /// Print only errors and what a command exists to print (lists, JSON, reports).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// More diagnostics on stderr: -v for info, -vv for debug.
    #[arg(long = "verbose", short = 'v', action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Also append diagnostics to this file (created owner-only).
    #[arg(long, global = true, env = "NARISUMASHI_LOG_FILE")]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Discover candidates from every source, score them and record suspects.
    Scan {
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
        /// Exit with status 7 when the scan recorded new suspects (for scripts).
        #[arg(long)]
        exit_new_suspects: bool,
    },
    /// Write a commented starter narisumashi.toml, an example candidates file and the folders
    /// into DIR (default: the current folder). Never overwrites a file.
    Init { dir: Option<PathBuf> },
    /// Check the config file.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Copy the database consistently (SQLite online backup), safe while scans run.
    Backup {
        /// The file to write (replaced atomically; created owner-only).
        path: PathBuf,
    },
    /// Print everything held about one account, as JSON (for a disclosure request).
    Export {
        platform: Platform,
        /// The handle, with or without @.
        handle: String,
    },
    /// Erase what is held about one account (an erasure request), keeping only what a
    /// confirmed impostor case must keep; says what was kept and why.
    Forget {
        platform: Platform,
        /// The handle, with or without @.
        handle: String,
        /// Who handled the request (default: the OS user).
        #[arg(long)]
        by: Option<String>,
    },
    /// Give a verdict on one account.
    Check {
        /// The handle, with or without @.
        handle: String,
        #[arg(long)]
        platform: Option<Platform>,
        #[arg(long)]
        display_name: Option<String>,
        /// A local image path or an http(s) URL.
        #[arg(long)]
        avatar: Option<String>,
        #[arg(long)]
        bio: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Review recorded suspects.
    Suspects {
        #[command(subcommand)]
        command: SuspectsCommand,
    },
    /// Test the configured sources.
    Sources {
        #[command(subcommand)]
        command: SourcesCommand,
    },
    /// Measure the detector on a labelled set (JSON Lines from scripts/gen_eval.py).
    Eval {
        /// The labelled accounts: candidates plus `label` and `kind`.
        labels: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Also write each account's detector features, as JSON Lines, to this file (for
        /// fitting the combination with scripts/fit_detector.py).
        #[arg(long)]
        features: Option<PathBuf>,
    },
    /// Maintenance: build the avatar background data (`data/background.bin` and
    /// `data/background_local.bin`) from a folder of images (scripts/gen_background.sh).
    #[command(hide = true)]
    Background {
        /// Folder of images (PNG/JPEG), read in name order.
        dir: PathBuf,
        /// Output file of the fine descriptors.
        #[arg(long)]
        out: PathBuf,
        /// Output file of the corners (default: `background_local.bin` beside `--out`).
        #[arg(long)]
        local_out: Option<PathBuf>,
    },
    /// Write the public notice, the official-accounts pages and the internal review page.
    Publish {
        /// Output folder (default: `[publish] out_dir`, relative to the config).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folder for the internal review.html (default: `[publish] review_dir`).
        #[arg(long)]
        review_out: Option<PathBuf>,
    },
    /// Print a takedown-request draft and an internal report for a confirmed impostor.
    Report {
        id: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Manage who may log in to `serve` (passwords are read from standard input, one line).
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Serve the review queue in the browser (plain HTTP: put TLS in a reverse proxy).
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = crate::serve::DEFAULT_LISTEN)]
        listen: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user; the password is read from standard input (one line).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: crate::store::Role,
    },
    /// List the users and their roles.
    List,
    /// Remove a user (their sessions end; the audit log keeps their name).
    Remove { name: String },
    /// Set a new password, read from standard input (one line); the user's sessions end.
    Passwd { name: String },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Report every problem of the config at once (file:line:column), exit 2 if any.
    Check,
}

#[derive(Subcommand, Debug)]
pub enum SourcesCommand {
    /// Look up the official accounts and a handle that cannot exist on every source; report
    /// reachability, authentication and rate-limit headroom. Exits 6 if any source is unhealthy.
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SuspectsCommand {
    /// List suspects, highest score first.
    List {
        #[arg(long)]
        status: Option<Status>,
        #[arg(long)]
        json: bool,
    },
    /// Confirm that a suspect is an impostor (it appears on the public notice once approved).
    Confirm(Transition),
    /// Approve a confirmed impostor for the public pages (決裁); by someone other than the
    /// confirmer unless `[review] separate_approver = false`.
    Approve(Approval),
    /// Dismiss a suspect as innocent.
    Dismiss(Transition),
    /// Print a suspect, its evidence and its history.
    Show { id: i64 },
    /// Record that a confirmed impostor was reported to the platform.
    Report(Transition),
    /// Record that an impostor is gone from the platform.
    Removed(Transition),
    /// Withdraw a published impostor found innocent (the notice then carries a correction).
    Withdraw(Withdrawal),
    /// Record what staff know of an impostor (how it lures people), shown on the notice.
    Describe(Description),
    /// Export every suspect as CSV for Excel (UTF-8 with BOM).
    Export {
        /// The CSV file to write.
        #[arg(long)]
        csv: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct Withdrawal {
    pub id: i64,
    /// Why it was found innocent (required; kept in the audit log).
    #[arg(long)]
    pub note: String,
    /// Who made the decision (default: the OS user).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct Approval {
    pub id: i64,
    /// Who approves (required: the audit log names the approver).
    #[arg(long)]
    pub by: String,
    /// e.g. the number of the 決裁 document.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct Description {
    pub id: i64,
    /// How the impostor lures people, e.g. prize-campaign DMs (empty clears it).
    #[arg(long)]
    pub text: String,
    /// Who wrote it (default: the OS user).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct Transition {
    pub id: i64,
    #[arg(long)]
    pub note: Option<String>,
    /// Who made the decision (default: the OS user).
    #[arg(long)]
    pub by: Option<String>,
}

/// A failure with the exit code it should produce.
#[derive(Debug, thiserror::Error)]
#[error("{0:#}")]
pub struct Failure(pub anyhow::Error, pub ExitCode);

fn usage(e: anyhow::Error) -> Failure {
    Failure(e, ExitCode::Usage)
}

fn runtime(e: anyhow::Error) -> Failure {
    fail(e, None)
}

/// The exit code an error's type decides (see [`errors::kind`]); an SQLite error is made to
/// name the database file.
fn fail(e: anyhow::Error, db: Option<&Path>) -> Failure {
    let e = match db {
        Some(db) => errors::name_database(e, db),
        None => e,
    };
    let code = match errors::kind(&e) {
        errors::Kind::Usage => ExitCode::Usage,
        errors::Kind::Runtime => ExitCode::Error,
    };
    Failure(e, code)
}

/// How a command uses the database.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Write,
    /// Never writes: works on a read-only database.
    Read,
    /// Writes when it can (offline `check` caches avatar hashes).
    PreferWrite,
}

fn load_config(cli: &Cli) -> Result<Config, Failure> {
    Config::load(&cli.config).map_err(|e| fail(e, None))
}

fn open_store(config: &Config, access: Access) -> Result<Store, Failure> {
    let db = config.database_path();
    let timeout = config.storage.busy_timeout();
    match access {
        Access::Write => Store::open_with(&db, timeout),
        Access::Read => Store::open_read_only(&db, timeout),
        Access::PreferWrite => Store::open_preferring_write(&db, timeout),
    }
    .map_err(|e| fail(e, Some(&db)))
}

/// A refusal of the workflow is the user's to fix (2); a failure is the program's (1).
fn review_failure(e: review::ReviewError) -> Failure {
    match e {
        review::ReviewError::Failed(e) => runtime(e),
        refused => usage(refused.into()),
    }
}

fn context(cli: &Cli) -> Result<Context, Failure> {
    context_with(cli, Access::Write)
}

fn context_with(cli: &Cli, access: Access) -> Result<Context, Failure> {
    let config = load_config(cli)?;
    let store = open_store(&config, access)?;
    Ok(Context::new(config, store))
}

fn actor(by: &Option<String>) -> String {
    by.clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| runtime(e.into()))?
    );
    Ok(())
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    crate::output::set_quiet(cli.quiet);
    match &cli.command {
        Command::Scan {
            json,
            exit_new_suspects,
        } => scan_command(&cli, *json, *exit_new_suspects).await,
        Command::Init { dir } => {
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from("."));
            let done = crate::init::run(&dir).map_err(runtime)?;
            for line in done {
                sayln!("{line}");
            }
            Ok(ExitCode::Ok)
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => {
            let problems = crate::config_check::check_file(&cli.config);
            if problems.is_empty() {
                sayln!("{}: no problems found", cli.config.display());
                Ok(ExitCode::Ok)
            } else {
                for p in &problems {
                    outln!("{p}");
                }
                eprintln!(
                    "narisumashi: {} problem(s) in {}",
                    problems.len(),
                    cli.config.display()
                );
                Ok(ExitCode::Usage)
            }
        }
        Command::Backup { path } => {
            let ctx = context_with(&cli, Access::Read)?;
            let db = ctx.config.database_path();
            ctx.store.backup_to(path).map_err(|e| fail(e, Some(&db)))?;
            sayln!("backed up {} to {}", db.display(), path.display());
            Ok(ExitCode::Ok)
        }
        Command::Export { platform, handle } => {
            let ctx = context_with(&cli, Access::Read)?;
            let db = ctx.config.database_path();
            let data = ctx
                .store
                .account_data(*platform, handle)
                .map_err(|e| fail(e, Some(&db)))?;
            if data.is_empty() {
                eprintln!(
                    "narisumashi: nothing is held about {platform} @{}",
                    crate::model::canonical_handle(handle)
                );
            }
            print_json(&data)?;
            Ok(ExitCode::Ok)
        }
        Command::Forget {
            platform,
            handle,
            by,
        } => {
            let mut ctx = context(&cli)?;
            let db = ctx.config.database_path();
            let done = ctx
                .store
                .forget(*platform, handle, &actor(by), &wareki::now())
                .map_err(|e| fail(e, Some(&db)))?;
            outln!(
                "{platform} @{}: {}",
                crate::render::visible(&crate::model::canonical_handle(handle), 80),
                done.summary()
            );
            Ok(ExitCode::Ok)
        }
        Command::Check {
            handle,
            platform,
            display_name,
            avatar,
            bio,
            json,
        } => {
            let ctx = context_with(&cli, Access::PreferWrite)?;
            let report = check::run(
                &ctx,
                CheckRequest {
                    handle: handle.clone(),
                    platform: *platform,
                    display_name: display_name.clone(),
                    avatar: avatar.clone(),
                    bio: bio.clone(),
                },
            )
            .await
            .map_err(runtime)?;
            if *json {
                print_json(&report)?;
            } else {
                outln!(
                    "{} @{}: {} (score {:.2})",
                    report.platform,
                    report.handle,
                    report.verdict.as_str(),
                    report.score
                );
                if let Some(m) = &report.matched {
                    outln!("  resembles {} @{}", m.platform, m.handle);
                }
                for r in &report.reasons {
                    outln!("  - {r}");
                }
            }
            Ok(match report.verdict {
                VerdictKind::Official | VerdictKind::Clear => ExitCode::Ok,
                VerdictKind::Suspect => ExitCode::Suspect,
                VerdictKind::NotFound => ExitCode::NotFound,
            })
        }
        Command::Suspects { command } => {
            let access = match command {
                SuspectsCommand::List { .. }
                | SuspectsCommand::Show { .. }
                | SuspectsCommand::Export { .. } => Access::Read,
                _ => Access::Write,
            };
            let mut ctx = context_with(&cli, access)?;
            let db = ctx.config.database_path();
            suspects(&mut ctx, command).map_err(|Failure(e, code)| {
                let Failure(e, _) = fail(e, Some(&db));
                Failure(e, code)
            })?;
            Ok(ExitCode::Ok)
        }
        Command::Sources {
            command: SourcesCommand::Check { json },
        } => sources_check(&cli, *json).await,
        Command::Background {
            dir,
            out,
            local_out,
        } => {
            let (fine, corners, n) = crate::avatar::background_file(dir).map_err(usage)?;
            let local_out = local_out
                .clone()
                .unwrap_or_else(|| out.with_file_name("background_local.bin"));
            for (path, bytes) in [(out, fine), (&local_out, corners)] {
                std::fs::write(path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))
                    .map_err(runtime)?;
            }
            eprintln!(
                "wrote {n} background descriptors to {} and their corners to {}",
                out.display(),
                local_out.display()
            );
            Ok(ExitCode::Ok)
        }
        Command::Eval {
            labels,
            json,
            features,
        } => {
            let config = load_config(&cli)?;
            let report = crate::eval::run(&config, labels, features.as_deref()).map_err(usage)?;
            if *json {
                print_json(&report)?;
            } else {
                crate::out!("{}", crate::eval::render_text(&report));
            }
            Ok(ExitCode::Ok)
        }
        Command::Publish { out, review_out } => {
            let ctx = context_with(&cli, Access::Read)?;
            let dir = match out {
                Some(d) => d.clone(),
                None => ctx.config.resolve(&ctx.config.publish.out_dir),
            };
            let review_dir = match review_out {
                Some(d) => d.clone(),
                None => ctx.config.resolve(&ctx.config.publish.review_dir),
            };
            let db = ctx.config.database_path();
            let done = publish::run(&ctx, &dir, &review_dir, &wareki::now())
                .await
                .map_err(|e| fail(e, Some(&db)))?;
            for w in &done.warnings {
                eprintln!("narisumashi: warning: {w}");
            }
            for path in &done.public {
                sayln!("wrote {}", path.display());
            }
            sayln!("wrote {} (internal, do not publish)", done.review.display());
            Ok(ExitCode::Ok)
        }
        Command::Report { id, format } => {
            let ctx = context_with(&cli, Access::Read)?;
            let db = ctx.config.database_path();
            let text = review::report(&ctx.config, &ctx.store, *id, *format)
                .map_err(|e| fail(e, Some(&db)))?;
            crate::out!("{text}");
            Ok(ExitCode::Ok)
        }
        Command::Users { command } => {
            let mut ctx = context(&cli)?;
            users(&mut ctx.store, command)?;
            Ok(ExitCode::Ok)
        }
        Command::Serve { listen } => {
            let ctx = context(&cli)?;
            crate::serve::run(ctx.config, ctx.store, listen)
                .await
                .map_err(runtime)?;
            Ok(ExitCode::Ok)
        }
    }
}

/// One line of standard input: the password of `users add` and `users passwd`.
fn password_from_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    let n = std::io::stdin().read_line(&mut line).map_err(|e| {
        usage(anyhow::anyhow!(
            "cannot read the password from standard input: {e}"
        ))
    })?;
    if n == 0 {
        return Err(usage(anyhow::anyhow!(
            "no password on standard input (give it as one line, e.g. from a password manager)"
        )));
    }
    crate::users::password_from_line(&line).map_err(usage)
}

fn users(store: &mut Store, command: &UsersCommand) -> Result<(), Failure> {
    let now = wareki::now();
    match command {
        UsersCommand::Add { name, role } => {
            crate::users::check_name(name).map_err(usage)?;
            let password = password_from_stdin()?;
            crate::users::add(store, name, *role, &password, &now).map_err(usage)?;
            println!("added {name} ({role})");
        }
        UsersCommand::List => {
            print!(
                "{}",
                crate::users::render_list(&store.users().map_err(runtime)?)
            );
        }
        UsersCommand::Remove { name } => {
            store.remove_user(name).map_err(usage)?;
            println!("removed {name}");
        }
        UsersCommand::Passwd { name } => {
            if store.user(name).map_err(runtime)?.is_none() {
                return Err(usage(anyhow::anyhow!("no user named {name}")));
            }
            let password = password_from_stdin()?;
            crate::users::passwd(store, name, &password, &now).map_err(usage)?;
            println!("password of {name} changed; their sessions have ended");
        }
    }
    Ok(())
}

/// `sources check`: needs the config and the network, not the database.
async fn sources_check(cli: &Cli, json: bool) -> Result<ExitCode, Failure> {
    let config = load_config(cli)?;
    let client = crate::http::client(&config.network);
    let report = crate::sources::health::check_all(&config, &client).await;
    if json {
        print_json(&report)?;
    } else {
        crate::out!("{}", crate::sources::health::render(&report));
    }
    Ok(if report.iter().all(|h| h.healthy) {
        ExitCode::Ok
    } else {
        ExitCode::Unhealthy
    })
}

fn suspects(ctx: &mut Context, command: &SuspectsCommand) -> Result<(), Failure> {
    match command {
        SuspectsCommand::List { status, json } => {
            let list = ctx.store.suspects(*status).map_err(runtime)?;
            if *json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.id, "platform": s.platform, "handle": s.handle,
                            "display_name": s.display_name, "status": s.status, "score": s.score,
                            "matched": s.matched, "first_seen": s.first_seen, "last_seen": s.last_seen,
                            "approval": s.approval,
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else if list.is_empty() {
                outln!("no suspects");
            } else {
                outln!(
                    "{:>4}  {:<9}  {:<9}  {:>5}  {:<24}  resembles",
                    "id",
                    "status",
                    "platform",
                    "score",
                    "handle"
                );
                for s in &list {
                    let matched = s
                        .matched
                        .as_ref()
                        .map(|m| format!("{} @{}", m.platform, m.handle))
                        .unwrap_or_default();
                    outln!(
                        "{:>4}  {:<9}  {:<9}  {:>5.2}  @{:<23}  {matched}",
                        s.id,
                        s.status.as_str(),
                        s.platform.as_str(),
                        s.score,
                        crate::render::visible(&s.handle, 80)
                    );
                }
            }
        }
        SuspectsCommand::Confirm(t) | SuspectsCommand::Dismiss(t) => {
            let to = if matches!(command, SuspectsCommand::Confirm(_)) {
                Status::Confirmed
            } else {
                Status::Dismissed
            };
            let rec = ctx
                .store
                .set_status(t.id, to, &actor(&t.by), t.note.as_deref(), &wareki::now())
                .with_context(|| {
                    format!(
                        "cannot {} suspect {}",
                        if to == Status::Confirmed {
                            "confirm"
                        } else {
                            "dismiss"
                        },
                        t.id
                    )
                })
                .map_err(runtime)?;
            outln!(
                "suspect {} (@{} on {}) is now {}",
                rec.id,
                crate::render::visible(&rec.handle, 80),
                rec.platform,
                rec.status
            );
            if review::awaiting_approval(&ctx.config, &rec) {
                outln!(
                    "  it goes on the public pages once approved: narisumashi suspects approve {} --by NAME{}",
                    rec.id,
                    if ctx.config.review.separate_approver {
                        " (someone other than the confirmer)"
                    } else {
                        ""
                    }
                );
            }
        }
        SuspectsCommand::Approve(a) => {
            review::approve(&ctx.store, &ctx.config, a.id, &a.by, a.note.as_deref())
                .map_err(review_failure)?;
            let rec = ctx.store.suspect(a.id).map_err(runtime)?;
            outln!(
                "suspect {} (@{} on {}) is approved by {}; `narisumashi publish` puts it on the public pages",
                rec.id,
                crate::render::visible(&rec.handle, 80),
                rec.platform,
                crate::render::visible(&a.by, 80)
            );
        }
        SuspectsCommand::Show { id } => {
            crate::out!("{}", review::show(&ctx.store, *id).map_err(runtime)?);
        }
        SuspectsCommand::Report(t) | SuspectsCommand::Removed(t) => {
            let to = if matches!(command, SuspectsCommand::Report(_)) {
                Status::Reported
            } else {
                Status::Removed
            };
            let rec = review::transition(
                &ctx.store,
                t.id,
                to,
                &actor(&t.by),
                t.note.as_deref(),
                &wareki::now(),
            )
            .map_err(runtime)?;
            print_changed(&rec);
        }
        SuspectsCommand::Withdraw(w) => {
            let rec = review::withdraw(&ctx.store, &ctx.config, w.id, &actor(&w.by), &w.note)
                .map_err(review_failure)?;
            print_changed(&rec);
        }
        SuspectsCommand::Describe(d) => {
            let rec = review::describe(&ctx.store, d.id, &d.text, &actor(&d.by), &wareki::now())
                .map_err(runtime)?;
            outln!(
                "suspect {} (@{} on {}): description {}",
                rec.id,
                crate::render::visible(&rec.handle, 80),
                rec.platform,
                if rec.description.is_some() {
                    "saved"
                } else {
                    "cleared"
                }
            );
        }
        SuspectsCommand::Export { csv } => {
            let bytes = review::export_csv(&ctx.store).map_err(runtime)?;
            let dir = csv
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let name = csv
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| usage(anyhow::anyhow!("--csv needs a file name")))?;
            let path = publish::write_private(dir, name, &bytes).map_err(runtime)?;
            sayln!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn print_changed(rec: &crate::store::SuspectRecord) {
    outln!(
        "suspect {} (@{} on {}) is now {}",
        rec.id,
        crate::render::visible(&rec.handle, 80),
        rec.platform,
        rec.status
    );
}

/// `scan`: one at a time (the scan lock), then the retention purge, then the output: JSON, the
/// full summary on a terminal, or the cron summary (nothing when nothing happened).
async fn scan_command(cli: &Cli, json: bool, exit_new: bool) -> Result<ExitCode, Failure> {
    let config = load_config(cli)?;
    let db = config.database_path();
    let lock = crate::scan_lock::acquire(&db, &wareki::now()).map_err(runtime)?;
    tracing::debug!("holding the scan lock {}", lock.path().display());
    let store = open_store(&config, Access::Write)?;
    let mut ctx = Context::new(config, store);
    let mut report = scan::run(&mut ctx).await.map_err(|e| fail(e, Some(&db)))?;
    tracing::info!(
        scan = report.scan_id,
        candidates = report.candidates,
        suspects = report.suspects.len(),
        new = report.suspects.iter().filter(|s| s.new).count(),
        removed = report.removals.len(),
        errors = report.errors.len(),
        "scan recorded in {}",
        db.display()
    );
    for e in &report.errors {
        tracing::warn!("scan {}: {e}", report.scan_id);
    }
    let retention = ctx.config.storage.retention_days;
    match ctx.store.purge_observations(&wareki::now(), retention) {
        Ok(p) if p.observations > 0 => tracing::info!(
            purged = p.observations,
            "retention: observations older than {retention} days of accounts that never became suspects deleted"
        ),
        Ok(_) => {}
        Err(e) => report.errors.push(format!(
            "retention purge in {}: {e:#}",
            db.display()
        )),
    }
    if json {
        print_json(&report)?;
    } else if cli.quiet {
    } else if std::io::stdout().is_terminal() {
        print_scan_summary(&report);
    } else {
        let changed = ctx
            .store
            .changed_in_scan(report.scan_id)
            .map_err(|e| fail(e, Some(&db)))?;
        crate::out!("{}", crate::summary::render(&report, &changed));
    }
    let new = report.suspects.iter().any(|s| s.new);
    Ok(if exit_new && new {
        ExitCode::NewSuspects
    } else if report.errors.is_empty() {
        ExitCode::Ok
    } else {
        ExitCode::Partial
    })
}

fn print_scan_summary(r: &scan::ScanReport) {
    let new = r.suspects.iter().filter(|s| s.new).count();
    outln!(
        "scan {}: {} candidates, {} suspects ({} new), {} errors",
        r.scan_id,
        r.candidates,
        r.suspects.len(),
        new,
        r.errors.len()
    );
    for s in &r.suspects {
        let matched = s
            .matched
            .as_ref()
            .map(|m| format!(" → {} @{}", m.platform, m.handle))
            .unwrap_or_default();
        outln!(
            "  {} {} @{} score {:.2}{matched}",
            if s.new { "NEW" } else { "   " },
            s.platform,
            s.handle,
            s.score
        );
        if let Some(first) = s.reasons.first() {
            outln!("      {first}");
        }
    }
    for m in &r.removals {
        outln!(
            "  REMOVED suspect {}: {} @{} is gone from the platform",
            m.id,
            m.platform,
            m.handle
        );
    }
    for e in &r.errors {
        outln!("  error: {e}");
    }
}
