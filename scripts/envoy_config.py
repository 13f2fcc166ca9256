#!/usr/bin/env python3
"""Render envoy/envoy.yaml.tmpl: ports, wasm path and plugin configuration.

Used by `make demo`, the benchmarks and the end-to-end tests (import
`render`). `envoy/envoy.yaml` is this script's output with the defaults:

    python3 scripts/envoy_config.py > envoy/envoy.yaml
"""

import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "envoy", "envoy.yaml.tmpl")
DEFAULT_PLUGIN = os.path.join(ROOT, "envoy", "plugin.json")
DEFAULT_WASM = "target/wasm32-wasip1/release/portcullis.wasm"

DEFAULTS = {
    "LISTEN_PORT": 10000,
    "ADMIN_PORT": 9901,
    "BACKEND_PORT": 8080,
    "COLLECTOR_PORT": 8686,
    "BUFFER_LIMIT": 1048576,
}


ROUTE = "route: { cluster: backend, timeout: 10s }"
DIRECT = 'direct_response: { status: 200, body: { inline_string: "ok" } }'


def render(plugin_config, *, listen_port=None, admin_port=None, backend_port=None,
           collector_port=None, wasm=DEFAULT_WASM, buffer_limit=None, waf=True,
           direct_response=False, http_protocol_options=None, connect=False,
           reject_empty_host=True, collector_ports=None):
    """The Envoy YAML as a string.

    plugin_config: a dict (serialized as JSON) or a str (inserted as is, so
    tests can send invalid JSON). waf=False drops the filter (for benchmarks).
    direct_response=True answers 200 "ok" from Envoy instead of the backend
    (benchmarks of requests without a body only: such a route answers before
    a request body is read).

    reject_empty_host (on by default, in every config we ship) answers 400 to
    a request whose Host (:authority) is empty, from a route, after the
    filter has seen the request (an "http" URI with an empty host is
    invalid, RFC 9110 section 4.2.1, and RFC 9112 section 3.2 asks for 400;
    Envoy itself forwards such a request).

    The rest leave the template's output unchanged when not given:
    http_protocol_options: a dict of the connection manager's HTTP/1 options
    (e.g. {"accept_http_10": True}). connect=True proxies CONNECT requests to
    the backend (Envoy's default route matching never matches CONNECT: it has
    no :path, so Envoy answers 404). collector_ports: a list of ports, one
    endpoint each in the verdict cluster (round robin over collectors that
    share one PostgreSQL store), instead of collector_port alone.
    """
    values = dict(DEFAULTS)
    for key, val in (("LISTEN_PORT", listen_port), ("ADMIN_PORT", admin_port),
                     ("BACKEND_PORT", backend_port), ("COLLECTOR_PORT", collector_port),
                     ("BUFFER_LIMIT", buffer_limit)):
        if val is not None:
            values[key] = int(val)
    values["WASM"] = json.dumps(wasm)
    text = plugin_config if isinstance(plugin_config, str) else json.dumps(plugin_config, indent=2)
    with open(TEMPLATE, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    skipping = False
    for line in lines:
        stripped = line.strip()
        if stripped == "# BEGIN portcullis":
            skipping = not waf
            continue
        if stripped == "# END portcullis":
            skipping = False
            continue
        if skipping:
            continue
        if stripped == "${PLUGIN_CONFIG}":
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + l if l else "" for l in text.splitlines() or [""])
            continue
        for key, val in values.items():
            line = line.replace("${%s}" % key, str(val))
        if direct_response:
            line = line.replace(ROUTE, DIRECT)
        if "${" in line:
            raise ValueError("unrendered placeholder in: " + line)
        out.append(line)
    text = "\n".join(out) + "\n"
    if direct_response and DIRECT not in text:
        raise ValueError("template route not found for direct_response")
    hcm = []
    if http_protocol_options:
        hcm.append("http_protocol_options: " + _flow(http_protocol_options))
    if connect:
        hcm.append("upgrade_configs: [{ upgrade_type: CONNECT }]")
    text = _after_line(text, HCM_ANCHOR, hcm)
    if collector_ports:
        text = _collector_endpoints(text, collector_ports)
    routes = []
    if reject_empty_host:
        routes += ['- match: { prefix: "/", headers: [{ name: ":authority", string_match: { exact: "" } }] }',
                   "  direct_response: { status: 400 }"]
    if connect:
        routes += ["- match: { connect_matcher: {} }", "  " + (DIRECT if direct_response else ROUTE)]
    return _before_line(text, ROUTE_ANCHOR, routes)


