//! A throw-away PostgreSQL server for tests: `initdb` into a temp dir, `postgres` on a free
//! loopback port (its unix socket in the temp dir too), stopped and deleted on drop.
//!
//! The binaries are Debian's `postgresql` package (`scripts/setup.sh` installs it):
//! the newest `/usr/lib/postgresql/*/bin`, or `PORTCULLIS_PG_BIN` when set. PostgreSQL refuses
//! to run as root, so as root the server runs as `nobody` (the temp dir is handed to it).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Superuser of the test cluster (trust authentication on loopback only).
pub const PG_USER: &str = "portcullis";

/// A running test server.
pub struct PgServer {
    /// `None` only while a failed start hands it to the next try.
    dir: Option<tempfile::TempDir>,
    bin: PathBuf,
    /// `postgres` itself (`setpriv` execs it), so signals reach the server.
    child: Child,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
}

/// The directory holding `initdb` and `postgres`.
pub fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("PORTCULLIS_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL not found under /usr/lib/postgresql/*/bin: run scripts/setup.sh \
             (installs Debian's postgresql) or set PORTCULLIS_PG_BIN"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `program args...`, as `run_as` when set: `setpriv` execs the program (no parent process in
/// between, unlike `runuser`), so the child's pid is the program's.
fn command(run_as: Option<&str>, program: &Path) -> Command {
    match run_as {
        Some(user) => {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={user}"))
                .arg(format!("--regid={}", group_of(user)))
                .args(["--clear-groups", "--"])
                .arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// The primary group of `user` (`nogroup` for `nobody` on Debian).
fn group_of(user: &str) -> String {
    Command::new("id")
        .args(["-gn", user])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| user.to_owned())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl PgServer {
    /// Initialises a cluster and starts it with durability off (fsync, synchronous commit:
    /// a test cluster needs speed); panics (failing the test) with the server's log when it
    /// does not come up within 30 s.
    pub fn start() -> PgServer {
        Self::start_with(false)
    }

    /// Like [`PgServer::start`]; `durable`: PostgreSQL's default fsync and synchronous commit
    /// (what a benchmark should measure).
    pub fn start_with(durable: bool) -> PgServer {
        let bin = pg_bin();
        let run_as = is_root().then_some("nobody");
        let dir = tempfile::Builder::new().prefix("portcullis-pg").tempdir().unwrap();
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success(), "chown {user} {}", dir.path().display());
        }
        let out = command(run_as, &bin.join("initdb"))
            .arg("-D")
            .arg(dir.path().join("data"))
            .args(["-U", PG_USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut dir = Some(dir);
        // A port taken between picking and binding: try another.
        for _ in 0..5 {
            let mut server = Self::spawn(dir.take().unwrap(), bin.clone(), run_as, durable);
            if server.wait_ready() {
                return server;
            }
            let log = server.log();
            assert!(
                log.contains("could not bind") || log.contains("already in use"),
                "postgres did not start:\n{log}"
            );
            let _ = server.child.kill();
            let _ = server.child.wait();
            dir = Some(server.take_dir());
        }
        panic!("postgres: no free port after 5 tries");
    }

    /// Starts `postgres` on a fresh port over the cluster in `dir`.
    fn spawn(
        dir: tempfile::TempDir,
        bin: PathBuf,
        run_as: Option<&'static str>,
        durable: bool,
    ) -> PgServer {
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("postgres.log")).unwrap();
        let mut command = command(run_as, &bin.join("postgres"));
        command
            .arg("-D")
            .arg(dir.path().join("data"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-k"])
            .arg(dir.path());
        if !durable {
            command.args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
            command.args(["-c", "full_page_writes=off"]);
            // Several test servers run at once on a small machine.
            command.args(["-c", "shared_buffers=16MB", "-c", "max_connections=40"]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        PgServer {
            dir: Some(dir),
            bin,
            child,
            port,
        }
    }

    /// The temp dir, taken out of a server that failed to start (so it is not deleted).
    fn take_dir(mut self) -> tempfile::TempDir {
        self.dir.take().unwrap()
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        self.dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.path().join("postgres.log")).ok())
            .unwrap_or_default()
    }

    /// Polls `pg_isready` until the server accepts connections (or exited, or 30 s passed).
    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ready {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Creates database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let out = Command::new(self.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", PG_USER, name])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "createdb {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.url(name)
    }

    /// URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{PG_USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs `sql` with `psql` on database `name`; returns its unaligned output.
    pub fn psql(&self, name: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", PG_USER, "-d", name])
            .args(["-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for PgServer {
    /// Fast shutdown (SIGINT: running transactions are rolled back), then the temp dir goes.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
