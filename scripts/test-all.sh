#!/usr/bin/env bash
# Installs what the tests need, then runs typecheck + lint + every test (npm run check).
# As root it installs the Debian packages the end-to-end tests use; otherwise those
# must already be installed (the tests say which one is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The PostgreSQL server binaries (test/support/start-postgres.ts finds the version).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || need+=(postgresql)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]}; run as root or install them with apt-get" >&2
  fi
fi
npm ci --no-audit --no-fund
npm run check
