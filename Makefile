# offset: the two set-up commands of the README are `make run` and `make test`.
# Everything runs from a virtual environment in .venv, made on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when the package's dependencies change (the install is editable).
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The address the demo and `offset users … --link` print (links to /password/…).
export OFFSET_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-slow fuzz lint bench clean install db-upgrade demo-data page-tools \
        browser-tools screenshots

## run: install, migrate the database (OFFSET_DATABASE_URL, default ./offset.db), load the
## Shinjuku–Ina demo unless it is there already, serve the API
run: demo-data
	$(BIN)/offset serve --host $(HOST) --port $(PORT)

## test: install, lint, type-check, then the default suite on both databases (a few minutes);
## the browser tests run when Chromium is there (browser-tools installs it when it may)
test: lint browser-tools
	$(BIN)/pytest -n auto

## test-slow: only the tests marked slow (long hypothesis runs, big files); CI runs them too
test-slow: install
	$(BIN)/pytest -n auto --run-slow -m slow

## fuzz: schemathesis against the API's own OpenAPI document, on a throw-away demo database
## served on a loopback port; one bounded pass (about a minute) per token, admin then forestry.
## The seed is fixed so that CI replays the cases checked before landing; `make fuzz
## FUZZ_SEED=` with another number (or none) explores new ones.
FUZZ_SEED ?= 20261201
fuzz: install
	$(BIN)/python -m tests.contract.fuzz $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

## lint: ruff and strict mypy
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

## bench: every benchmark script in bench/ (figures go into docs/benchmarks.md)
bench: install
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; \
	    $(BIN)/python "$$script" || exit 1; done

## page-tools: Debian's poppler-utils (pdftoppm, pdffonts) for looking at the reports' pages
## as PNG, e.g. `pdftoppm -r 70 -png report.pdf page` (needs root or sudo)
page-tools:
	command -v pdftoppm >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils; }

## browser-tools: Debian's Chromium for the browser tests (apt-get, when missing and run as
## root; otherwise it says how) and axe-core from the npm registry for their accessibility
## checks, into .venv/npm
AXE_VERSION := 4.14.1
browser-tools: install
	@if ! test -x /usr/bin/chromium; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	    else echo "browser tests will be skipped: no /usr/bin/chromium; as root: make browser-tools"; fi; fi
	@test -f $(VENV)/npm/node_modules/axe-core/axe.min.js || { command -v npm >/dev/null && \
	    npm install --silent --prefix $(VENV)/npm --no-save --no-audit --no-fund \
	        axe-core@$(AXE_VERSION); } || echo "accessibility checks will be skipped: npm missing"

## screenshots: the main pages as PNG in docs/ui/, taken by the browser tests on SQLite
screenshots: browser-tools
	OFFSET_SCREENSHOTS=docs/ui $(BIN)/pytest -q -p no:randomly tests/browser -k sqlite

## clean: remove the virtual environment and caches (never the database file offset.db)
clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis schemathesis-report
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

db-upgrade: install
	$(BIN)/offset db upgrade

# The Shinjuku–Ina reference case, built once after the schema exists and before the service
# starts; a later `make run` finds it and goes straight on to serving.
demo-data: db-upgrade
	$(BIN)/offset demo --if-missing
