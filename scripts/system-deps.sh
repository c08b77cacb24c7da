#!/bin/sh
# Install the Debian packages newsarchive's set-up needs, only those that are missing.
# Building a site needs Python's venv alone; `system-deps.sh test` adds what the tests need:
# Node.js and npm (lunr.js as the reference, `build.py search`), chromium and a Java runtime
# (the browser tests and the Nu Html Checker).
set -e
need=""
python3 -c "import ensurepip, venv" 2>/dev/null || need="$need python3-venv"
if [ "${1:-}" = test ]; then
  command -v node >/dev/null 2>&1 || need="$need nodejs"
  command -v npm >/dev/null 2>&1 || need="$need npm"
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
