#!/usr/bin/env bash
# Fetch the pinned OWASP CRS release, verify it, extract it for the build.
#
#   scripts/fetch-crs.sh [--archive FILE] [DEST]
#   scripts/fetch-crs.sh --manifest DIR     # print DIR's manifest (see below)
#
# Downloads https://github.com/coreruleset/coreruleset/archive/refs/tags/v4.28.0.tar.gz
# (or takes the local FILE given with --archive), extracts it into a staging
# directory beside DEST (default: <repo>/tmp/crs/v4.28.0, where the Makefile,
# crates/rulepacks/build.rs and crates/testkit look when CRS_DIR is unset and
# ../shared/crs/v4.28.0 does not exist), verifies it, and only then moves it
# to DEST and prints `CRS_DIR=<DEST>`.
#
# Verification. GitHub builds its tag archives on the fly, so the archive's
# own bytes have no stable digest to pin. What is pinned instead is the
# content the project uses: scripts/crs-v4.28.0.sha256 lists `sha256  path`
# for every file in scope, sorted by path (bytewise), and PINNED_MANIFEST
# below is the sha256 of that list, so the list cannot be edited alone.
# In scope (relative to the release's top directory): crs-setup.conf.example,
# LICENSE, every file under rules/ (the .conf and .data files the build embeds,
# and the two .example exclusion files), and every file under
# tests/regression/tests/ (what `make test-ftw` runs). The extracted tree must
# hold exactly those files with exactly those digests: a changed, missing or
# extra file in scope is refused (exit 1, naming the first such file); files
# outside the scope (docs, util/, ...) are left as they are and not used.
#
# The manifest was computed from the CRS v4.28.0 copy on the project's dev
# machines with `scripts/fetch-crs.sh --manifest ../shared/crs/v4.28.0 >
# scripts/crs-v4.28.0.sha256`, then `sha256sum scripts/crs-v4.28.0.sha256`
# gave PINNED_MANIFEST. `sha256sum -c scripts/crs-v4.28.0.sha256`, run in a
# CRS directory, checks the same digests by hand.
#
# Exit status: 0 verified (CRS_DIR printed on stdout), 1 refused (the archive
# does not match), 2 usage or I/O errors, including a failed download
# (bounded: 15 s to connect, 300 s in all).
set -euo pipefail

VERSION=v4.28.0
# CRS_URL overrides the address (the tests point it at a closed local port).
URL="${CRS_URL:-https://github.com/coreruleset/coreruleset/archive/refs/tags/$VERSION.tar.gz}"
PINNED_MANIFEST=435040d7648d4d34edef16732c35a5f0e6223fdfb723a0d791451cdfa42f14c0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MANIFEST="$ROOT/scripts/crs-$VERSION.sha256"

die() { printf 'fetch-crs: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '4,5p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2; exit 2; }

archive=""
dest=""
manifest_of=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        --archive) [ "$#" -ge 2 ] || usage; archive="$2"; shift 2 ;;
        --manifest) [ "$#" -ge 2 ] || usage; manifest_of="$2"; shift 2 ;;
        -h | --help) usage ;;
        -*) printf 'fetch-crs: unknown option %s\n' "$1" >&2; usage ;;
        *) [ -z "$dest" ] || usage; dest="$1"; shift ;;
    esac
done

