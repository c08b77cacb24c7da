# Two commands do all set-up on a fresh Debian machine:
#   make site   build the site of seeds/ into site/ (installs what it needs first)
#   make test   run every test (installs the test tools first)
# Tests reading a corpus (../shared/corpora, or $NEWSARCHIVE_CORPORA) skip when it is missing;
# with NEWSARCHIVE_REQUIRE_CORPORA=1 (CI) they fail instead.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: site test test-fast test-browser serve lint clean system-deps system-deps-test

site: $(VENV)/.installed
	$(BIN)/python build.py build $(ARGS)

serve: $(VENV)/.installed
	$(BIN)/python build.py serve $(ARGS)

test: $(VENV)/.installed-test node_modules/.installed system-deps-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(ARGS)

# The quick loop while working (under a minute): ruff, then every test but the browser, corpus
# and slow ones.
test-fast: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not corpus and not browser and not slow" $(ARGS)

# Only the browser tests (headless Chromium): see tests/browser/.
test-browser: $(VENV)/.installed-test node_modules/.installed system-deps-test
	$(BIN)/python -m pytest tests/browser $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian packages the set-up needs (venv support, Node.js); installed only when missing.
system-deps:
	@sh scripts/system-deps.sh

# The browser tests also need Debian's chromium and a Java runtime (for the Nu Html Checker).
system-deps-test:
	@sh scripts/system-deps.sh test

$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json | system-deps-test
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .newsarchive-cache $(VENV) node_modules .pytest_cache

# The benchmark against Hugo + Pagefind, Pelican and plain lunr (bench/; CI does not run it).
# bench/setup.sh installs the alternatives when missing. ARGS go to bench/run.py (--help).
.PHONY: bench bench-quick bench-1m
bench: $(VENV)/.installed-test node_modules/.installed system-deps-test
	sh bench/setup.sh
	$(BIN)/python bench/run.py $(ARGS)

bench-quick: $(VENV)/.installed-test node_modules/.installed system-deps-test
	sh bench/setup.sh
	$(BIN)/python bench/run.py --quick $(ARGS)

# 200,000 and 1,000,000 articles (over an hour: the 1,000,000 size alone took 59 min on
# 2026-12-05; it needs about 16 GB free; not part of `make bench`): newsarchive,
# serve, Hugo + Pagefind (not at 1,000,000 when 200,000 failed) and Pelican under a 14 GB
# memory limit each, into bench/results-1m.md; plain lunr is left out (4.4 GB at 100,000).
# serve at 1,000,000 needs about 21 GB (ARGS="--memory-limit 21"; 2026-12-07).
bench-1m: $(VENV)/.installed-test node_modules/.installed system-deps-test
	sh bench/setup.sh
	$(BIN)/python bench/run.py --million --skip lunr $(ARGS)
