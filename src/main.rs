//! `narisumashi`: parse the command line, set up diagnostics, run it, turn the outcome into an
//! exit status.

use clap::Parser;
use narisumashi::cli::{self, Cli};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Err(e) = narisumashi::logging::init(cli.quiet, cli.verbose, cli.log_file.as_deref()) {
        eprintln!("narisumashi: {e:#}");
        return std::process::ExitCode::from(cli::ExitCode::Error as u8);
    }
    match cli::run(cli).await {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(cli::Failure(e, code)) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("narisumashi: {msg}");
            std::process::ExitCode::from(code as u8)
        }
    }
}
