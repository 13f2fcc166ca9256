//! `portcullis collector [serve flags]` and `portcullis collector node add|list|revoke`: flags,
//! runtime, exit code. Node commands work on the database file directly (no HTTP), so they
//! also work while the collector is stopped; a running collector sees their effect at once
//! (ingest looks each token up in the database).

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::config::{
    CollectorConfig, Database, ADMIN_TOKEN_ENV, DB_URL_ENV, DEFAULT_DB, DEFAULT_LISTEN,
};
use crate::nodes::{format_table, NodeDb, NodeError};
use crate::server::{shutdown_signal, Server};

/// Exit code: served and shut down on a signal, printed help, or a node command done.
const EXIT_OK: i32 = 0;
/// Exit code: a node command failed (unknown node, name taken, database error).
const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage, or an I/O failure (bind, database, runtime).
const EXIT_USAGE_OR_IO: i32 = 2;

const USAGE: &str = "\
Usage: portcullis collector [--listen ADDR] [--db PATH|URL] [--admin-token TOKEN] [--insecure-no-auth]
                            [--retain-days N] [--retain-rows N]
       portcullis collector node add NAME [--group ENV] [--db PATH|URL]
       portcullis collector node list [--db PATH|URL]
       portcullis collector node revoke NAME [--db PATH|URL]

Receives verdict batches (POST /v1/verdicts, NDJSON) from the Portcullis filter and stores them
in SQLite, or in PostgreSQL shared by several collectors; GET /api/verdicts lists them,
GET /healthz answers ok. Stops on SIGINT/SIGTERM.
Logs one JSON object per line on stderr (time, level, msg, fields).

Every gateway sending verdicts is a node with its own token (`node add` prints it once; only
its hash is stored): ingest needs `authorization: Bearer <node token>` (401 for an unknown or
revoked one), and records are attributed to that node. The /api reads need the admin token.
The two kinds of token are never interchangeable.

Options:
  --listen ADDR        IP:PORT to listen on (default 127.0.0.1:8686)
  --db PATH|URL        SQLite database file, created if missing (default portcullis-verdicts.db),
                       or a PostgreSQL URL postgres://USER[:PASSWORD]@HOST:PORT/DB (the database
                       must exist; the schema is created and migrated at start-up; no TLS: use
                       a private network or a local sidecar). Defaults to the PORTCULLIS_DB_URL
                       environment variable when set.
  --admin-token TOKEN  bearer token for the /api reads; defaults to the PORTCULLIS_ADMIN_TOKEN
                       environment variable (preferred: the command line is visible to other
                       local users). Required unless --insecure-no-auth.
  --insecure-no-auth   accept ingest without a node token, and open /api when no admin token
                       is set. For tests and demos only.
  --retain-days N      prune verdicts older than N days (default 30; 0: keep whatever the age)
  --retain-rows N      keep at most N verdicts, pruning the oldest (default 1000000; 0: no limit).
                       Pruning runs in the background every minute, in chunks of 5000 rows.
  --group ENV          (node add) the node's environment or cluster, e.g. prod-eu
  -h, --help           print this help
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Serve(CollectorConfig),
    NodeAdd {
        db: Database,
        name: String,
        group: Option<String>,
    },
    NodeList {
        db: Database,
    },
    NodeRevoke {
        db: Database,
        name: String,
    },
}

