#!/usr/bin/env bash
# Rebuilds the executables under test/fixtures/analyzers/{go,cargo}/ with real toolchains:
# Debian's golang-go, gcc and binutils (apt install golang-go gcc binutils). The outputs are
# committed, so tests never need a toolchain; run this only to change them.
#
# go: a module with a versioned dependency, one replaced by another module and one replaced by a
#     local directory, served by a file:// module proxy (no network), built from a git checkout
#     with a fixed commit so that the VCS stamp is stable; once as built, once with -s -w and
#     the section table unlinked from the header (as sstrip does), which leaves only the program headers.
# go/functions: a program that uses net/url and path/filepath, built with -s -w for linux/amd64,
#     windows/arm64 (PE) and darwin/arm64 (Mach-O): the platform and the function table (pclntab)
#     the Go analyser reads.
# cargo: a C executable given a `.dep-v0` section with objcopy, exactly where cargo-auditable's
#     linker section lands: zlib-compressed JSON in a non-allocated section.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/test/fixtures/analyzers"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

module() { # path version [declared path]: a module zip, .mod and .info in the file proxy
  local path="$1" version="$2" declared="${3:-$1}" dir="$work/src/$1@$2"
  local name="${declared##*/}"
  mkdir -p "$dir" "$work/proxy/$path/@v"
  printf 'module %s\n\ngo 1.19\n' "$declared" >"$dir/go.mod"
  printf 'package %s\n\nfunc Name() string { return "%s@%s" }\n' "$name" "$path" "$version" >"$dir/$name.go"
  cp "$dir/go.mod" "$work/proxy/$path/@v/$version.mod"
  printf '{"Version":"%s","Time":"2024-01-02T03:04:05Z"}\n' "$version" >"$work/proxy/$path/@v/$version.info"
  echo "$version" >>"$work/proxy/$path/@v/list"
  (cd "$work/src" && python3 -c 'import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1], "w")
for base, _, files in os.walk(sys.argv[2]):
    for f in files:
        p = os.path.join(base, f)
        z.write(p, os.path.relpath(p, "."))' "$work/proxy/$path/@v/$version.zip" "$path@$version")
}

build_go() {
  module example.com/lib v1.2.3
  module example.com/new v1.1.0 example.com/old # a fork keeps the path it replaces
  local app="$work/app"
  mkdir -p "$app/local"
  printf 'module example.com/local\n\ngo 1.19\n' >"$app/local/go.mod"
  printf 'package local\n\nfunc Name() string { return "local" }\n' >"$app/local/local.go"
  cat >"$app/go.mod" <<'MOD'
module example.com/app

go 1.19

require (
	example.com/lib v1.2.3
	example.com/old v1.0.0
	example.com/local v0.0.0
)

replace example.com/old => example.com/new v1.1.0

replace example.com/local => ./local
MOD
  cat >"$app/main.go" <<'GO'
package main

import (
	"os"

	"example.com/lib"
	"example.com/local"
	"example.com/old"
)

func main() { os.Stdout.WriteString(lib.Name() + old.Name() + local.Name() + "\n") }
GO
  export GOPROXY="file://$work/proxy" GOSUMDB=off GOFLAGS=-mod=mod GOPATH="$work/gopath" \
    GOCACHE="$work/cache" CGO_ENABLED=0 GOOS=linux GOARCH=amd64
  export GIT_AUTHOR_DATE='2024-05-06T07:08:09Z' GIT_COMMITTER_DATE='2024-05-06T07:08:09Z'
  (cd "$app" && go mod download && git init -q && git add -A &&
    git -c user.name=fixture -c user.email=fixture@example.com commit -qm fixture)
  mkdir -p "$out/go/modules/usr/local/bin" "$out/go/stripped/app"
  (cd "$app" && go build -trimpath -o "$out/go/modules/usr/local/bin/app" .)
  (cd "$app" && go build -trimpath -ldflags='-s -w' -o "$out/go/stripped/app/server" .)
  python3 - "$out/go/stripped/app/server" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
struct.pack_into('<Q', data, 40, 0)                 # e_shoff
struct.pack_into('<HHH', data, 58, 0, 0, 0)         # e_shentsize, e_shnum, e_shstrndx
open(path, 'wb').write(data)
PY
  chmod 755 "$out/go/modules/usr/local/bin/app" "$out/go/stripped/app/server"
}

build_go_functions() {
  local app="$work/functions"
  mkdir -p "$app" "$out/go/functions/usr/local/bin" "$out/go/functions/app"
  printf 'module example.com/small\n\ngo 1.19\n' >"$app/go.mod"
  cat >"$app/main.go" <<'GO'
package main

import (
	"net/url"
	"os"
	"path/filepath"
)

func main() {
	u, err := url.Parse(os.Args[len(os.Args)-1])
	if err != nil {
		os.Exit(1)
	}
	os.Stdout.WriteString(filepath.Join(filepath.Clean(u.Path), "x") + "\n")
}
GO
  (cd "$app" && GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' \
    -o "$out/go/functions/usr/local/bin/small" .)
  (cd "$app" && GOOS=windows GOARCH=arm64 go build -trimpath -ldflags='-s -w' \
    -o "$out/go/functions/app/small.exe" .)
  mkdir -p "$out/go/functions/opt/darwin"
  (cd "$app" && GOOS=darwin GOARCH=arm64 go build -trimpath -ldflags='-s -w' \
    -o "$out/go/functions/opt/darwin/small" .)
  chmod 755 "$out/go/functions/usr/local/bin/small" "$out/go/functions/app/small.exe" \
    "$out/go/functions/opt/darwin/small"
}

build_cargo() {
  printf 'int main(void) { return 0; }\n' >"$work/tool.c"
  gcc -O2 -s -o "$work/tool" "$work/tool.c"
  python3 - "$work/dep-v0" <<'PY'
import json, sys, zlib
packages = [
    {"name": "tool", "version": "0.3.1", "source": "local", "dependencies": [1, 2, 3], "root": True},
    {"name": "serde", "version": "1.0.203", "source": "crates.io", "dependencies": [3]},
    {"name": "serde_derive", "version": "1.0.203", "source": "crates.io", "kind": "build"},
    {"name": "itoa", "version": "1.0.11", "source": "crates.io"},
]
open(sys.argv[1], 'wb').write(zlib.compress(json.dumps({"packages": packages}).encode(), 9))
PY
  printf 'not zlib at all' >"$work/garbage"
  mkdir -p "$out/cargo/auditable/usr/local/bin" "$out/cargo/corrupt/usr/bin" "$out/cargo/plain/usr/bin"
  objcopy --add-section .dep-v0="$work/dep-v0" "$work/tool" "$out/cargo/auditable/usr/local/bin/tool"
  objcopy --add-section .dep-v0="$work/garbage" "$work/tool" "$out/cargo/corrupt/usr/bin/tool"
  cp "$work/tool" "$out/cargo/plain/usr/bin/tool"
  chmod 755 "$out"/cargo/*/usr/*/bin/tool "$out"/cargo/*/usr/bin/tool 2>/dev/null || true
}

edge_cases() { # what an image's other executables look like to these analysers
  mkdir -p "$out/go/not-go/usr/bin" "$out/go/empty/usr/bin" "$out/go/corrupt/usr/bin" \
    "$out/cargo/empty/usr/bin"
  cp "$out/cargo/plain/usr/bin/tool" "$out/go/not-go/usr/bin/tool"
  printf '#!/bin/sh\necho hello\n' >"$out/go/not-go/usr/bin/hello"
  : >"$out/go/empty/usr/bin/nothing"
  : >"$out/cargo/empty/usr/bin/nothing"
  head -c 300 "$out/go/modules/usr/local/bin/app" >"$out/go/corrupt/usr/bin/cut-short"
  chmod 755 "$out"/go/{not-go,empty,corrupt}/usr/bin/* "$out/cargo/empty/usr/bin/nothing"
}

build_go
build_go_functions
build_cargo
edge_cases
