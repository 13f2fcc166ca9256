//! `portcullis collector [--listen ADDR] [--db PATH] [--token TOKEN]`: flags, runtime, exit code.

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::config::{CollectorConfig, DEFAULT_DB, DEFAULT_LISTEN, TOKEN_ENV};
use crate::server::{shutdown_signal, Server};

/// Exit code: served and shut down on a signal, or printed help.
const EXIT_OK: i32 = 0;
/// Exit code: bad usage, or an I/O failure (bind, database, runtime).
const EXIT_USAGE_OR_IO: i32 = 2;

const USAGE: &str = "\
Usage: portcullis collector [--listen ADDR] [--db PATH] [--token TOKEN]

Receives verdict batches (POST /v1/verdicts, NDJSON) from the Portcullis filter and stores them
in SQLite; GET /api/verdicts lists them, GET /healthz answers ok. Stops on SIGINT/SIGTERM.

Options:
  --listen ADDR   IP:PORT to listen on (default 127.0.0.1:8686)
  --db PATH       SQLite database file, created if missing (default portcullis-verdicts.db)
  --token TOKEN   require `authorization: Bearer TOKEN` on every POST; defaults to the
                  PORTCULLIS_COLLECTOR_TOKEN environment variable (preferred: the command
                  line is visible to other local users)
  -h, --help      print this help
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Serve(CollectorConfig),
}

/// A command-line mistake.
#[derive(Debug, PartialEq, Eq)]
enum UsageError {
    MissingValue(&'static str),
    Repeated(&'static str),
    BadListen(String),
    Unknown(String),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::MissingValue(flag) => write!(f, "{flag} needs a value"),
            UsageError::Repeated(flag) => write!(f, "{flag} given more than once"),
            UsageError::BadListen(text) => {
                write!(
                    f,
                    "--listen {text:?} is not an IP:PORT address (e.g. 127.0.0.1:8686)"
                )
            }
            UsageError::Unknown(arg) => write!(f, "unexpected argument {arg:?}"),
        }
    }
}

/// Runs `portcullis collector`. `args` are the arguments after `collector` (not the program
/// name). Prints `portcullis collector listening on http://ADDR (db: PATH)` on stdout once
/// bound with the database open, then serves until SIGINT/SIGTERM.
///
/// Returns the process exit code: 0 after a clean shutdown or `--help`, 2 for a usage error or
/// when the collector cannot start or fails (message on stderr).
pub fn run_cli(args: &[String]) -> i32 {
    let env_token = std::env::var(TOKEN_ENV).ok();
    let config = match parse_args(args, env_token) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return EXIT_OK;
        }
        Ok(Command::Serve(config)) => config,
        Err(e) => {
            eprintln!("portcullis collector: {e}\n\n{USAGE}");
            return EXIT_USAGE_OR_IO;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("portcullis collector: cannot start the async runtime: {e}");
            return EXIT_USAGE_OR_IO;
        }
    };
    let outcome = runtime.block_on(async {
        let server = Server::bind(config).await?;
        println!(
            "portcullis collector listening on http://{} (db: {})",
            server.local_addr(),
            server.db_path().display()
        );
        // Scripts wait for this line; do not leave it in a pipe buffer.
        let _ = std::io::stdout().flush();
        server.run_until(shutdown_signal()).await
    });
    match outcome {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("portcullis collector: {e}");
            EXIT_USAGE_OR_IO
        }
    }
}

/// Parses the flags; `env_token` is the value of [`TOKEN_ENV`], used when `--token` is absent.
/// Accepts `--flag VALUE` and `--flag=VALUE`.
fn parse_args(args: &[String], env_token: Option<String>) -> Result<Command, UsageError> {
    let mut listen: Option<SocketAddr> = None;
    let mut db: Option<PathBuf> = None;
    let mut token: Option<String> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let flag: &'static str = match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => "--listen",
            "--db" => "--db",
            "--token" => "--token",
            _ => return Err(UsageError::Unknown(arg.clone())),
        };
        let value = match inline {
            Some(value) => value,
            None => rest.next().cloned().ok_or(UsageError::MissingValue(flag))?,
        };
        let repeated = match flag {
            "--listen" => listen
                .replace(
                    value
                        .parse()
                        .map_err(|_| UsageError::BadListen(value.clone()))?,
                )
                .is_some(),
            "--db" => db.replace(PathBuf::from(value)).is_some(),
            _ => token.replace(value).is_some(),
        };
        if repeated {
            return Err(UsageError::Repeated(flag));
        }
    }
    Ok(Command::Serve(CollectorConfig {
        listen: listen.unwrap_or(DEFAULT_LISTEN),
        db_path: db.unwrap_or_else(|| PathBuf::from(DEFAULT_DB)),
        token: token.or(env_token).filter(|t| !t.is_empty()),
        ..CollectorConfig::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: Option<&str>) -> Result<Command, UsageError> {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        parse_args(&args, env.map(str::to_owned))
    }

    fn config(args: &[&str], env: Option<&str>) -> CollectorConfig {
        match parse(args, env).unwrap() {
            Command::Serve(config) => config,
            Command::Help => panic!("help"),
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(config(&[], None), CollectorConfig::default());
        assert_eq!(config(&[], None).listen.to_string(), "127.0.0.1:8686");
    }

    #[test]
    fn flags_both_spellings() {
        let c = config(
            &[
                "--listen",
                "0.0.0.0:9000",
                "--db=/tmp/v.db",
                "--token",
                "s3",
            ],
            None,
        );
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(c.db_path, PathBuf::from("/tmp/v.db"));
        assert_eq!(c.token.as_deref(), Some("s3"));
        assert_eq!(
            config(&["--listen=[::1]:1"], None).listen.to_string(),
            "[::1]:1"
        );
    }

    #[test]
    fn token_flag_beats_environment_and_empty_means_none() {
        assert_eq!(config(&[], Some("env")).token.as_deref(), Some("env"));
        assert_eq!(
            config(&["--token", "flag"], Some("env")).token.as_deref(),
            Some("flag")
        );
        assert_eq!(config(&[], Some("")).token, None);
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse(&["--db", "x", "--help"], None), Ok(Command::Help));
        assert_eq!(parse(&["-h"], None), Ok(Command::Help));
        assert_eq!(
            parse(&["--db"], None),
            Err(UsageError::MissingValue("--db"))
        );
        assert_eq!(
            parse(&["--db", "a", "--db", "b"], None),
            Err(UsageError::Repeated("--db"))
        );
        assert_eq!(
            parse(&["--listen", "localhost"], None),
            Err(UsageError::BadListen("localhost".to_owned()))
        );
        assert_eq!(
            parse(&["serve"], None),
            Err(UsageError::Unknown("serve".to_owned()))
        );
        assert_eq!(
            parse(&["--port=1"], None),
            Err(UsageError::Unknown("--port=1".to_owned()))
        );
    }

    #[test]
    fn run_cli_exit_codes_without_serving() {
        assert_eq!(run_cli(&["--help".to_owned()]), EXIT_OK);
        assert_eq!(run_cli(&["--bogus".to_owned()]), EXIT_USAGE_OR_IO);
        // A database path inside a missing directory: the collector cannot start.
        let args = [
            "--listen",
            "127.0.0.1:0",
            "--db",
            "/nonexistent-dir/x/verdicts.db",
        ];
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(run_cli(&args), EXIT_USAGE_OR_IO);
    }
}
