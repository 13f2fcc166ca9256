#!/usr/bin/env bash
# libmodsecurity 3 (Debian 3.0.9) and Portcullis side by side, in one run, on
# the same rules (rules/base/recommended.conf, CRS crs-setup.conf.example, the
# paranoia SecAction, CRS rules/*.conf) and the same corpus requests:
#   1. instructions per request under callgrind (b01 b02 b03 at PL1 and PL2),
#      with the ratio libmodsecurity / Portcullis;
#   2. rule-set load: wall and CPU time and peak RSS of a load-only process;
#   3. verdicts (blocked/pass, status) and logged rule ids for every corpus
#      request at PL1, listing every difference.
# Usage: scripts/bench-modsecurity.sh [requests...]   (default: b01 b02 b03)
# Env: CRS_DIR, PORTCULLIS_BENCH_ITERS (20), MODSEC_BENCH_SKIP=insns,load,verdicts
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

crs=$(realpath "${CRS_DIR:-$(if [ -d ../shared/crs/v4.28.0/rules ]; then echo ../shared/crs/v4.28.0; else echo tmp/crs/v4.28.0; fi)}")
# The requests behind BENCHMARKS.md when present, else the same shapes in tests/corpus.
corpus=$(realpath "$(if [ -d ../shared/corpus ]; then echo ../shared/corpus; else echo tests/corpus; fi)")
iters=${PORTCULLIS_BENCH_ITERS:-20}
skip=",${MODSEC_BENCH_SKIP:-},"
reqs=("$@")
[ $# -gt 0 ] || reqs=(b01 b02 b03)
work=$PWD/tmp/modsec-bench
mkdir -p "$work"
[ -d "$crs/rules" ] || { echo "no CRS at $crs (set CRS_DIR)" >&2; exit 2; }

# --- what this needs (Debian packages) -------------------------------------
need=()
for p in libmodsecurity3 libmodsecurity-dev valgrind time gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (apt)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
modsec_version=$(dpkg-query -W -f='${Version}' libmodsecurity3)

# --- builds -------------------------------------------------------------------
harness=$work/modsec_bench
libs=$(pkg-config --libs modsecurity 2>/dev/null || echo -lmodsecurity)
cflags=$(pkg-config --cflags modsecurity 2>/dev/null || true)
if [ ! -x "$harness" ] || [ bench/modsec/modsec_bench.c -nt "$harness" ]; then
  # shellcheck disable=SC2086
  cc -O2 -g -Wall -Wextra -o "$harness" bench/modsec/modsec_bench.c $cflags $libs
fi
python3 bench/modsec/req_from_corpus.py bench "$work/bench" "$corpus"/*.json
python3 bench/modsec/req_from_corpus.py exchange "$work/exchange" "$corpus"/*.json

echo "building Portcullis (release bench binary and CLI)" >&2
bin=$(bash scripts/build-engine-bench.sh)
cargo build --release -q -p portcullis-cli
cli=target/release/portcullis

# The load order, for each engine. libmodsecurity gets one extra line first:
# `SecRuleEngine On`. recommended.conf leaves SecRuleEngine unset on purpose;
# Portcullis then enforces (On), while libmodsecurity, with the directive
# never given, runs the rules but never applies a disruptive action.
paranoia() { echo "SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=$1\""; }
crs_rules=("$crs"/rules/*.conf)
modsec_conf=("SecRuleEngine On" rules/base/recommended.conf "$crs/crs-setup.conf.example" @paranoia "${crs_rules[@]}")
ours_conf() { printf '%s\n' rules/base/recommended.conf "$crs/crs-setup.conf.example" "$(paranoia "$1")" "${crs_rules[@]}"; }

echo "libmodsecurity $modsec_version vs Portcullis $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)'), CRS $(basename "$crs"), same run"
echo

# --- 1. instructions per request ----------------------------------------------
callgrind() { # callgrind DIR CMD... -> instructions collected inside measured_requests
  local dir=$1; shift
  local out; out=$(mktemp "$work/cg.XXXXXX")
  (cd "$dir" && valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*measured_requests*' "$@" >"$out.stdout" 2>"$out.log") \
    || { echo "callgrind run failed: $*" >&2; cat "$out.log" >&2; exit 1; }
  grep -o 'Collected : [0-9]*' "$out.log" | grep -o '[0-9]*$'
  rm -f "$out" "$out.log" "$out.stdout"
}
if [[ $skip != *,insns,* ]]; then
  echo "instructions per request (callgrind, $iters requests each, inside measured_requests only):"
  printf "%-26s %5s %16s %16s %8s\n" request PL libmodsecurity Portcullis ratio
  for r in "${reqs[@]}"; do
    req=$(ls "$work/bench/$r"*.req | head -1)
    name=$(basename "$req" .req)
    for pl in 1 2; do
      m=$(callgrind . "$harness" bench "$pl" "$iters" "$req" "${modsec_conf[@]}")
      o=$(PORTCULLIS_BENCH_ONLY=$r PORTCULLIS_BENCH_PL=$pl PORTCULLIS_BENCH_ITERS=$iters callgrind crates/engine "$bin")
      m=$((m / iters)); o=$((o / iters))
      printf "%-26s %5s %16s %16s %7.1fx\n" "$name" "PL$pl" "$m" "$o" "$(python3 -c "print($m/$o)")"
    done
  done
  echo "(libmodsecurity: new transaction + all phases + cleanup per request, as its API requires;"
  echo " Portcullis: one reset transaction, all phases, as crates/engine/benches/corpus.rs)"
  echo
fi

# --- 2. load time and RSS -----------------------------------------------------
measure() { # measure CMD... -> "wall_ms cpu_ms rss_kib" of one run
  local t0 t1 f; f=$(mktemp "$work/time.XXXXXX")
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$f" "$@" >/dev/null
  t1=$(date +%s%N)
  read -r u s k < <(tail -1 "$f")
  echo "$(( (t1 - t0) / 1000000 )) $(python3 -c "print(round(($u+$s)*1000))") $k"
  rm -f "$f"
}
best_of() { # best_of N CMD... -> "min_wall_ms min_cpu_ms max_rss_kib"
  local n=$1 a b c w=999999 p=999999 r=0; shift
  for _ in $(seq "$n"); do
    read -r a b c < <(measure "$@")
    (( a < w )) && w=$a
    (( b < p )) && p=$b
    (( c > r )) && r=$c
  done
  echo "$w $p $r"
}
if [[ $skip != *,load,* ]]; then
  mapfile -t oc < <(ours_conf 1)
  read -r mw mc mr < <(best_of 5 "$harness" load 1 "${modsec_conf[@]}")
  read -r ow oc_ or < <(best_of 5 "$cli" lint "${oc[@]}")
  mi=$("$harness" load 1 "${modsec_conf[@]}")
  oi=$("$cli" lint "${oc[@]}" | grep '^ok:' || true)
  echo "rule-set load, PL1, load-only process (best of 5 runs: wall and user+sys CPU; peak RSS):"
  printf "%-16s %8s %8s %9s  %s\n" engine "wall ms" "CPU ms" "RSS MiB" "what loaded"
  printf "%-16s %8s %8s %9.1f  %s\n" libmodsecurity "$mw" "$mc" "$(python3 -c "print($mr/1024)")" "$mi"
  printf "%-16s %8s %8s %9.1f  %s\n" Portcullis "$ow" "$oc_" "$(python3 -c "print($or/1024)")" "$oi (portcullis lint)"
  echo "(whole process, exec to exit, both sides; the libmodsecurity line also shows its own timer around"
  echo " the msc_rules_add* calls. Rule counts differ in kind: libmodsecurity counts what msc_rules_add*"
  echo " return, Portcullis its compiled rules)"
  echo
fi

# --- 3. verdicts and rule ids -------------------------------------------------
if [[ $skip != *,verdicts,* ]]; then
  "$harness" verdict 1 "$work/exchange"/*.req -- "${modsec_conf[@]}" >"$work/verdicts-modsec.tsv"
  mapfile -t oc < <(ours_conf 1)
  : >"$work/verdicts-ours.txt"
  for f in "$corpus"/*.json; do
    echo "=== $(basename "$f" .json)" >>"$work/verdicts-ours.txt"
    rc=0; "$cli" eval --rules "${oc[@]}" --request "$f" >>"$work/verdicts-ours.txt" 2>&1 || rc=$?
    [ "$rc" -le 1 ] || { echo "portcullis eval failed on $f" >&2; tail -5 "$work/verdicts-ours.txt" >&2; exit 1; }
  done
  python3 - "$work/verdicts-modsec.tsv" "$work/verdicts-ours.txt" "$corpus" <<'PY'
import collections, json, re, sys
modsec_tsv, ours_txt, corpus = sys.argv[1:4]
ID = re.compile(r'\[id "([^"]*)"\]')
ms = {}
for line in open(modsec_tsv):
    name, verdict, status, phase, ids, score = line.rstrip("\n").split("\t")
    ms[name] = (verdict, int(status), ids.split(), int(score))
ours, cur = {}, None
for line in open(ours_txt, errors="replace"):
    if line.startswith("=== "):
        cur = line[4:].strip(); ours[cur] = ["pass", 200, [], None]; continue
    m = re.match(r"interruption: (?:none \(status (\d+)\)|\S+?, status (\d+))", line)
    if m:
        ours[cur][0] = "pass" if m.group(1) else "blocked"
        ours[cur][1] = int(m.group(1) or m.group(2)); continue
    m = re.match(r"anomaly score: inbound (\d+)", line)
    if m:
        ours[cur][3] = int(m.group(1)); continue
    m = ID.search(line)
    if m and line.startswith("ModSecurity:"):
        ours[cur][2].append(m.group(1))
def fmt(ids):
    c = collections.Counter(ids)
    return " ".join(i + (f"x{c[i]}" if c[i] > 1 else "") for i in sorted(c, key=lambda x: (len(x), x))) or "-"
print("verdicts and logged rule ids, all corpus requests, PL1 (libmodsecurity | Portcullis):")
print(f"{'request':28} {'expect':6} {'libmodsecurity':14} {'Portcullis':14} {'score':>7}  rule ids")
grouped = collections.defaultdict(list)  # difference -> requests
for name in sorted(ms):
    expect = json.load(open(f"{corpus}/{name}.json"))["expect"]
    mv, mst, mids, msc = ms[name]; ov, ost, oids, osc = ours[name]
    before = sum(len(v) for v in grouped.values())
    if (mv, mst) != (ov, ost):
        grouped[f"verdict: libmodsecurity {mv} {mst}, Portcullis {ov} {ost}"].append(name)
    for i in sorted(set(mids) - set(oids)):
        grouped[f"rule {i} logged only by libmodsecurity"].append(name)
    for i in sorted(set(oids) - set(mids)):
        grouped[f"rule {i} logged only by Portcullis"].append(name)
    cm, co = collections.Counter(mids), collections.Counter(oids)
    for i in sorted(set(mids) & set(oids)):
        if cm[i] != co[i]:
            grouped[f"rule {i} logged {cm[i]}x by libmodsecurity, {co[i]}x by Portcullis"].append(name)
    # libmodsecurity's score is known when 949110 fired (its message has it).
    if msc >= 0 and msc != osc:
        grouped[f"inbound score: libmodsecurity {msc}, Portcullis {osc}"].append(name)
    score = f"{msc}/{osc}" if msc >= 0 else f"-/{osc}"
    mark = "" if sum(len(v) for v in grouped.values()) == before else "  <-- differs"
    print(f"{name:28} {expect:6} {mv+' '+str(mst):14} {ov+' '+str(ost):14} {score:>7}  {fmt(mids)} | {fmt(oids)}{mark}")
print("(score: inbound anomaly score, libmodsecurity's from its 949110 message when it blocked, / Portcullis's)")
print()
n = sum(len(v) for v in grouped.values())
print(f"differences ({n}, grouped):" if n else "no verdict, rule-id or score differences")
for what, names in grouped.items():
    print(f"  {what}: {len(names)} request{'s' if len(names) > 1 else ''}: {' '.join(n.split('-')[0] for n in names)}")
PY
  echo "(raw outputs: $work/verdicts-modsec.tsv, $work/verdicts-ours.txt)"
fi
