#!/bin/sh
# Install what the benchmark compares against, each only when missing (make bench runs this):
#   Hugo     Debian package `hugo` (apt)
#   Pagefind npm package `pagefind`, which ships its binary, into bench/node_modules
#   Pelican  PyPI package `pelican` with Markdown, into its own venv bench/.venv (so it never
#            changes the project's .venv); matplotlib there too, for bench/plot.py
# plus Debian's chromium for the search measurement. The project's own .venv and
# node_modules (lunr.js, Playwright, lunr.py) come from `make site` / `make test`.
set -e
cd "$(dirname "$0")"
need=""
command -v hugo >/dev/null 2>&1 || need="$need hugo"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need="$need chromium"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$need (run: sudo apt-get install$need)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
fi
if [ ! -f node_modules/.installed ] || [ package.json -nt node_modules/.installed ] \
   || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
if [ ! -x .venv/bin/pelican ]; then
  PYTHON="${PYTHON:-../.venv/bin/python}"
  [ -x "$PYTHON" ] || PYTHON=python3
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet "pelican==4.12.0" "markdown>=3.5"
fi
if ! .venv/bin/python -c "import matplotlib" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet "matplotlib==3.11.2"
fi
