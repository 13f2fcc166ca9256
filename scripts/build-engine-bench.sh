#!/usr/bin/env bash
# Build the engine's corpus benchmark (crates/engine/benches/corpus.rs,
# release with symbols) and print the path of its executable. Shared by
# scripts/bench-engine.sh and scripts/bench-modsecurity.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cargo bench -p portcullis-engine --bench corpus --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m.get("target",{}).get("name")=="corpus" and m.get("executable"): print(m["executable"])' | tail -1)
[ -x "$bin" ] || { echo "bench binary not built" >&2; exit 2; }
echo "$bin"