/// A command-line mistake.
#[derive(Debug, PartialEq, Eq)]
enum UsageError {
    MissingValue(&'static str),
    Repeated(&'static str),
    BadListen(String),
    /// `--retain-days` / `--retain-rows` with a value that is not a non-negative integer.
    BadNumber(&'static str, String),
    Unknown(String),
    /// `--token`: the one shared token of earlier versions.
    SharedTokenRemoved,
    /// Serving with neither an admin token nor `--insecure-no-auth`.
    NoAdminToken,
    /// `node` without a known subcommand, or without its NAME.
    NodeUsage,
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
            UsageError::BadNumber(flag, text) => {
                write!(f, "{flag} {text:?} is not a non-negative integer")
            }
            UsageError::Unknown(arg) => write!(f, "unexpected argument {arg:?}"),
            UsageError::SharedTokenRemoved => f.write_str(
                "--token (one token shared by all senders) is gone: register each gateway with \
                 `portcullis collector node add NAME` and give it its own token",
            ),
            UsageError::NoAdminToken => write!(
                f,
                "no admin token: set {ADMIN_TOKEN_ENV} or pass --admin-token \
                 (or --insecure-no-auth for a test)"
            ),
            UsageError::NodeUsage => f.write_str("expected `node add NAME`, `node list` or `node revoke NAME`"),
        }
    }
}

/// Runs `portcullis collector`. `args` are the arguments after `collector` (not the program
/// name). Serving prints `portcullis collector listening on http://ADDR (db: PATH)` on stdout
/// once bound with the database open, then serves until SIGINT/SIGTERM. `node add` prints the
/// new token alone on stdout; `node list` prints a table.
///
/// Returns the process exit code: 0 after a clean shutdown, `--help` or a node command done;
/// 1 when a node command fails; 2 for a usage error or when the collector cannot start or
/// fails (message on stderr).
pub fn run_cli(args: &[String]) -> i32 {
    let env_token = std::env::var(ADMIN_TOKEN_ENV).ok();
    let env_db = std::env::var(DB_URL_ENV).ok().filter(|db| !db.is_empty());
    let config = match parse_args(args, env_token, env_db) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return EXIT_OK;
        }
        Ok(Command::Serve(config)) => config,
        Ok(node_command) => return run_node_command(node_command),
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
            server.database()
        );
        // Scripts wait for this line; do not leave it in a pipe buffer.
        let _ = std::io::stdout().flush();
        crate::log::info(
            "listening",
            &[
                ("addr", server.local_addr().to_string().into()),
                ("db", server.database().to_string().into()),
            ],
        );
        server.run_until(shutdown_signal()).await
    });
    match outcome {
        Ok(()) => {
            crate::log::info("stopped", &[]);
            EXIT_OK
        }
        Err(e) => {
            crate::log::error("stopped with an error", &[("error", e.to_string().into())]);
            EXIT_USAGE_OR_IO
        }
    }
}

/// Runs `node add|list|revoke` on the store (SQLite file or PostgreSQL), on a small runtime
/// of its own.
fn run_node_command(command: Command) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("portcullis collector node: cannot start the async runtime: {e}");
            return EXIT_USAGE_OR_IO;
        }
    };
    // A store failure names the store (a URL without its password); other failures name a node.
    let db = match &command {
        Command::NodeAdd { db, .. } | Command::NodeList { db } | Command::NodeRevoke { db, .. } => {
            db.to_string()
        }
        Command::Help | Command::Serve(_) => String::new(),
    };
    let outcome = runtime.block_on(async {
        match command {
            Command::NodeAdd { db, name, group } => {
                let token = NodeDb::open(&db).await?.add(&name, group.as_deref()).await?;
                println!("{token}");
                eprintln!(
                    "node {name:?} registered; its token (on stdout) cannot be shown again: \
                     put it in the node's verdict_log.token or token_env"
                );
            }
            Command::NodeList { db } => {
                print!("{}", format_table(&NodeDb::open(&db).await?.list().await?));
            }
            Command::NodeRevoke { db, name } => {
                NodeDb::open(&db).await?.revoke(&name).await?;
                eprintln!("node {name:?} revoked: its token is refused from now on");
            }
            Command::Help | Command::Serve(_) => {}
        }
        Ok::<(), NodeError>(())
    });
    match outcome {
        Ok(()) => EXIT_OK,
        Err(NodeError::Store(e)) => {
            eprintln!("portcullis collector node: database {db}: {e}");
            EXIT_FAILED
        }
        Err(e) => {
            eprintln!("portcullis collector node: {e}");
            EXIT_FAILED
        }
    }
}

