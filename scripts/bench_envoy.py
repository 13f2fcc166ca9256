#!/usr/bin/env python3
"""Envoy with vs without the Portcullis filter, same run, loopback.

Prints (and writes to tmp/bench-envoy.md) a Markdown table: wasm size, cold
release build time, and per configuration Envoy time-to-ready, RSS after
ready and after load, wrk requests/s, latency and Envoy CPU µs per request
for `GET /search?a=1&b=two&c=three&d=4&e=five`. Envoy runs one worker
(--concurrency 1) and answers with a direct_response, so the numbers show
the filter's cost rather than a backend's.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import harness  # noqa: E402

URL_PATH = "/search?a=1&b=two&c=three&d=4&e=five"
TICKS = os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


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


def start_envoy(workdir, name, rules):
    port, admin = harness.free_port(), harness.free_port()
    cfg = os.path.join(workdir, f"bench-{name}.yaml")
    plugin = {"mode": "block", "rules": rules or ["@builtin"]}
    with open(cfg, "w") as f:
        f.write(harness.envoy_config.render(plugin, listen_port=port, admin_port=admin, backend_port=1,
                                            collector_port=1, wasm=harness.WASM, waf=rules is not None,
                                            direct_response=True))
    t0 = time.time()
    log = open(os.path.join(workdir, f"bench-{name}.log"), "wb")
    proc = subprocess.Popen([harness.envoy_binary(), "-c", cfg, "--base-id", str(next(harness._BASE_IDS)),
                             "--concurrency", "1", "-l", "warning"], stdout=log, stderr=subprocess.STDOUT)
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"envoy {name} exited; see {log.name}")
        try:
            status, _, body = harness.request(admin, "GET", "/ready", timeout=1)
            if status == 200 and body.strip() == b"LIVE":
                break
        except OSError:
            pass
        if time.time() - t0 > 120:
            raise RuntimeError(f"envoy {name} not ready")
        time.sleep(0.02)
    return proc, port, time.time() - t0


def wrk(port, seconds):
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{port}{URL_PATH}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "requests": total, "p50": p50, "p99": p99, "non2xx": int(non2xx.group(1)) if non2xx else 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--skip-cold-build", action="store_true")
    a = ap.parse_args()
    workdir = os.path.join(ROOT, "tmp", "bench")
    os.makedirs(workdir, exist_ok=True)

    results = {"wasm_bytes": os.path.getsize(harness.WASM)}
    if not a.skip_cold_build:
        print("bench: cold release build of the filter ...", file=sys.stderr)
        results["cold_build_s"] = cold_build()

    configs = [("envoy alone", None), ("filter, @builtin", ["@builtin"]), ("filter, @crs", ["@crs"])]
    rows = []
    for name, rules in configs:
        print(f"bench: {name} ...", file=sys.stderr)
        try:
            proc, port, ready = start_envoy(workdir, re.sub(r"\W+", "-", name), rules)
        except RuntimeError as e:  # e.g. no CRS embedded in this build
            print(f"bench: {name} skipped: {e}", file=sys.stderr)
            continue
        try:
            rss_ready = rss_mib(proc.pid)
            harness.request(port, "GET", URL_PATH)  # warm up
            cpu0 = cpu_seconds(proc.pid)
            w = wrk(port, a.seconds)
            cpu = cpu_seconds(proc.pid) - cpu0
            rows.append(dict(name=name, ready_s=ready, rss_ready=rss_ready, rss_load=rss_mib(proc.pid),
                             cpu_us=cpu / max(w["requests"], 1) * 1e6, **w))
        finally:
            harness.stop(proc)
    results["rows"] = rows

    lines = [f"wasm size: {results['wasm_bytes'] / 1024:.0f} KiB ({results['wasm_bytes']} bytes)"]
    if "cold_build_s" in results:
        lines.append(f"cold release build (wasm32-wasip1, -p portcullis): {results['cold_build_s']:.0f} s")
    lines += ["", f"GET {URL_PATH}, wrk -t1 -c16 -d{a.seconds}s, Envoy --concurrency 1, direct_response, loopback", "",
              "| configuration | ready (s) | RSS ready (MiB) | RSS after load (MiB) | req/s | p50 | p99 | Envoy CPU µs/req | non-2xx |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['ready_s']:.2f} | {r['rss_ready']:.0f} | {r['rss_load']:.0f} | {r['rps']:.0f} | "
                     f"{r['p50']} | {r['p99']} | {r['cpu_us']:.1f} | {r['non2xx']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(ROOT, "tmp", "bench-envoy.md"), "w") as f:
        f.write(text)
    with open(os.path.join(ROOT, "tmp", "bench-envoy.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