# The check itself (python3: tar member safety, digests, clear messages).
verify_py() {
    python3 - "$@" <<'PY'
import hashlib, os, sys

def in_scope(rel):
    return (rel in ("crs-setup.conf.example", "LICENSE")
            or rel.startswith("rules/")
            or rel.startswith("tests/regression/tests/"))

def manifest_of(top):
    """`(path, sha256)` of every regular file in scope under `top`, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, top).replace(os.sep, "/")
            if not in_scope(rel):
                continue
            if os.path.islink(full) or not os.path.isfile(full):
                raise SystemExit(f"fetch-crs: refused: {rel} is not a regular file")
            h = hashlib.sha256()
            with open(full, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 16), b""):
                    h.update(chunk)
            out.append((rel, h.hexdigest()))
    out.sort(key=lambda e: e[0].encode())
    return out

def text(entries):
    return "".join(f"{d}  {p}\n" for p, d in entries)

mode = sys.argv[1]
if mode == "manifest":
    sys.stdout.write(text(manifest_of(sys.argv[2])))
    sys.exit(0)

# verify TOP MANIFEST PINNED
top, manifest_path, pinned = sys.argv[2:5]
with open(manifest_path, "rb") as f:
    raw = f.read()
if hashlib.sha256(raw).hexdigest() != pinned:
    print(f"fetch-crs: {manifest_path} does not have the pinned digest {pinned}: "
          "the manifest was edited without updating PINNED_MANIFEST", file=sys.stderr)
    sys.exit(2)
want = {}
for line in raw.decode().splitlines():
    digest, path = line.split("  ", 1)
    want[path] = digest
got = dict(manifest_of(top))
problems = []
for path in sorted(set(want) | set(got), key=str.encode):
    if path not in got:
        problems.append(f"{path}: missing")
    elif path not in want:
        problems.append(f"{path}: not in the pinned release (extra file)")
    elif got[path] != want[path]:
        problems.append(f"{path}: sha256 {got[path]}, pinned {want[path]}")
if problems:
    print(f"fetch-crs: refused: {problems[0]}", file=sys.stderr)
    if len(problems) > 1:
        print(f"fetch-crs: ({len(problems)} differences in all; the others:)", file=sys.stderr)
        for p in problems[1:20]:
            print(f"fetch-crs:   {p}", file=sys.stderr)
    sys.exit(1)
print(f"fetch-crs: verified {len(got)} files against {os.path.basename(manifest_path)}", file=sys.stderr)
PY
}

if [ -n "$manifest_of" ]; then
    [ -d "$manifest_of/rules" ] || die "$manifest_of has no rules/ directory"
    verify_py manifest "$manifest_of"
    exit 0
fi

command -v python3 >/dev/null || die "python3 is needed"
[ -f "$MANIFEST" ] || die "missing $MANIFEST"
dest="${dest:-$ROOT/tmp/crs/$VERSION}"
case "$dest" in /*) ;; *) dest="$PWD/$dest" ;; esac
parent="$(dirname "$dest")"
mkdir -p "$parent"

# A DEST this script did not write is never replaced.
marker=".fetch-crs-verified"
if [ -e "$dest" ] && [ ! -f "$dest/$marker" ]; then
    die "$dest exists and was not written by this script: remove it or give another DEST"
fi

work="$(mktemp -d "$parent/.fetch-crs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ -z "$archive" ]; then
    archive="$work/crs.tar.gz"
    echo "fetch-crs: downloading $URL" >&2
    if command -v curl >/dev/null; then
        curl -fsSL --proto '=https' --connect-timeout 15 --max-time 300 -o "$archive" "$URL" ||
            die "download of $URL failed (curl exit $?). Without network access, download it elsewhere and run: scripts/fetch-crs.sh --archive FILE"
    else
        python3 -c 'import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=15) as r, open(sys.argv[2], "wb") as f:
    f.write(r.read())' "$URL" "$archive" ||
            die "download of $URL failed. Without network access, download it elsewhere and run: scripts/fetch-crs.sh --archive FILE"
    fi
else
    [ -f "$archive" ] || die "no such archive: $archive"
fi

# Extract: one top directory (coreruleset-4.28.0/ in GitHub's archive); no
# member may leave it (absolute paths, `..`, links pointing anywhere).
python3 - "$archive" "$work/x" <<'PY' || exit $?
import os, sys, tarfile
archive, out = sys.argv[1:3]
try:
    tf = tarfile.open(archive, "r:*")
except (tarfile.TarError, OSError) as e:
    print(f"fetch-crs: refused: {archive} is not a readable tar archive: {e}", file=sys.stderr)
    sys.exit(1)
with tf:
    members = tf.getmembers()
    tops = {m.name.split("/", 1)[0] for m in members}
    if len(tops) != 1:
        print(f"fetch-crs: refused: expected one top directory in {archive}, found {sorted(tops)[:5]}", file=sys.stderr)
        sys.exit(1)
    for m in members:
        parts = m.name.split("/")
        if m.name.startswith("/") or ".." in parts:
            print(f"fetch-crs: refused: unsafe member name {m.name!r}", file=sys.stderr)
            sys.exit(1)
        if not (m.isfile() or m.isdir()):
            if m.issym() or m.islnk():
                continue  # links are not extracted; none is in scope
            print(f"fetch-crs: refused: {m.name!r} is not a file or directory", file=sys.stderr)
            sys.exit(1)
    keep = [m for m in members if m.isfile() or m.isdir()]
    for m in keep:
        m.mode = (m.mode | 0o600) & 0o755
    tf.extractall(out, members=keep)
PY
top="$(find "$work/x" -mindepth 1 -maxdepth 1 -type d)"

set +e
verify_py verify "$top" "$MANIFEST" "$PINNED_MANIFEST"
status=$?
set -e
[ "$status" -eq 0 ] || exit "$status"

touch "$top/$marker"
rm -rf "$dest"
mv "$top" "$dest"
echo "CRS_DIR=$dest"
