"""examples/istio/*.yaml against the WasmPlugin API and the filter's parser.

The schema below is written from istio/api `extensions/v1alpha1/wasm.proto`
and `type/v1beta1/selector.proto` (commit b8f8791d9653, 1.31.0-alpha.0),
as Kubernetes sees them (proto3 JSON: lowerCamelCase field names, enums by
name), with the CRD's validation rules that matter here (`url` scheme,
`sha256` pattern, one of selector/targetRef/targetRefs, no `value` with
`valueFrom: HOST`, no cross-namespace targetRefs). Every `pluginConfig` is
then checked by `portcullis check-config`, which builds the plugin exactly
as the filter's `on_configure` does.
"""

import copy
import glob
import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import CLI, ROOT

EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "istio", "*.yaml")))

# Field types: "string", "int32", "uint32", "struct" (any JSON object),
# ("enum", {...}), ("list", T), ("map", T), or a dict (a message).
POLICY_TARGET_REFERENCE = {"group": "string", "kind": "string", "name": "string", "namespace": "string"}
WASM_PLUGIN_SPEC = {
    "selector": {"matchLabels": ("map", "string")},
    "targetRef": POLICY_TARGET_REFERENCE,
    "targetRefs": ("list", POLICY_TARGET_REFERENCE),
    "url": "string",
    "sha256": "string",
    "imagePullPolicy": ("enum", {"UNSPECIFIED_POLICY", "IfNotPresent", "Always"}),
    "imagePullSecret": "string",
    "verificationKey": "string",
    "pluginConfig": "struct",
    "pluginName": "string",
    "phase": ("enum", {"UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"}),
    "priority": "int32",
    "failStrategy": ("enum", {"FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"}),
    "vmConfig": {"env": ("list", {"name": "string", "valueFrom": ("enum", {"INLINE", "HOST"}), "value": "string"})},
    "match": ("list", {
        "mode": ("enum", {"UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"}),
        "ports": ("list", {"number": "uint32"}),
    }),
    "type": ("enum", {"UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"}),
}
OBJECT_META = {"name": "string", "namespace": "string", "labels": ("map", "string"), "annotations": ("map", "string")}
# Other kinds an example may carry beside its WasmPlugin (checked for shape only).
OTHER_KINDS = {("gateway.networking.k8s.io/v1", "Gateway")}


def type_errors(value, t, path):
    """Every mismatch of `value` against type `t`, as `path: problem`."""
    if isinstance(t, dict):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {value!r}"]
        errs = [f"{path}.{k}: unknown field" for k in value if k not in t]
        for k, v in value.items():
            if k in t:
                errs += type_errors(v, t[k], f"{path}.{k}")
        return errs
    if isinstance(t, tuple):
        kind, inner = t
        if kind == "enum":
            return [] if value in inner else [f"{path}: {value!r} is not one of {sorted(inner)}"]
        if kind == "list":
            if not isinstance(value, list):
                return [f"{path}: expected a list, got {value!r}"]
            return [e for i, v in enumerate(value) for e in type_errors(v, inner, f"{path}[{i}]")]
        if kind == "map":
            if not isinstance(value, dict):
                return [f"{path}: expected a map, got {value!r}"]
            return [e for k, v in value.items() for e in type_errors(v, inner, f"{path}[{k}]")]
    if t == "string":
        return [] if isinstance(value, str) else [f"{path}: expected a string, got {value!r}"]
    if t in ("int32", "uint32"):
        lo, hi = (-(2**31), 2**31 - 1) if t == "int32" else (0, 2**32 - 1)
        ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
        return [] if ok else [f"{path}: expected {t}, got {value!r}"]
    if t == "struct":
        return [] if isinstance(value, dict) else [f"{path}: expected an object, got {value!r}"]
    raise AssertionError(f"schema: unknown type {t!r}")


def wasm_plugin_errors(doc):
    """Every problem of one WasmPlugin document."""
    errs = []
    if doc.get("apiVersion") != "extensions.istio.io/v1alpha1":
        errs.append(f"apiVersion: {doc.get('apiVersion')!r}")
    errs += [f"{k}: unknown top-level field" for k in doc if k not in ("apiVersion", "kind", "metadata", "spec")]
    meta = doc.get("metadata") or {}
    errs += type_errors(meta, OBJECT_META, "metadata")
    if not meta.get("name"):
        errs.append("metadata.name: required")
    spec = doc.get("spec")
    errs += type_errors(spec, WASM_PLUGIN_SPEC, "spec")
    if not isinstance(spec, dict):
        return errs
    url = spec.get("url", "")
    if not url:
        errs.append("spec.url: required")
    elif re.match(r"^[a-z][a-z0-9+.-]*://", url) and url.split("://", 1)[0] not in ("oci", "http", "https", "file"):
        errs.append(f"spec.url: scheme must be one of oci, http, https, file: {url!r}")
    if "sha256" in spec and not re.fullmatch(r"(|[a-f0-9]{64})", str(spec["sha256"])):
        errs.append("spec.sha256: must be 64 lowercase hex digits")
    targets = [k for k in ("selector", "targetRef", "targetRefs") if k in spec]
    if len(targets) > 1:
        errs.append(f"spec: only one of selector, targetRef, targetRefs may be set, not {targets}")
    refs = spec.get("targetRefs", []) + ([spec["targetRef"]] if "targetRef" in spec else [])
    if len(spec.get("targetRefs", [])) > 16:
        errs.append("spec.targetRefs: at most 16")
    for i, ref in enumerate(refs if isinstance(refs, list) else []):
        if isinstance(ref, dict):
            errs += [f"spec.targetRefs[{i}].{k}: required" for k in ("kind", "name") if not ref.get(k)]
            if ref.get("namespace"):
                errs.append(f"spec.targetRefs[{i}].namespace: cross namespace referencing is not supported")
    env = ((spec.get("vmConfig") or {}).get("env")) or []
    for i, var in enumerate(env if isinstance(env, list) else []):
        if not isinstance(var, dict):
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(var.get("name", ""))):
            errs.append(f"spec.vmConfig.env[{i}].name: must be a C identifier")
        if var.get("valueFrom") == "HOST" and "value" in var:
            errs.append(f"spec.vmConfig.env[{i}]: value may only be set when valueFrom is INLINE")
    return errs


def documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def wasm_plugins():
    out = []
    for path in EXAMPLES:
        for i, doc in enumerate(documents(path)):
            if doc.get("kind") == "WasmPlugin":
                out.append(pytest.param(path, doc, id=f"{os.path.basename(path)}#{i}"))
    return out


def test_examples_cover_what_users_deploy():
    plugins = [p.values[1]["spec"] for p in wasm_plugins()]
    assert any("selector" in s for s in plugins), "an ingress gateway chosen by selector"
    assert any(any(r.get("kind") == "Gateway" for r in s.get("targetRefs", [])) for s in plugins), \
        "a Gateway API gateway chosen by targetRefs"
    for s in plugins:
        assert s["url"].startswith("oci://") and s.get("sha256"), "pulled as an OCI image, pinned by digest"
        assert s.get("failStrategy") in ("FAIL_CLOSE", "FAIL_OPEN"), "failStrategy is chosen, not left implicit"
    assert any(s["pluginConfig"].get("hosts") for s in plugins), "per-host policies"


def test_every_document_is_a_known_kind():
    assert EXAMPLES, "no examples/istio/*.yaml"
    for path in EXAMPLES:
        for doc in documents(path):
            key = (doc.get("apiVersion"), doc.get("kind"))
            assert doc.get("kind") == "WasmPlugin" or key in OTHER_KINDS, f"{path}: unexpected {key}"


@pytest.mark.parametrize("path,doc", wasm_plugins())
def test_wasm_plugin_fields_match_the_api(path, doc):
    assert wasm_plugin_errors(doc) == []
    # targetRefs name a resource of the same example when it carries one.
    gateways = {d["metadata"]["name"] for d in documents(path) if d.get("kind") == "Gateway"}
    for ref in doc["spec"].get("targetRefs", []):
        if ref["kind"] == "Gateway" and gateways:
            assert ref["name"] in gateways
            assert ref.get("group") == "gateway.networking.k8s.io"


@pytest.mark.parametrize("path,doc", wasm_plugins())
def test_the_collector_token_comes_from_the_host(path, doc):
    spec = doc["spec"]
    log = spec["pluginConfig"].get("verdict_log") or {}
    assert "token" not in log, "no token in plain text"
    if "token_env" in log:
        env = {v["name"]: v for v in spec.get("vmConfig", {}).get("env", [])}
        assert env.get(log["token_env"], {}).get("valueFrom") == "HOST", \
            f"{log['token_env']} must be in vmConfig.env with valueFrom: HOST"


def check_config(tmp_path, name, config):
    path = tmp_path / name
    path.write_text(json.dumps(config))
    r = subprocess.run([CLI, "check-config", str(path)], capture_output=True, text=True, timeout=120)
    return path, r


@pytest.mark.parametrize("path,doc", wasm_plugins())
def test_plugin_config_passes_the_filters_parser(tmp_path, path, doc):
    # Istio hands pluginConfig to the filter as JSON: the same JSON here.
    cfg, r = check_config(tmp_path, "plugin.json", doc["spec"]["pluginConfig"])
    assert r.returncode == 0, f"{os.path.basename(path)}:\n{r.stdout}{r.stderr}"
    assert r.stdout.startswith(f"{cfg}: ok: "), r.stdout
    hosts = len(doc["spec"]["pluginConfig"].get("hosts") or {})
    assert f", {hosts} host polic" in r.stdout, "every hosts entry became a policy"


def test_check_config_reports_the_filters_messages(tmp_path):
    cfg, r = check_config(tmp_path, "bad.json", {"mode": "loud", "request_body_limit": "big"})
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines and all(line.startswith(f"{cfg}: invalid plugin configuration: ") for line in lines), lines
    assert any(": mode: unknown variant `loud`" in line for line in lines), lines


BAD = [
    ("spec.failStrategy", "FAIL_CLOSED", "is not one of"),
    ("spec.failstrategy", "FAIL_OPEN", "unknown field"),
    ("spec.priority", "10", "expected int32"),
    ("spec.sha256", "ABC", "64 lowercase hex"),
    ("spec.url", "ftp://x/y", "scheme"),
    ("spec.vmConfig.env", [{"name": "T", "valueFrom": "HOST", "value": "secret"}], "only be set when valueFrom is INLINE"),
    ("spec.vmConfig.env", [{"name": "T", "valueFrom": "ENV"}], "is not one of"),
    ("spec.targetRefs", [{"kind": "Gateway", "name": "g"}], "only one of selector"),
    ("spec.match", [{"mode": "SERVER", "ports": [{"number": -1}]}], "expected uint32"),
]


@pytest.mark.parametrize("field,value,message", BAD, ids=[f"{b[0]}={b[1]!r}" for b in BAD])
def test_the_schema_check_catches_mistakes(field, value, message):
    doc = copy.deepcopy(next(p.values[1] for p in wasm_plugins() if "selector" in p.values[1]["spec"]))
    *parents, last = field.split(".")
    node = doc
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value
    errs = wasm_plugin_errors(doc)
    assert any(message in e for e in errs), errs
