"""Fixtures of the Istio shipping tests (issue #11 point 7): the built filter
and CLI, the OCI tools (Debian's docker-registry and skopeo, installed with
apt when missing) and a private registry on a free loopback port, torn down
at the end of the session. Build first: `make test-istio` does."""

import os
import shutil
import sys
import subprocess
import time
import urllib.request

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))
from harness import free_port  # noqa: E402  (ports below the ephemeral range)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WASM = os.path.join(ROOT, "target", "wasm32-wasip1", "release", "portcullis.wasm")
CLI = os.path.join(ROOT, "target", "release", "portcullis")
OCI_SH = os.path.join(ROOT, "scripts", "oci.sh")
TOOLS = ("docker-registry", "skopeo")


def pytest_configure(config):
    for path, how in ((WASM, "make build-wasm"), (CLI, "make build-cli")):
        if not os.path.exists(path):
            raise pytest.UsageError(f"{path} is missing: run `{how}` (or `make test-istio`)")


def _apt(args, timeout):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)


def _candidates_known():
    """True when apt knows an installable version of every tool."""
    out = _apt(["apt-cache", "policy", *TOOLS], 60).stdout
    return out.count("Candidate:") == len(TOOLS) and "Candidate: (none)" not in out


def install_tools():
    """Install the tools with apt when missing (idempotent); None when they
    are there, else why not."""
    if all(shutil.which(t) for t in TOOLS):
        return None
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    try:
        if not _candidates_known():
            _apt(["apt-get", "update", "-qq"], 300)
        if not _candidates_known():
            return "apt knows no candidate for " + " ".join(TOOLS)
        done = _apt(["apt-get", "install", "-y", "-q", "--no-install-recommends", *TOOLS], 600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"apt-get failed: {e}"
    if done.returncode != 0:
        return f"apt-get install {' '.join(TOOLS)} failed: {done.stderr.strip()[-500:]}"
    missing = [t for t in TOOLS if not shutil.which(t)]
    return f"installed, but {missing} not on PATH" if missing else None


@pytest.fixture(scope="session")
def oci_tools():
    why = install_tools()
    if why:
        # CI has apt and Debian's packages: there the test must run.
        if os.environ.get("CI"):
            pytest.fail(f"docker-registry/skopeo unavailable on CI: {why}")
        pytest.skip(f"docker-registry/skopeo unavailable: {why}")


@pytest.fixture(scope="session")
def registry(oci_tools, tmp_path_factory):
    """A distribution registry on 127.0.0.1:<free port> with its own config
    and storage (not the system service); yields `127.0.0.1:PORT`."""
    d = tmp_path_factory.mktemp("registry")
    port = free_port()
    config = d / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {d / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log = open(d / "registry.log", "wb")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"registry did not start: {(d / 'registry.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
