//! The command line: clap types (what the user typed) and `run`, which builds the context once
//! and dispatches. Exit codes are listed in [`ExitCode`] and the README.

use crate::check::{self, CheckRequest};
use crate::config::Config;
use crate::model::{Platform, VerdictKind};
use crate::review::{self, ReportFormat};
use crate::scan::{self, Context};
use crate::store::{Status, Store};
use crate::{publish, wareki};
use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
    Failure(e, ExitCode::Error)
}

/// A refusal of the workflow is the user's to fix (2); a failure is the program's (1).
fn review_failure(e: review::ReviewError) -> Failure {
    match e {
        review::ReviewError::Failed(e) => runtime(e),
        refused => usage(refused.into()),
    }
}

fn context(cli: &Cli) -> Result<Context, Failure> {
    let config = Config::load(&cli.config).map_err(usage)?;
    let store = Store::open(&config.database_path()).map_err(runtime)?;
    Ok(Context::new(config, store))
}

fn actor(by: &Option<String>) -> String {
    by.clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| runtime(e.into()))?
    );
    Ok(())
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match &cli.command {
        Command::Scan { json } => {
            let mut ctx = context(&cli)?;
            let report = scan::run(&mut ctx).await.map_err(runtime)?;
            if *json {
                print_json(&report)?;
            } else {
                print_scan_summary(&report);
            }
            Ok(if report.errors.is_empty() {
                ExitCode::Ok
            } else {
                ExitCode::Partial
            })
        }
        Command::Check {
            handle,
            platform,
            display_name,
            avatar,
            bio,
            json,
        } => {
            let ctx = context(&cli)?;
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
                println!(
                    "{} @{}: {} (score {:.2})",
                    report.platform,
                    report.handle,
                    report.verdict.as_str(),
                    report.score
                );
                if let Some(m) = &report.matched {
                    println!("  resembles {} @{}", m.platform, m.handle);
                }
                for r in &report.reasons {
                    println!("  - {r}");
                }
            }
            Ok(match report.verdict {
                VerdictKind::Official | VerdictKind::Clear => ExitCode::Ok,
                VerdictKind::Suspect => ExitCode::Suspect,
                VerdictKind::NotFound => ExitCode::NotFound,
            })
        }
        Command::Suspects { command } => {
            let mut ctx = context(&cli)?;
            suspects(&mut ctx, command)?;
            Ok(ExitCode::Ok)
        }
        Command::Sources {
            command: SourcesCommand::Check { json },
        } => sources_check(&cli, *json).await,
        Command::Eval { labels, json } => {
            let config = Config::load(&cli.config).map_err(usage)?;
            let report = crate::eval::run(&config, labels).map_err(usage)?;
            if *json {
                print_json(&report)?;
            } else {
                print!("{}", crate::eval::render_text(&report));
            }
            Ok(ExitCode::Ok)
        }
        Command::Publish { out, review_out } => {
            let ctx = context(&cli)?;
            let dir = match out {
                Some(d) => d.clone(),
                None => ctx.config.resolve(&ctx.config.publish.out_dir),
            };
            let review_dir = match review_out {
                Some(d) => d.clone(),
                None => ctx.config.resolve(&ctx.config.publish.review_dir),
            };
            let done = publish::run(&ctx, &dir, &review_dir, &wareki::now())
                .await
                .map_err(runtime)?;
            for w in &done.warnings {
                eprintln!("narisumashi: warning: {w}");
            }
            for path in &done.public {
                println!("wrote {}", path.display());
            }
            println!("wrote {} (internal, do not publish)", done.review.display());
            Ok(ExitCode::Ok)
        }
        Command::Report { id, format } => {
            let ctx = context(&cli)?;
            let text = review::report(&ctx.config, &ctx.store, *id, *format).map_err(usage)?;
            print!("{text}");
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
    let config = Config::load(&cli.config).map_err(usage)?;
    let client = crate::http::client(&config.network);
    let report = crate::sources::health::check_all(&config, &client).await;
    if json {
        print_json(&report)?;
    } else {
        print!("{}", crate::sources::health::render(&report));
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
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else if list.is_empty() {
                println!("no suspects");
            } else {
                println!(
                    "{:>4}  {:<9}  {:<9}  {:>5}  {:<24}  resembles",
                    "id", "status", "platform", "score", "handle"
                );
                for s in &list {
                    let matched = s
                        .matched
                        .as_ref()
                        .map(|m| format!("{} @{}", m.platform, m.handle))
                        .unwrap_or_default();
                    println!(
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
                .map_err(usage)?;
            println!(
                "suspect {} (@{} on {}) is now {}",
                rec.id,
                crate::render::visible(&rec.handle, 80),
                rec.platform,
                rec.status
            );
            if review::awaiting_approval(&ctx.config, &rec) {
                println!(
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
            println!(
                "suspect {} (@{} on {}) is approved by {}; `narisumashi publish` puts it on the public pages",
                rec.id,
                crate::render::visible(&rec.handle, 80),
                rec.platform,
                crate::render::visible(&a.by, 80)
            );
        }
        SuspectsCommand::Show { id } => {
            print!("{}", review::show(&ctx.store, *id).map_err(usage)?);
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
            .map_err(usage)?;
            print_changed(&rec);
        }
        SuspectsCommand::Withdraw(w) => {
            let rec = review::withdraw(&ctx.store, &ctx.config, w.id, &actor(&w.by), &w.note)
                .map_err(review_failure)?;
            print_changed(&rec);
        }
        SuspectsCommand::Describe(d) => {
            let rec = review::describe(&ctx.store, d.id, &d.text, &actor(&d.by), &wareki::now())
                .map_err(usage)?;
            println!(
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
            let path = publish::write_atomic(dir, name, &bytes).map_err(runtime)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn print_changed(rec: &crate::store::SuspectRecord) {
    println!(
        "suspect {} (@{} on {}) is now {}",
        rec.id,
        crate::render::visible(&rec.handle, 80),
        rec.platform,
        rec.status
    );
}

fn print_scan_summary(r: &scan::ScanReport) {
    let new = r.suspects.iter().filter(|s| s.new).count();
    println!(
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
        println!(
            "  {} {} @{} score {:.2}{matched}",
            if s.new { "NEW" } else { "   " },
            s.platform,
            s.handle,
            s.score
        );
        if let Some(first) = s.reasons.first() {
            println!("      {first}");
        }
    }
    for m in &r.removals {
        println!(
            "  REMOVED suspect {}: {} @{} is gone from the platform",
            m.id, m.platform, m.handle
        );
    }
    for e in &r.errors {
        println!("  error: {e}");
    }
}
