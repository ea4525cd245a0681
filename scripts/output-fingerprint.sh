#!/usr/bin/env bash
# What the product outputs on the demo image, normalized where a run is meant to differ, so two
# trees (before and after a refactor) can be compared with `diff -r`:
#   bash scripts/output-fingerprint.sh OUT_DIR
#   diff -r BEFORE_DIR AFTER_DIR && echo identical
# Normalized: wall-clock times, the scan ids and trigger ids made from them, and the CDK asset
# hashes (a bundle's hash changes when a file moves), step durations; the pipeline's progress
# lines are sorted (parallel steps finish in any order). Left out: what is random by design (the
# generated signing keys, the signatures and attestations made with them, LevelDB's files).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "$1")"
rm -rf "$out" && mkdir -p "$out"
node="$PWD/node_modules/.bin/node"
cli="$PWD/$(node -p 'require("./package.json").bin.clearance')"
npm run build >/dev/null

normalize() {
  sed -E \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/<time>/g' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}\.[0-9]{3}Z/<time>/g' \
    -e 's/[0-9a-f]{16}-[0-9a-f]{12}/<scan-id>/g' \
    -e 's/local-[0-9]{13}/local-<ms>/g' \
    -e 's/[0-9a-f]{64}\.(zip|json)/<asset>.\1/g' \
    -e 's/"(S3Key|assetHash|sourceHash|aws:asset:path)": *"[^"]*"/"\1":"<asset>"/g' \
    -e 's/"Analytics": *"[^"]*"/"Analytics":"<cdk>"/g' \
    -e 's/ [0-9]+ ms$/ <ms>/' \
    -e 's/attestation [0-9a-f]{12} signed by key [0-9a-f]{12}/attestation <signature> signed by key <key>/' \
    -e 's/signed verdict: sha256:[0-9a-f]{64}/signed verdict: <attestation>/'
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples "$work/"

(cd "$work" && "$node" "$cli" db import --db db examples/osv >/dev/null)
(cd "$work" && "$node" "$cli" scan --db db --format json oci:examples/demo-image:latest --platform linux/amd64 || true) | normalize >"$out/scan.json"
(cd "$work" && "$node" "$cli" scan --db db --format sarif oci:examples/demo-image:latest --platform linux/amd64 || true) | normalize >"$out/scan.sarif"
for format in spdx cyclonedx; do
  (cd "$work" && "$node" "$cli" sbom --deterministic --format "$format" oci:examples/demo-image:latest --platform linux/amd64) | normalize >"$out/sbom.$format.json"
done

(cd "$work" && "$node" "$cli" pipeline run --osv examples/osv oci:examples/demo-image:latest 2>&1 || true) | normalize | sort >"$out/pipeline-run.txt"
state="$work/.clearance/pipeline"
(cd "$state" && find . -type f \
  -not -path './dynamodb/*' -not -path './attestations/*' -not -path './verdict-keys/*' \
  -not -name signing-key.json -not -path './anchors/*' -not -path './osv-db/*' | sort) |
  while read -r file; do
    target="$out/pipeline/$(echo "$file" | normalize)"
    mkdir -p "$(dirname "$target")"
    case "$file" in
    *.gz) gzip -dc "$state/$file" | normalize >"${target%.gz}" ;;
    *) normalize <"$state/$file" >"$target" ;;
    esac
  done

rm -rf dist/cdk.out
npx cdk synth -q >/dev/null 2>&1
for template in dist/cdk.out/*.template.json; do
  normalize <"$template" >"$out/$(basename "$template")"
done
echo "$out: $(find "$out" -type f | wc -l) files"
