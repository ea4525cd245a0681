#!/usr/bin/env bash
# The CLI as a user installs it, not as the clone runs it: `npm pack`, then `npm install -g` of the
# tarball into an empty prefix, on a machine whose Node is 22 (the project's own Node first on the
# PATH), from a directory outside the clone. The installed `clearance` then prints its version,
# scans the demo image, writes an SBOM and runs the packaged pipeline template.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/node_modules/node/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/clearance-*.tgz)
cd "$work"
npm install --global --prefix "$work/prefix" --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
clearance="$work/prefix/bin/clearance"
installed="$work/prefix/lib/node_modules/clearance"

fail() { echo "package test: $*" >&2; exit 1; }

version=$(node -p "require('$root/package.json').version")
[ "$("$clearance" --version)" = "$version" ] || fail "clearance --version is not $version"

# What the package may bring: the bundle, its template, dynalite (and what dynalite needs).
for dependency in aws-cdk-lib constructs cdk-nag @aws-sdk/client-s3 typescript jest; do
  [ ! -e "$installed/node_modules/$dependency" ] || fail "the package installs $dependency"
done

cp -r "$root/examples" .
"$clearance" scan --allow-incomplete --format json oci:examples/demo-image:latest >scan.json
node -e "const r = require('./scan.json'); if (r.platforms.length !== 2) process.exit(1)" ||
  fail 'scan did not report both platforms of the demo image'
"$clearance" sbom --platform linux/amd64 --format cyclonedx oci:examples/demo-image:latest >sbom.json
node -e "const b = require('./sbom.json'); if (b.bomFormat !== 'CycloneDX' || !b.components.length) process.exit(1)" ||
  fail 'sbom wrote no CycloneDX components'

# The main job from the package: the template packed with it; the verdict fails (exit 1).
code=0
"$clearance" pipeline run --osv examples/osv oci:examples/demo-image:latest >pipeline.out 2>pipeline.err || code=$?
[ "$code" = 1 ] || { cat pipeline.out pipeline.err >&2; fail "pipeline run exited $code, not 1"; }
grep -q 'verdict' pipeline.out || fail 'pipeline run printed no verdict'

echo "package test: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB) installs and runs"
