"""The console page in headless Chromium (tests/browser/console.spec.mjs, Playwright's
playwright-core over Debian's chromium): a collector with an admin token, a registered node,
a known mix of verdicts posted with the node's token and counters seeded into its database
(as `/v1/counters` would store them), then the page is signed in to (a wrong token first)
and must show those totals, the top rule and the attacking source IP, a verdict's detail and
the node, then Block on the source IP and an allow entry and a removal on the IP-list page (the
collector's real /api/ip-lists). Screenshots go to tmp/screenshots/console/. Needs `scripts/setup.sh` (chromium and
tests/browser/node_modules) and the CLI release build."""

import json
import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

import harness

BROWSER_DIR = os.path.join(harness.ROOT, "tests", "browser")
SPEC = os.path.join(BROWSER_DIR, "console.spec.mjs")
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.path.join(harness.ROOT, "tmp", "screenshots", "console")

ATTACKER = "203.0.113.66"
OTHER = "198.51.100.23"


def _missing():
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing: run scripts/setup.sh"
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        return "tests/browser/node_modules is missing: run scripts/setup.sh"
    if not shutil.which("node"):
        return "node is missing"
    return None


def _record(when, ip, rule, msg, attack, action="blocked", path="/login?user=admin'--", cves=()):
    return {
        "record_id": uuid.uuid4().hex,
        "time": when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "unique_id": uuid.uuid4().hex,
        "application_id": 7,
        "host": "shop.example.com",
        "method": "GET",
        "path": path,
        "source_ip": ip,
        "status": 403 if action == "blocked" else 200,
        "action": action,
        "mode": "block" if action == "blocked" else "monitor",
        "anomaly_score": 10,
        "matched": [
            {"id": rule, "msg": msg, "data": f"Matched Data: payload from {ip}", "severity": "CRITICAL",
             "tags": [f"attack-{attack}", "paranoia-level/1"] + [f"cve/{c}" for c in cves], "phase": 2},
            {"id": 949110, "msg": "Inbound Anomaly Score Exceeded (Total Score: 10)", "data": "",
             "severity": "", "tags": [], "phase": 2},
        ],
        "attack_types": [attack],
        "cves": list(cves),
    }


def _seed(collector, token):
    """Posts the verdicts with the node's token; seeds counters and a worker report. Returns
    what the page must show."""
    now = datetime.now(timezone.utc)
    recent = now - timedelta(minutes=3)
    records = (
        [_record(recent + timedelta(seconds=i), ATTACKER, 942100, "SQL Injection Attack Detected via libinjection", "sqli")
         for i in range(6)]
        + [_record(recent + timedelta(seconds=10 + i), OTHER, 930110, "Path Traversal Attack (/../) or (/.../)", "lfi",
                   path="/static/../../etc/passwd") for i in range(2)]
        + [_record(recent + timedelta(seconds=20), "192.0.2.10", 944100, "Remote Command Execution: Log4j",
                   "java", action="monitored", path="/api", cves=("CVE-2021-44228",))]
    )
    body = "\n".join(json.dumps(r) for r in records) + "\n"
    status, _, answer = harness.request(collector.port, "POST", "/v1/verdicts",
                                        {"Authorization": f"Bearer {token}",
                                         "Content-Type": "application/x-ndjson"}, body.encode())
    assert status == 200, answer
    assert json.loads(answer)["accepted"] == len(records), answer

    db = sqlite3.connect(collector.db, timeout=10)
    node_id = db.execute("SELECT id FROM nodes WHERE name = 'edge-eu-1'").fetchone()[0]
    minute_ms = int(now.timestamp() * 1000) // 60000 * 60000
    requests = blocked = 0
    for m in range(1, 31):  # the last 30 whole minutes
        r, b = 40 + m, 1 if m % 3 == 0 else 0
        requests += r
        blocked += b
        db.execute("INSERT INTO counters (node, minute_ms, host, application_id, mode, requests, blocked, "
                   "monitored, passed, rate_limited) VALUES (?, ?, 'shop.example.com', '7', 'block', ?, ?, 0, ?, 1)",
                   (node_id, minute_ms - m * 60000, r, b, r - b - 1))
    db.execute("INSERT INTO node_workers (node, worker, version, ruleset_fingerprint, rule_count, workers, "
               "flush_interval_ms, last_seen_ms) VALUES (?, 'w-1', '0.1.0', 'sha256:4f1c9e0d2b7a', 812, 2, 1000, ?)",
               (node_id, int(time.time() * 1000)))
    db.commit()
    db.close()
    # Every record matched the anomaly-score rule 949110 as well (as CRS blocks do): it tops the
    # rules, and 942100 (six records) comes next.
    return {"requests": requests, "blocked": blocked, "verdicts": len(records), "top_rule": 949110,
            "rule": {"id": 942100, "count": 6},
            "source_ip": ATTACKER, "node": "edge-eu-1"}


def test_console_page_in_headless_chromium(workdir):
    missing = _missing()
    if missing:
        pytest.skip(missing)
    port = harness.free_port()
    collector_dir = os.path.join(workdir, "console-page")
    os.makedirs(collector_dir, exist_ok=True)
    collector = harness.Collector(collector_dir, port, auth=True)
    try:
        # The collector listens before it has opened and migrated its database: an answer to
        # /healthz says it has (a `node add` racing the migration can find the file locked).
        status, _, _ = harness.request(port, "GET", "/healthz", timeout=60)
        assert status == 200
        token = collector.add_node("edge-eu-1", group="prod-eu")
        expect = _seed(collector, token)
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        env = dict(os.environ, CONSOLE_URL=f"http://127.0.0.1:{port}", ADMIN_TOKEN=collector.admin_token,
                   EXPECT=json.dumps(expect), SCREENSHOTS=SCREENSHOTS, CHROMIUM=CHROMIUM)
        run = subprocess.run(["node", SPEC], cwd=BROWSER_DIR, env=env, capture_output=True, text=True, timeout=180)
        print(run.stdout)
        print(run.stderr)
        assert run.returncode == 0, f"console.spec failed:\n{run.stdout}\n{run.stderr}"
        for name in ("01-signin-wrong-token.png", "02-dashboard.png", "04-verdict-detail.png", "05-nodes.png",
                     "07-ip-lists.png"):
            assert os.path.getsize(os.path.join(SCREENSHOTS, name)) > 10_000, name
        # What the page did, as the collector's own API sees it: the block was removed, the allow
        # entry added by hand stays.
        status, _, body = harness.request(port, "GET", "/api/ip-lists", collector.api_headers())
        assert status == 200, body
        entries = [(e["list"], e["cidr"], e["note"]) for e in json.loads(body)["entries"]]
        assert entries == [("allow", "192.0.2.0/24", "office")], entries
    finally:
        collector.stop()
