"""`make oci` (scripts/oci.sh): the filter as an OCI image Istio can pull.

Istio's image fetcher (pkg/wasm/imagefetcher.go in istio/istio) takes the
last layer of an image: a tar+gzip layer holding `plugin.wasm` (the *compat*
variant, annotated `module.wasm.image/variant: compat`) or, failing that,
two layers one of which is `application/vnd.module.wasm.content.layer.v1+wasm`
(the *oci* artifact variant). The manifest digest is what WasmPlugin's
`sha256` is checked against. These tests check both variants' layout, that
the same module gives the same digest, and a round trip through a real
registry (push with skopeo, pull back, same digest, same module bytes).
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile

import pytest

from conftest import OCI_SH, WASM

TAG = "0.1.0-test"
COMPAT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm"
WASM_CONFIG = "application/vnd.module.wasm.config.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def build(out, variant="compat", wasm=WASM, extra_env=None):
    env = dict(os.environ, OCI_TAG=TAG, OCI_VARIANT=variant, **(extra_env or {}))
    return subprocess.run(["bash", OCI_SH, wasm, str(out)], env=env, capture_output=True, text=True, timeout=120)


def built(out, variant="compat"):
    r = build(out, variant)
    assert r.returncode == 0, r.stderr
    digest = r.stdout.strip().splitlines()[-1]
    assert digest.startswith("sha256:") and len(digest) == 71, r.stdout
    return digest


def blob(layout, digest):
    data = (layout / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()
    assert "sha256:" + hashlib.sha256(data).hexdigest() == digest, "a blob's name is its digest"
    return data


def manifest_of(layout):
    """The one manifest of an image layout: (digest, parsed manifest)."""
    assert json.loads((layout / "oci-layout").read_text()) == {"imageLayoutVersion": "1.0.0"}
    index = json.loads((layout / "index.json").read_text())
    assert index["schemaVersion"] == 2 and len(index["manifests"]) == 1, index
    desc = index["manifests"][0]
    raw = blob(layout, desc["digest"])
    assert desc["size"] == len(raw)
    return desc["digest"], json.loads(raw)


def module_of(layout):
    """The wasm module an image layout carries, read the way Istio reads it."""
    _, m = manifest_of(layout)
    for d in m["layers"] + [m["config"]]:
        assert len(blob(layout, d["digest"])) == d["size"], d
    last = m["layers"][-1]
    if last["mediaType"] == COMPAT_LAYER:
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob(layout, last["digest"])))) as tar:
            names = tar.getnames()
            assert names == ["plugin.wasm"], names
            return tar.extractfile("plugin.wasm").read()
    assert len(m["layers"]) == 2, "the oci variant has a runtime-config and a content layer"
    (content,) = [d for d in m["layers"] if d["mediaType"] == WASM_LAYER]
    return blob(layout, content["digest"])


def test_compat_layout_follows_istios_wasm_image_spec(tmp_path):
    digest = built(tmp_path / "img")
    layout = tmp_path / "img"
    got, m = manifest_of(layout)
    assert got == digest
    assert (tmp_path / "img.digest").read_text().strip() == digest
    index = json.loads((layout / "index.json").read_text())
    assert index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] == TAG
    assert index["manifests"][0]["mediaType"] == MANIFEST
    assert m["schemaVersion"] == 2 and m["mediaType"] == MANIFEST
    assert m["annotations"] == {"module.wasm.image/variant": "compat"}
    assert [d["mediaType"] for d in m["layers"]] == [COMPAT_LAYER]
    config = json.loads(blob(layout, m["config"]["digest"]))
    assert m["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"
    layer_tar = gzip.decompress(blob(layout, m["layers"][0]["digest"]))
    assert config["rootfs"] == {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]}
    assert module_of(layout) == open(WASM, "rb").read()


def test_oci_artifact_variant(tmp_path):
    built(tmp_path / "img", "oci")
    _, m = manifest_of(tmp_path / "img")
    assert m["config"]["mediaType"] == WASM_CONFIG
    assert sorted(d["mediaType"] for d in m["layers"]) == sorted([WASM_CONFIG, WASM_LAYER])
    runtime = json.loads(blob(tmp_path / "img", m["config"]["digest"]))
    assert runtime["type"] == "envoy_proxy"
    assert module_of(tmp_path / "img") == open(WASM, "rb").read()


def test_same_module_same_digest(tmp_path):
    a = built(tmp_path / "a")
    b = built(tmp_path / "b")
    assert a == b
    for name in os.listdir(tmp_path / "a" / "blobs" / "sha256"):
        assert (tmp_path / "a" / "blobs" / "sha256" / name).read_bytes() == \
            (tmp_path / "b" / "blobs" / "sha256" / name).read_bytes()
    assert built(tmp_path / "c", "oci") != a


def test_a_filter_without_the_crs_is_refused(tmp_path):
    bare = tmp_path / "bare.wasm"
    bare.write_bytes(b"\0asm\x01\0\0\0")
    r = build(tmp_path / "img", wasm=str(bare))
    assert r.returncode == 1 and "embeds no CRS" in r.stderr, r.stderr
    assert not (tmp_path / "img").exists()
    r = build(tmp_path / "img", wasm=str(bare), extra_env={"OCI_ALLOW_NO_CRS": "1"})
    assert r.returncode == 0, r.stderr
    assert module_of(tmp_path / "img") == bare.read_bytes()


def skopeo(*args):
    # --insecure-policy: no dependence on the machine's /etc/containers/policy.json.
    r = subprocess.run(["skopeo", "--insecure-policy", *args], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


@pytest.mark.parametrize("variant", ["compat", "oci"])
def test_push_to_a_registry_and_pull_back(tmp_path, registry, variant):
    digest = built(tmp_path / "img", variant)
    ref = f"docker://{registry}/portcullis:{variant}"
    skopeo("copy", "--dest-tls-verify=false", f"oci:{tmp_path / 'img'}:{TAG}", ref)
    # The registry serves the manifest byte for byte: the digest Istio checks
    # `sha256` against is the one `make oci` printed.
    raw = skopeo("inspect", "--raw", "--tls-verify=false", ref)
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == digest
    by_digest = skopeo("inspect", "--raw", "--tls-verify=false", f"docker://{registry}/portcullis@{digest}")
    assert by_digest == raw
    skopeo("copy", "--src-tls-verify=false", ref, f"oci:{tmp_path / 'back'}:{TAG}")
    back_digest, _ = manifest_of(tmp_path / "back")
    assert back_digest == digest
    assert module_of(tmp_path / "back") == open(WASM, "rb").read()
