//! `narisumashi`: parse the command line, run it, turn the outcome into an exit status.

use clap::Parser;
use narisumashi::cli::{self, Cli};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("NARISUMASHI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match cli::run(cli).await {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(cli::Failure(e, code)) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("narisumashi: {msg}");
            std::process::ExitCode::from(code as u8)
        }
    }
}