/// Parses the flags; `env_token` is the value of [`ADMIN_TOKEN_ENV`], used when
/// `--admin-token` is absent, and `env_db` that of [`DB_URL_ENV`], used when `--db` is absent.
/// Accepts `--flag VALUE` and `--flag=VALUE`.
fn parse_args(
    args: &[String],
    env_token: Option<String>,
    env_db: Option<String>,
) -> Result<Command, UsageError> {
    let mut listen: Option<SocketAddr> = None;
    let mut db: Option<Database> = None;
    let mut admin_token: Option<String> = None;
    let mut group: Option<String> = None;
    let mut retain_days: Option<u32> = None;
    let mut retain_rows: Option<u64> = None;
    let mut insecure_no_auth = false;
    let mut positional: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let flag: &'static str = match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--insecure-no-auth" if inline.is_none() => {
                insecure_no_auth = true;
                continue;
            }
            "--token" => return Err(UsageError::SharedTokenRemoved),
            "--listen" => "--listen",
            "--db" => "--db",
            "--admin-token" => "--admin-token",
            "--group" => "--group",
            "--retain-days" => "--retain-days",
            "--retain-rows" => "--retain-rows",
            _ if !arg.starts_with('-') => {
                positional.push(arg.clone());
                continue;
            }
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
            "--db" => db.replace(Database::from_arg(&value)).is_some(),
            "--group" => group.replace(value).is_some(),
            "--retain-days" => retain_days
                .replace(value.parse().map_err(|_| UsageError::BadNumber(flag, value.clone()))?)
                .is_some(),
            "--retain-rows" => retain_rows
                .replace(value.parse().map_err(|_| UsageError::BadNumber(flag, value.clone()))?)
                .is_some(),
            _ => admin_token.replace(value).is_some(),
        };
        if repeated {
            return Err(UsageError::Repeated(flag));
        }
    }
    let db = db
        .or_else(|| env_db.as_deref().map(Database::from_arg))
        .unwrap_or_else(|| Database::Sqlite(PathBuf::from(DEFAULT_DB)));
    let mut positional = positional.into_iter();
    match positional.next().as_deref() {
        None => {}
        Some("node") => {
            let sub = positional.next();
            let name = positional.next();
            if let Some(extra) = positional.next() {
                return Err(UsageError::Unknown(extra));
            }
            // Serve-only flags make no sense here: refuse rather than ignore them.
            if let Some(flag) = [
                listen.map(|_| "--listen"),
                retain_days.map(|_| "--retain-days"),
                retain_rows.map(|_| "--retain-rows"),
                admin_token.as_ref().map(|_| "--admin-token"),
                insecure_no_auth.then_some("--insecure-no-auth"),
            ]
            .into_iter()
            .flatten()
            .next()
            {
                return Err(UsageError::Unknown(flag.to_owned()));
            }
            let no_group = |command: Command| match &group {
                Some(_) => Err(UsageError::Unknown("--group".to_owned())),
                None => Ok(command),
            };
            return match (sub.as_deref(), name) {
                (Some("add"), Some(name)) => Ok(Command::NodeAdd { db, name, group }),
                (Some("list"), None) => no_group(Command::NodeList { db }),
                (Some("revoke"), Some(name)) => no_group(Command::NodeRevoke { db, name }),
                _ => Err(UsageError::NodeUsage),
            };
        }
        Some(other) => return Err(UsageError::Unknown(other.to_owned())),
    }
    if group.is_some() {
        return Err(UsageError::Unknown("--group".to_owned()));
    }
    let admin_token = admin_token.or(env_token).filter(|t| !t.is_empty());
    if admin_token.is_none() && !insecure_no_auth {
        return Err(UsageError::NoAdminToken);
    }
    let defaults = CollectorConfig::default();
    let (db_path, db_url) = match db {
        Database::Sqlite(path) => (path, None),
        Database::Postgres(url) => (defaults.db_path.clone(), Some(url)),
    };
    Ok(Command::Serve(CollectorConfig {
        listen: listen.unwrap_or(DEFAULT_LISTEN),
        db_path,
        db_url,
        admin_token,
        insecure_no_auth,
        retain_days: retain_days.unwrap_or(defaults.retain_days),
        retain_rows: retain_rows.unwrap_or(defaults.retain_rows),
        ..defaults
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: Option<&str>) -> Result<Command, UsageError> {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        parse_args(&args, env.map(str::to_owned), None)
    }

    fn config(args: &[&str], env: Option<&str>) -> CollectorConfig {
        match parse(args, env).unwrap() {
            Command::Serve(config) => config,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = config(&["--insecure-no-auth"], None);
        assert_eq!(
            c,
            CollectorConfig {
                insecure_no_auth: true,
                ..CollectorConfig::default()
            }
        );
        assert_eq!(c.listen.to_string(), "127.0.0.1:8686");
    }

    #[test]
    fn flags_both_spellings() {
        let c = config(
            &[
                "--listen",
                "0.0.0.0:9000",
                "--db=/tmp/v.db",
                "--admin-token",
                "s3",
            ],
            None,
        );
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(c.db_path, PathBuf::from("/tmp/v.db"));
        assert_eq!(c.admin_token.as_deref(), Some("s3"));
        assert!(!c.insecure_no_auth);
        assert_eq!(
            config(&["--listen=[::1]:1"], Some("a")).listen.to_string(),
            "[::1]:1"
        );
    }

    #[test]
    fn admin_token_flag_beats_environment_and_one_is_required() {
        assert_eq!(config(&[], Some("env")).admin_token.as_deref(), Some("env"));
        assert_eq!(
            config(&["--admin-token", "flag"], Some("env"))
                .admin_token
                .as_deref(),
            Some("flag")
        );
        assert_eq!(parse(&[], Some("")), Err(UsageError::NoAdminToken));
        assert_eq!(parse(&[], None), Err(UsageError::NoAdminToken));
        assert_eq!(
            parse(&["--token", "x"], None),
            Err(UsageError::SharedTokenRemoved)
        );
        let c = config(&["--retain-days", "7", "--retain-rows=0"], Some("a"));
        assert_eq!((c.retain_days, c.retain_rows), (7, 0));
        assert_eq!(config(&[], Some("a")).retain_rows, 1_000_000);
        assert_eq!(
            parse(&["--retain-days", "-1"], Some("a")),
            Err(UsageError::BadNumber("--retain-days", "-1".to_owned()))
        );
    }

    #[test]
    fn postgres_url_selects_postgres_and_the_environment_is_the_fallback() {
        let url = "postgres://portcullis@127.0.0.1:5432/verdicts";
        let c = config(&["--db", url], Some("a"));
        assert_eq!(c.db_url.as_deref(), Some(url));
        assert_eq!(c.database(), Database::Postgres(url.to_owned()));
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let from_env = parse_args(&args(&[]), Some("a".to_owned()), Some(url.to_owned()));
        assert!(
            matches!(&from_env, Ok(Command::Serve(c)) if c.db_url.as_deref() == Some(url)),
            "{from_env:?}"
        );
        // --db beats the environment.
        let both = parse_args(&args(&["--db", "x.db"]), Some("a".to_owned()), Some(url.to_owned()));
        assert!(
            matches!(&both, Ok(Command::Serve(c)) if c.db_url.is_none() && c.db_path == std::path::Path::new("x.db")),
            "{both:?}"
        );
        assert_eq!(
            parse_args(&args(&["node", "list"]), None, Some(url.to_owned())),
            Ok(Command::NodeList {
                db: Database::Postgres(url.to_owned())
            })
        );
    }

    #[test]
    fn unreachable_postgres_fails_with_its_name() {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let args: Vec<String> = ["node", "list", "--db", "postgres://nobody:pw@127.0.0.1:1/none"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(run_cli(&args), EXIT_FAILED);
        let serve: Vec<String> = [
            "--listen",
            "127.0.0.1:0",
            "--db",
            "postgres://nobody@127.0.0.1:1/none",
            "--insecure-no-auth",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(run_cli(&serve), EXIT_USAGE_OR_IO);
    }

    #[test]
    fn node_commands() {
        assert_eq!(
            parse(&["node", "add", "edge-1", "--group", "prod-eu", "--db", "x.db"], None),
            Ok(Command::NodeAdd {
                db: Database::Sqlite(PathBuf::from("x.db")),
                name: "edge-1".to_owned(),
                group: Some("prod-eu".to_owned()),
            })
        );
        assert_eq!(
            parse(&["node", "list"], None),
            Ok(Command::NodeList {
                db: Database::Sqlite(PathBuf::from(DEFAULT_DB))
            })
        );
        assert_eq!(
            parse(&["node", "revoke", "edge-1"], None),
            Ok(Command::NodeRevoke {
                db: Database::Sqlite(PathBuf::from(DEFAULT_DB)),
                name: "edge-1".to_owned(),
            })
        );
        assert_eq!(parse(&["node"], None), Err(UsageError::NodeUsage));
        assert_eq!(parse(&["node", "add"], None), Err(UsageError::NodeUsage));
        assert_eq!(parse(&["node", "list", "x"], None), Err(UsageError::NodeUsage));
        assert!(parse(&["node", "list", "--group", "g"], None).is_err());
        assert!(parse(&["node", "list", "--insecure-no-auth"], None).is_err());
        assert!(parse(&["--group", "g", "--insecure-no-auth"], None).is_err());
    }

    #[test]
    fn node_commands_run_on_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db").to_string_lossy().into_owned();
        let run = |args: &[&str]| {
            let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
            all.extend(["--db".to_owned(), db.clone()]);
            run_cli(&all)
        };
        assert_eq!(run(&["node", "add", "edge-1", "--group", "staging"]), EXIT_OK);
        assert_eq!(run(&["node", "add", "edge-1"]), EXIT_FAILED);
        assert_eq!(run(&["node", "list"]), EXIT_OK);
        assert_eq!(run(&["node", "revoke", "edge-1"]), EXIT_OK);
        assert_eq!(run(&["node", "revoke", "nope"]), EXIT_FAILED);
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse(&["--db", "x", "--help"], None), Ok(Command::Help));
        let parse = |args: &[&str], _env: Option<&str>| parse(args, Some("admin"));
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
            "--insecure-no-auth",
        ];
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(run_cli(&args), EXIT_USAGE_OR_IO);
    }
}
