#!/usr/bin/env bash
# Installs the Debian packages the tests start as real servers: docker-registry (CNCF distribution)
# and htpasswd for its basic-auth mode. Does nothing when they are present. Runs before `npm test`.
set -euo pipefail
need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "the tests need these Debian packages: ${need[*]}; install them (apt-get install ${need[*]}) and run again" >&2
  exit 1
fi
echo "installing ${need[*]} for the tests …" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