def _collector_endpoints(text, ports):
    """The verdict cluster with one endpoint per port (its single endpoint repeated)."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line.strip() == "cluster_name: portcullis_logs")
    for i in range(start, len(lines)):
        if lines[i].strip() == "- endpoint:":
            block = lines[i:i + 3]
            break
    else:
        raise ValueError("no endpoint in the portcullis_logs cluster")
    if "socket_address" not in block[2]:
        raise ValueError("unexpected endpoint layout: " + "\n".join(block))
    endpoints = []
    for port in ports:
        endpoints += block[:2] + [re.sub(r"port_value: \d+", f"port_value: {int(port)}", block[2])]
    return "\n".join(lines[:i] + endpoints + lines[i + 3:])


# Where render() adds connection manager options and routes.
HCM_ANCHOR = "stat_prefix: ingress"
ROUTE_ANCHOR = '- match: { prefix: "/" }'


def _flow(options):
    """A flat dict as a YAML flow mapping (booleans lower-case, strings quoted)."""
    return "{ " + ", ".join("%s: %s" % (k, json.dumps(v)) for k, v in options.items()) + " }"


def _find_line(text, anchor):
    """The start offset and indentation of the line whose stripped text is anchor."""
    at = 0
    for line in text.splitlines(keepends=True):
        if line.strip() == anchor:
            return at, line[: len(line) - len(line.lstrip())]
        at += len(line)
    raise ValueError("template line not found: " + anchor)


def _after_line(text, anchor, lines):
    """text with lines inserted after the anchor line, at its indentation."""
    if not lines:
        return text
    at, indent = _find_line(text, anchor)
    end = text.index("\n", at) + 1
    return text[:end] + "".join(indent + l + "\n" for l in lines) + text[end:]


def _before_line(text, anchor, lines):
    """text with lines inserted before the anchor line, at its indentation."""
    if not lines:
        return text
    at, indent = _find_line(text, anchor)
    return text[:at] + "".join(indent + l + "\n" for l in lines) + text[at:]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--plugin", default=DEFAULT_PLUGIN, help="plugin configuration JSON file")
    p.add_argument("--mode", choices=["block", "monitor", "off"], help="override the plugin's mode")
    p.add_argument("--rules", help="override the plugin's rules: comma-separated entries, e.g. @builtin,@crs")
    p.add_argument("--listen-port", type=int)
    p.add_argument("--admin-port", type=int)
    p.add_argument("--backend-port", type=int)
    p.add_argument("--collector-port", type=int)
    p.add_argument("--wasm", default=DEFAULT_WASM)
    p.add_argument("--no-waf", action="store_true", help="leave the filter out (baseline)")
    a = p.parse_args(argv)
    with open(a.plugin, encoding="utf-8") as f:
        cfg = json.load(f)
    if a.mode:
        cfg["mode"] = a.mode
    if a.rules:
        cfg["rules"] = [r.strip() for r in a.rules.split(",") if r.strip()]
    sys.stdout.write(render(cfg, listen_port=a.listen_port, admin_port=a.admin_port,
                            backend_port=a.backend_port, collector_port=a.collector_port,
                            wasm=a.wasm, waf=not a.no_waf))


if __name__ == "__main__":
    main()
