#!/usr/bin/env bash
# Package the filter as an OCI image that Istio's WasmPlugin can pull
# (`url: oci://…`), without docker: an OCI image layout directory
# (oci-layout, index.json, blobs/sha256/…) written here, then pushed with any
# OCI tool, e.g. `skopeo copy oci:DIR:TAG docker://REGISTRY/portcullis:TAG`.
#
# Usage: scripts/oci.sh [WASM] [OUT_DIR]
#   WASM     default target/wasm32-wasip1/release/portcullis.wasm
#   OUT_DIR  default target/oci/portcullis (replaced)
#   OCI_TAG      the tag (index.json's org.opencontainers.image.ref.name),
#                default the crate version
#   OCI_VARIANT  compat (default): one tar+gzip layer holding plugin.wasm,
#                the variant any registry and docker/podman/skopeo handle;
#                oci: the Wasm artifact variant (a runtime-config layer and
#                the raw module as a content layer, custom media types).
#                Istio's fetcher accepts both.
#   OCI_ALLOW_NO_CRS=1  package a filter built without the CRS (refused otherwise)
#
# Reproducible: the same wasm gives the same bytes and digest (tar entry
# with fixed mtime/owner/mode, gzip without name or time, JSON with sorted
# keys and no whitespace). Prints the manifest digest last, on its own line;
# that digest (without `sha256:`) is what WasmPlugin's `sha256` field takes
# for an oci:// url. Also written to OUT_DIR.digest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM="${1:-$ROOT/target/wasm32-wasip1/release/portcullis.wasm}"
OUT="${2:-$ROOT/target/oci/portcullis}"
VARIANT="${OCI_VARIANT:-compat}"
TAG="${OCI_TAG:-$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)}"

log() { printf 'oci: %s\n' "$*" >&2; }

[ -f "$WASM" ] || { log "no filter at $WASM (make build-wasm)"; exit 2; }
case "$VARIANT" in compat|oci) ;; *) log "OCI_VARIANT must be compat or oci, not $VARIANT"; exit 2;; esac
[ -n "$TAG" ] || { log "no tag: set OCI_TAG"; exit 2; }
# The CRS rule files are embedded under their own names: without them the
# image would carry a filter whose `@crs` fails every configuration using it.
if [ "${OCI_ALLOW_NO_CRS:-}" != 1 ] && ! grep -aq 'REQUEST-942-APPLICATION-ATTACK-SQLI' "$WASM"; then
    log "$WASM embeds no CRS (build it with CRS_DIR set); OCI_ALLOW_NO_CRS=1 to package it anyway"
    exit 1
fi

python3 - "$WASM" "$OUT" "$VARIANT" "$TAG" <<'PY'
import gzip, hashlib, io, json, os, shutil, sys, tarfile

wasm_path, out, variant, tag = sys.argv[1:5]
wasm = open(wasm_path, "rb").read()

def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()

blobs = {}
def blob(media_type, data, annotations=None):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    blobs[digest] = data
    d = {"mediaType": media_type, "digest": digest, "size": len(data)}
    if annotations:
        d["annotations"] = annotations
    return d

manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json"}
if variant == "compat":
    # One layer, a tar holding ./plugin.wasm (the name Istio looks for).
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("plugin.wasm")
        info.size, info.mtime, info.mode = len(wasm), 0, 0o444
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        tar.addfile(info, io.BytesIO(wasm))
    raw = tar_bytes.getvalue()
    layer = gzip.compress(raw, compresslevel=9, mtime=0)
    config = {
        "architecture": "wasm",
        "os": "wasip1",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]},
    }
    manifest["config"] = blob("application/vnd.oci.image.config.v1+json", canonical(config))
    manifest["layers"] = [blob("application/vnd.oci.image.layer.v1.tar+gzip", layer)]
    manifest["annotations"] = {"module.wasm.image/variant": "compat"}
else:
    runtime = canonical({"type": "envoy_proxy", "abiVersions": ["v0.2.1"], "config": {"rootIds": ["portcullis"]}})
    cfg = blob("application/vnd.module.wasm.config.v1+json", runtime,
               {"org.opencontainers.image.title": "runtime-config.json"})
    manifest["config"] = {k: v for k, v in cfg.items() if k != "annotations"}
    manifest["layers"] = [cfg, blob("application/vnd.module.wasm.content.layer.v1+wasm", wasm,
                                    {"org.opencontainers.image.title": "plugin.wasm"})]
manifest_bytes = canonical(manifest)
mdesc = blob("application/vnd.oci.image.manifest.v1+json", manifest_bytes,
             {"org.opencontainers.image.ref.name": tag})

if os.path.isdir(out):
    shutil.rmtree(out)
os.makedirs(os.path.join(out, "blobs", "sha256"))
for digest, data in blobs.items():
    with open(os.path.join(out, "blobs", "sha256", digest.split(":", 1)[1]), "wb") as f:
        f.write(data)
with open(os.path.join(out, "oci-layout"), "wb") as f:
    f.write(canonical({"imageLayoutVersion": "1.0.0"}))
with open(os.path.join(out, "index.json"), "wb") as f:
    f.write(canonical({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": [mdesc]}))
with open(out.rstrip("/") + ".digest", "w") as f:
    f.write(mdesc["digest"] + "\n")
print(f"oci: {out} (tag {tag}, {variant} variant): wasm {len(wasm)} bytes, "
      f"sha256:{hashlib.sha256(wasm).hexdigest()}", file=sys.stderr)
print(f"oci: push: skopeo copy oci:{out}:{tag} docker://REGISTRY/portcullis:{tag}", file=sys.stderr)
print(mdesc["digest"])
PY
