"""A throw-away PostgreSQL server for end-to-end tests (the Python twin of
crates/collector/tests/common/pg.rs): `initdb` into a temp dir, `postgres` on
a free loopback port with its unix socket in that dir, stopped and deleted by
stop().

The binaries are Debian's `postgresql` package (scripts/setup.sh installs it):
the newest /usr/lib/postgresql/*/bin, or $PORTCULLIS_PG_BIN. PostgreSQL
refuses to run as root, so as root it runs as `nobody` through `setpriv`
(which execs it: the Popen's pid is the server's, and signals reach it).
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time

import harness

USER = "portcullis"


def pg_bin():
    env = os.environ.get("PORTCULLIS_PG_BIN")
    if env:
        return env
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = initdb.split("/")[4]
        if version.isdigit():
            found.append((int(version), os.path.dirname(initdb)))
    if not found:
        raise RuntimeError("PostgreSQL not found under /usr/lib/postgresql/*/bin: "
                           "run scripts/setup.sh (installs Debian's postgresql) or set PORTCULLIS_PG_BIN")
    return max(found)[1]


def _as_user(argv):
    """argv, run as `nobody` when we are root."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + argv


class PgServer:
    def __init__(self):
        self.bin = pg_bin()
        self.dir = tempfile.mkdtemp(prefix="portcullis-pg")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "nobody", "nogroup")
        data = os.path.join(self.dir, "data")
        subprocess.run(_as_user([os.path.join(self.bin, "initdb"), "-D", data, "-U", USER,
                                 "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        self.port = harness.free_port()
        self.log_path = os.path.join(self.dir, "postgres.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            _as_user([os.path.join(self.bin, "postgres"), "-D", data, "-h", "127.0.0.1",
                      "-p", str(self.port), "-k", self.dir,
                      # A test cluster: speed over durability.
                      "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                      "-c", "shared_buffers=16MB", "-c", "max_connections=40"]),
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            ready = subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1",
                                    "-p", str(self.port)])
            if ready.returncode == 0:
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("postgres did not start:\n" + self.log_text())

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def url(self, name):
        return f"postgres://{USER}@127.0.0.1:{self.port}/{name}"

    def create_database(self, name):
        """Creates database `name`; returns its URL."""
        subprocess.run([os.path.join(self.bin, "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", USER, name], check=True, capture_output=True, timeout=30)
        return self.url(name)

    def psql(self, name, sql):
        """Runs `sql` on database `name`; its unaligned, tuples-only output."""
        out = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                              "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", name, "-c", sql],
                             check=True, capture_output=True, text=True, timeout=30)
        return out.stdout.strip()

    def stop(self):
        """Fast shutdown (SIGINT), then the temp dir goes."""
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
