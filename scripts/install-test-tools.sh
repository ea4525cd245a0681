#!/usr/bin/env bash
# Installs the Debian packages the tests use as real parts: docker-registry (CNCF distribution) and
# htpasswd for its basic-auth mode; and the package managers' own version comparisons that the
# version schemes are tested against (dpkg is always there; rpm, Python's packaging for Debian's
# python3, Maven's maven-artifact jar with a JVM, RubyGems' Gem::Version, Composer's semver for
# PHP), and GNU time (/usr/bin/time: the hostile-corpus test measures each command's peak RSS and
# wall time with it), and Chromium (the HTML report is rendered headless in the tests). Does
# nothing when they are present. Runs before `npm test`.
set -euo pipefail
need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v rpm >/dev/null || need+=(rpm)
command -v zstd >/dev/null || need+=(zstd)
/usr/bin/python3 -c 'import packaging' 2>/dev/null || need+=(python3-packaging)
[ -f /usr/share/java/maven-artifact-3.x.jar ] || need+=(libmaven3-core-java)
command -v java >/dev/null || need+=(default-jre-headless)
command -v ruby >/dev/null || need+=(ruby)
command -v php >/dev/null || need+=(php-cli)
[ -d /usr/share/php/Composer/Semver ] || need+=(php-composer-semver)
[ -x /usr/bin/time ] || need+=(time)
command -v chromium >/dev/null || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "the tests need these Debian packages: ${need[*]}; install them (apt-get install ${need[*]}) and run again" >&2
  exit 1
fi
echo "installing ${need[*]} for the tests …" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
[ -x /usr/bin/time ] || { echo "installing time did not provide /usr/bin/time" >&2; exit 1; }
