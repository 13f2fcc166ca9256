"""scripts/fetch-crs.sh on local archives: a tarball laid out like GitHub's
release archive (coreruleset-4.28.0/...) built from the CRS the build uses
is verified and extracted; tampered copies (one byte changed, a file
missing, an extra rule file) are refused with the file named; a download
that cannot connect fails quickly with a clear message."""

import io
import os
import subprocess
import tarfile

import pytest

import harness

SCRIPT = os.path.join(harness.ROOT, "scripts", "fetch-crs.sh")
TOP = "coreruleset-4.28.0"


def source_crs():
    """The CRS directory the build uses: CRS_DIR, ../shared, tmp/crs."""
    cands = [os.environ.get("CRS_DIR", ""),
             os.path.join(os.path.dirname(harness.ROOT), "shared", "crs", "v4.28.0"),
             os.path.join(harness.ROOT, "tmp", "crs", "v4.28.0")]
    for c in cands:
        if c and os.path.isdir(os.path.join(harness.ROOT, c, "rules")):
            return os.path.join(harness.ROOT, c)
    pytest.fail("no CRS: set CRS_DIR or run scripts/fetch-crs.sh")


def make_archive(path, change=None, drop=None, extra=None):
    """A .tar.gz of the source CRS under TOP/; `change` (a relative path) gets
    one byte flipped, `drop` is left out, `extra` is `(path, bytes)` added."""
    src = source_crs()
    with tarfile.open(path, "w:gz") as tf:
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, src).replace(os.sep, "/")
                if rel == drop or rel == ".fetch-crs-verified":
                    continue
                with open(full, "rb") as f:
                    data = f.read()
                if rel == change:
                    data = data[:100] + bytes([data[100] ^ 0x20]) + data[101:]
                add(tf, f"{TOP}/{rel}", data)
        if extra:
            add(tf, f"{TOP}/{extra[0]}", extra[1])
    return path


def add(tf, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tf.addfile(info, io.BytesIO(data))


def fetch(*args, env=None):
    return subprocess.run(["bash", SCRIPT, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_release_archive_is_verified_and_extracted(tmp_path):
    archive = make_archive(tmp_path / "crs.tar.gz")
    dest = tmp_path / "out" / "v4.28.0"
    r = fetch("--archive", str(archive), str(dest))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"CRS_DIR={dest}"
    assert "verified 336 files" in r.stderr, r.stderr
    assert (dest / "rules" / "REQUEST-942-APPLICATION-ATTACK-SQLI.conf").is_file()
    # Again over its own earlier output: replaced, still verified.
    r = fetch("--archive", str(archive), str(dest))
    assert r.returncode == 0, r.stderr
    assert not [p for p in os.listdir(dest.parent) if p.startswith(".fetch-crs")]


@pytest.mark.parametrize("tamper,named", [
    ({"change": "rules/REQUEST-932-APPLICATION-ATTACK-RCE.conf"}, "rules/REQUEST-932-APPLICATION-ATTACK-RCE.conf: sha256"),
    ({"drop": "rules/unix-shell.data"}, "rules/unix-shell.data: missing"),
    ({"extra": ("rules/REQUEST-960-EXTRA.conf", b'SecRule ARGS "@rx ." "id:1,phase:1,pass"\n')},
     "rules/REQUEST-960-EXTRA.conf: not in the pinned release"),
])
def test_tampered_archive_is_refused(tmp_path, tamper, named):
    archive = make_archive(tmp_path / "bad.tar.gz", **tamper)
    dest = tmp_path / "out" / "v4.28.0"
    r = fetch("--archive", str(archive), str(dest))
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert f"refused: {named}" in r.stderr, r.stderr
    assert "CRS_DIR=" not in r.stdout
    assert not dest.exists()
    assert os.listdir(dest.parent) == [], "staging directory left behind"


def test_unsafe_member_is_refused(tmp_path):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        add(tf, f"{TOP}/../escaped.conf", b"x")
    r = fetch("--archive", str(path), str(tmp_path / "out" / "v4.28.0"))
    assert r.returncode == 1 and "unsafe member" in r.stderr, r.stderr
    assert not (tmp_path / "out" / "escaped.conf").exists()


def test_foreign_destination_is_not_replaced(tmp_path):
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "keep.txt").write_text("x")
    r = fetch("--archive", str(make_archive(tmp_path / "crs.tar.gz")), str(dest))
    assert r.returncode == 2 and "not written by this script" in r.stderr, r.stderr
    assert (dest / "keep.txt").exists()


def test_failed_download_is_clear_and_quick(tmp_path):
    # A closed local port: the connection is refused at once (the real
    # address cannot be reached from the test machines either).
    port = harness.free_port()
    r = fetch(str(tmp_path / "out" / "v4.28.0"), env={"CRS_URL": f"https://127.0.0.1:{port}/v4.28.0.tar.gz"})
    assert r.returncode == 2, r.stderr
    assert "download of" in r.stderr and "--archive FILE" in r.stderr, r.stderr
    assert not (tmp_path / "out" / "v4.28.0").exists()
