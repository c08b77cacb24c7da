#!/bin/sh
# Install the Debian packages newsarchive's set-up needs, only those that are missing.
# `system-deps.sh test` adds what the browser tests need (chromium, a Java runtime).
set -e
need=""
python3 -c "import ensurepip, venv" 2>/dev/null || need="$need python3-venv"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ "${1:-}" = test ]; then
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need="$need chromium"
  command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages:$need (run: sudo apt-get install$need)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
