#!/usr/bin/env python3
"""Envoy alone vs Envoy + Portcullis, measured as TARGETS.md section 1 does.

Same run, loopback: Envoy 1.40 `--concurrency 1` in front of nginx
`return 200` (a real upstream, so request bodies are read and forwarded);
wrk `-t1 -c16` sends the corpus requests b01 (get), b02 (form300) and b03
(json4k) byte for byte (a generated Lua script: corpus method, URI, header
order, Host and body). Configurations: Envoy alone, filter + @builtin,
filter + @crs (PL1), filter + @builtin + @crs.

Before measuring, every request goes once through every configuration and
must answer 2xx: a blocked benign request makes the figures meaningless, so
the bench stops with an error. Main figure: Envoy CPU µs per request
(utime + stime of the Envoy process during the wrk run / requests served),
with the filter's added cost and ratio to Envoy alone; also req/s, p50/p99,
non-2xx, time to ready and RSS. Printed and written to tmp/bench-envoy.md
(raw numbers in tmp/bench-envoy.json).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import harness  # noqa: E402
from bench_support import (BenchError, DemoUpstream, NginxUpstream, cpu_seconds, find_requests,  # noqa: E402
                           rss_mib, run_wrk, sched_seconds, send_raw, wrk_lua)

# ../shared/corpus holds the requests behind BENCHMARKS.md; a plain clone has
# the same shapes in tests/corpus.
SHARED_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
DEFAULT_CORPUS = SHARED_CORPUS if os.path.isdir(SHARED_CORPUS) else os.path.join(ROOT, "tests", "corpus")
DEFAULT_REQUESTS = "b01,b02,b03"
# (name, rules): rules None = no filter at all.
CONFIGS = [
    ("Envoy alone", None),
    ("filter, @builtin", ["@builtin"]),
    ("filter, @crs (PL1)", ["@crs"]),
    ("filter, @builtin + @crs", ["@builtin", "@crs"]),
]
# Extra configurations to see where the filter's cost goes (BENCH_CONFIGS=all):
# the wasm filter loaded but `mode: off` (proxy-wasm callbacks only), and a
# rule set of one SecAction (the filter's per-request work without rules).
EXTRA_CONFIGS = [
    ("filter, mode off", "off"),
    ("filter, one SecAction", ['SecAction "id:1,phase:1,pass,nolog"']),
]
# The cost of the early request decision (BENCH_CONFIGS=early): CRS with
# it (the default) and without it, same run.
EARLY_CONFIGS = [
    ("Envoy alone", None),
    ("filter, @crs (PL1)", ["@crs"]),
    ("filter, @crs (PL1), no early decision", {"rules": ["@crs"], "early_request_decision": False}),
]
# Policies (BENCH_CONFIGS=policies): three hosts sharing the default rules
# (one compiled CRS) vs three hosts with rules lists of their own (four),
# and the CRS with 10,000 IP list entries and three rate-limit rules.
def _hosts(own_rules):
    hosts = {}
    for i, name in enumerate(("a.example.com", "b.example.com", "c.example.com")):
        h = {"application_id": i + 10, "mode": "monitor" if i == 1 else "block"}
        if own_rules:
            h["rules"] = ["@crs", f'SecAction "id:{9000 + i},phase:1,pass,nolog"']
        hosts[name] = h
    return hosts


def _ip_entries(n):
    # Documentation and benchmarking ranges, never the client's (127.0.0.1).
    return [f"198.18.{(i >> 8) & 255}.{i & 255}" if i % 2 else f"2001:db8:{i:x}::/48" for i in range(n)]


POLICY_CONFIGS = [
    ("Envoy alone", None),
    ("filter, @crs (PL1)", ["@crs"]),
    ("filter, @crs, 3 hosts sharing it", {"rules": ["@crs"], "hosts": _hosts(False)}),
    ("filter, @crs, 3 hosts with own rules", {"rules": ["@crs"], "hosts": _hosts(True)}),
    ("filter, @crs, 10k IP entries, 3 rate limits", {
        "rules": ["@crs"],
        "ip_deny": _ip_entries(5000), "ip_allow": _ip_entries(10000)[5000:],
        "rate_limits": [
            {"match": {"path_prefix": "/login", "methods": ["POST"]}, "key": "source_ip", "requests": 5, "per_seconds": 60},
            {"match": {"path_prefix": "/api/"}, "key": "header:authorization", "requests": 1000000, "per_seconds": 1},
            {"match": {"path_prefix": "/"}, "key": "source_ip", "requests": 1000000, "per_seconds": 1},
        ],
    }),
]

if os.environ.get("BENCH_CONFIGS") == "all":
    CONFIGS = CONFIGS[:1] + EXTRA_CONFIGS + CONFIGS[1:]
elif os.environ.get("BENCH_CONFIGS") == "early":
    CONFIGS = EARLY_CONFIGS
elif os.environ.get("BENCH_CONFIGS") == "policies":
    CONFIGS = POLICY_CONFIGS
BASELINE = CONFIGS[0][0]


class EnvoyUnderTest:
    """One Envoy (--concurrency 1) routing to the upstream, with or without
    the filter; started and timed to LIVE in __init__."""

    def __init__(self, workdir, name, rules, upstream_port):
        self.name = name
        self.rules = rules
        slug = re.sub(r"\W+", "-", name).strip("-").lower()
        self.port, self.admin = harness.free_port(), harness.free_port()
        cfg = os.path.join(workdir, f"envoy-{slug}.yaml")
        if rules == "off":
            plugin = {"mode": "off"}
        elif isinstance(rules, dict):
            plugin = {"mode": "block", **rules}
        else:
            plugin = {"mode": "block", "rules": rules or ["@builtin"]}
        with open(cfg, "w") as f:
            f.write(harness.envoy_config.render(plugin, listen_port=self.port, admin_port=self.admin,
                                                backend_port=upstream_port, collector_port=1,
                                                wasm=harness.WASM, waf=rules is not None))
        self.log_path = os.path.join(workdir, f"envoy-{slug}.log")
        self.log = open(self.log_path, "wb")
        t0 = time.time()
        self.proc = subprocess.Popen([harness.envoy_binary(), "-c", cfg, "--base-id", str(next(harness._BASE_IDS)),
                                      "--concurrency", "1", "-l", "warning"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        while True:
            if self.proc.poll() is not None:
                self.log.close()
                raise BenchError(f"Envoy ({name}) exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                status, _, body = harness.request(self.admin, "GET", "/ready", timeout=1)
                if status == 200 and body.strip() == b"LIVE":
                    break
            except OSError:
                pass
            if time.time() - t0 > 120:
                self.stop()
                raise BenchError(f"Envoy ({name}) not LIVE after 120 s: {self.log_tail()}")
            time.sleep(0.01)
        self.ready_s = time.time() - t0
        self.rss_ready = rss_mib(self.proc.pid)

    def log_size(self):
        self.log.flush()
        return os.path.getsize(self.log_path)

    def log_tail(self, n=8):
        try:
            with open(self.log_path, errors="replace") as f:
                return " | ".join(f.read().strip().splitlines()[-n:])
        except OSError:
            return ""

    def stat(self, name):
        """Value of one Envoy counter, 0 when absent."""
        _, _, body = harness.request(self.admin, "GET", "/stats?filter=" + name)
        for line in body.decode().splitlines():
            key, _, value = line.partition(": ")
            if key == name:
                return int(value)
        return 0

    def stop(self):
        harness.stop(self.proc)
        if not self.log.closed:
            self.log.close()


def cold_build():
    target = os.path.join(ROOT, "tmp", "bench-target")
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    t0 = time.time()
    subprocess.run(["cargo", "build", "--release", "--target", "wasm32-wasip1", "-p", "portcullis"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.time() - t0
    shutil.rmtree(target, ignore_errors=True)
    return took


def start_upstream(workdir):
    try:
        return NginxUpstream(workdir, harness)
    except (BenchError, OSError) as e:
        print(f"bench: WARNING: nginx cannot run ({e}); falling back to the demo backend", file=sys.stderr)
        return DemoUpstream(workdir, harness, str(e))


def preflight(envoys, upstream, requests):
    """Every request once straight to the upstream and through every Envoy:
    anything but 2xx stops the bench."""
    for req in requests:
        status, body = send_raw(upstream.port, req)
        if not 200 <= status < 300:
            raise BenchError(f"upstream answered {status} to {req.name}: {body[:200]!r}")
    upstream.after_run()
    for env in envoys:
        for req in requests:
            status, body = send_raw(env.port, req)
            if not 200 <= status < 300:
                raise BenchError(f"BENIGN REQUEST BLOCKED: {req.name} through '{env.name}' answered {status} "
                                 f"{body[:300]!r}; Envoy log: {env.log_tail()}")


def measure(env, script, seconds):
    cpu0, sched0 = cpu_seconds(env.proc.pid), sched_seconds(env.proc.pid)
    w = run_wrk(env.port, script, seconds)
    cpu, sched = cpu_seconds(env.proc.pid) - cpu0, sched_seconds(env.proc.pid) - sched0
    n = max(w["requests"], 1)
    return dict(w, cpu_us=cpu / n * 1e6, sched_us=sched / n * 1e6)


def median_row(samples):
    """Median of each numeric field over the rounds, plus the CPU spread."""
    row = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    row["non2xx"] = sum(s["non2xx"] for s in samples)
    row["socket_errors"] = sum(s["socket_errors"] for s in samples)
    row["requests"] = sum(s["requests"] for s in samples)
    row["cpu_us_min"] = min(s["cpu_us"] for s in samples)
    row["cpu_us_max"] = max(s["cpu_us"] for s in samples)
    return row


def fmt_ms(v):
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"


def report(results, args, requests):
    cfgs = results["configs"]
    base = next((c for c in cfgs if c["name"] == BASELINE), None)
    lines = [f"wasm size: {results['wasm_bytes'] / 1024:.0f} KiB ({results['wasm_bytes']} bytes)"]
    if "cold_build_s" in results:
        lines.append(f"cold release build (wasm32-wasip1, -p portcullis): {results['cold_build_s']:.0f} s")
    lines += [
        f"Envoy {results['envoy_version']} --concurrency 1; wrk -t1 -c16 -d{args.seconds}s "
        f"(after a {args.warmup}s warm-up), loopback; upstream: {results['upstream']}",
        f"requests: " + ", ".join(f"{r.label()} = {r.method} {r.uri}, {len(r.headers)} headers, {len(r.body)} B body"
                                  for r in requests),
        "Envoy CPU = utime + stime of the Envoy process during the wrk run / requests served"
        + (f"; median of {args.rounds} rounds (min–max in the detail tables)" if args.rounds > 1 else "") + ".",
        "",
        "Envoy CPU µs per request (as TARGETS.md §1):",
        "",
        "| configuration | " + " | ".join(r.label() for r in requests) + " | RSS ready (MiB) | RSS after load (MiB) | start → ready (s) |",
        "|---|" + "---:|" * (len(requests) + 3),
    ]
    for c in cfgs:
        cells = [f"{c['runs'][r.id]['cpu_us']:.0f}" for r in requests]
        lines.append(f"| {c['name']} | " + " | ".join(cells) +
                     f" | {c['rss_ready']:.0f} | {c['rss_load']:.0f} | {c['ready_s']:.2f} |")
    for r in requests:
        b = base["runs"][r.id] if base else None
        lines += ["", f"{r.label()}: {r.method} {r.uri} ({len(r.body)} B body)", "",
                  "| configuration | Envoy CPU µs/req | added µs/req | × Envoy alone | req/s | p50 | p99 | non-2xx | socket errors |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c in cfgs:
            x = c["runs"][r.id]
            cpu = f"{x['cpu_us']:.1f}"
            if args.rounds > 1:
                cpu += f" ({x['cpu_us_min']:.0f}–{x['cpu_us_max']:.0f})"
            added = f"{x['cpu_us'] - b['cpu_us']:+.1f}" if b and c["name"] != BASELINE else "–"
            ratio = f"{x['cpu_us'] / b['cpu_us']:.2f}" if b and b["cpu_us"] > 0 else "–"
            lines.append(f"| {c['name']} | {cpu} | {added} | {ratio} | {x['rps']:.0f} | {fmt_ms(x['p50_ms'])} | "
                         f"{fmt_ms(x['p99_ms'])} | {x['non2xx']} | {x['socket_errors']} |")
    if results["notes"]:
        lines += ["", "Notes:"] + [f"- {n}" for n in results["notes"]]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration per configuration and request")
    ap.add_argument("--warmup", type=int, default=1, help="wrk warm-up seconds per configuration and request")
    ap.add_argument("--rounds", type=int, default=1, help="measure every pair this many times, interleaved; report medians")
    ap.add_argument("--requests", default=DEFAULT_REQUESTS, help="corpus ids, comma-separated (b01,b02,b03)")
    ap.add_argument("--corpus", default=os.environ.get("BENCH_CORPUS", DEFAULT_CORPUS))
    ap.add_argument("--skip-cold-build", action="store_true")
    args = ap.parse_args()
    workdir = os.path.join(ROOT, "tmp", "bench")
    os.makedirs(workdir, exist_ok=True)

    requests = find_requests(args.corpus, [r.strip() for r in args.requests.split(",") if r.strip()])
    scripts = {}
    for req in requests:
        scripts[req.id] = os.path.join(workdir, f"wrk-{req.id}.lua")
        with open(scripts[req.id], "w") as f:
            f.write(wrk_lua(req))

    envoy_version = subprocess.run([harness.envoy_binary(), "--version"], capture_output=True, text=True).stdout
    m = re.search(r"/(\d+\.\d+\.\d+)/", envoy_version)
    results = {"wasm_bytes": os.path.getsize(harness.WASM), "envoy_version": m.group(1) if m else "?",
               "notes": [], "configs": []}
    if not args.skip_cold_build:
        print("bench: cold release build of the filter ...", file=sys.stderr)
        results["cold_build_s"] = cold_build()

    upstream = start_upstream(workdir)
    results["upstream"] = upstream.description
    if isinstance(upstream, DemoUpstream):
        results["notes"].append("FALLBACK UPSTREAM: nginx could not run; the Python demo backend answers, so "
                                "latency and req/s are the backend's, and TARGETS.md's figures do not compare directly.")
    envoys = []
    try:
        # Started one after another (time to ready without contention), then
        # all kept up so the measurements can be interleaved.
        for name, rules in CONFIGS:
            print(f"bench: starting Envoy ({name}) ...", file=sys.stderr)
            try:
                envoys.append(EnvoyUnderTest(workdir, name, rules, upstream.port))
            except BenchError as e:
                if rules is None:
                    raise
                print(f"bench: WARNING: {name} skipped: {e}", file=sys.stderr)
                results["notes"].append(f"SKIPPED {name}: {e}")
        preflight(envoys, upstream, requests)
        print("bench: every request answered 2xx through every configuration", file=sys.stderr)
        for req in requests:
            for env in envoys:
                if args.warmup > 0:
                    w = run_wrk(env.port, scripts[req.id], args.warmup)
                    upstream.after_run()
                    if w["non2xx"]:
                        raise BenchError(f"BENIGN REQUEST BLOCKED: {w['non2xx']} non-2xx answers to {req.name} "
                                         f"through '{env.name}' during warm-up; Envoy log: {env.log_tail()}")
        log0 = {env.name: env.log_size() for env in envoys}
        samples = {(env.name, req.id): [] for env in envoys for req in requests}
        for rnd in range(args.rounds):
            for req in requests:
                for env in envoys:
                    print(f"bench: round {rnd + 1}/{args.rounds}: {req.label()} through {env.name} ...", file=sys.stderr)
                    samples[(env.name, req.id)].append(measure(env, scripts[req.id], args.seconds))
                    upstream.after_run()
        for env in envoys:
            runs = {req.id: median_row(samples[(env.name, req.id)]) for req in requests}
            results["configs"].append(dict(name=env.name, rules=env.rules, ready_s=env.ready_s, rss_ready=env.rss_ready,
                                           rss_load=rss_mib(env.proc.pid), runs=runs))
            sent = sum(r["requests"] for r in runs.values())
            grew = env.log_size() - log0[env.name]
            if grew:
                results["notes"].append(f"'{env.name}': Envoy wrote {grew} bytes of log (level warning) during the "
                                        f"measured runs (a rule logging per request?): {env.log_tail(2)}")
            if env.rules is not None:
                inspected = env.stat("wasmcustom.portcullis.requests")
                if inspected < sent:
                    results["notes"].append(f"'{env.name}': the filter counted {inspected} requests, wrk sent {sent}")
            upstream_2xx = env.stat("cluster.backend.upstream_rq_2xx")
            if upstream_2xx < sent:
                results["notes"].append(f"'{env.name}': the upstream answered {upstream_2xx} requests, wrk sent {sent}")
    finally:
        for env in envoys:
            env.stop()
        upstream.stop()

    bad = [(c["name"], rid, x["non2xx"], x["socket_errors"]) for c in results["configs"]
           for rid, x in c["runs"].items() if x["non2xx"] or x["socket_errors"]]
    for name, rid, non2xx, errs in bad:
        results["notes"].append(f"INVALID: {rid} through '{name}': {non2xx} non-2xx answers, {errs} socket errors")
    for c in results["configs"]:
        for rid, x in c["runs"].items():
            if x["cpu_us"] > 0 and abs(x["sched_us"] - x["cpu_us"]) / x["cpu_us"] > 0.05:
                results["notes"].append(f"{rid} through '{c['name']}': utime+stime {x['cpu_us']:.1f} µs/req but "
                                        f"schedstat {x['sched_us']:.1f} µs/req (differ by > 5 %)")
    text = report(results, args, requests)
    print(text)
    with open(os.path.join(ROOT, "tmp", "bench-envoy.md"), "w") as f:
        f.write(text)
    with open(os.path.join(ROOT, "tmp", "bench-envoy.json"), "w") as f:
        json.dump(results, f, indent=2)
    if bad:
        print("bench: FAILED: some requests were not answered 2xx during the measured runs", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print(f"\nbench: FAILED: {e}\n", file=sys.stderr)
        sys.exit(1)
