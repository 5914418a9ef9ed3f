# Newsdesk: `make run` sets everything up and serves the site; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= newsdesk-demo

# The first Python 3.12+ we can find: PYTHON=... wins, then python3.13/3.12/3 on PATH, then pyenv's
# installed versions (pyenv's shims answer only when PYENV_VERSION is set, so we ask for the binaries).
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	    && { "$$c" -c 'import sys; print(sys.executable)'; break; }; done)

.PHONY: run install test test-full lint format bench bench-publishing clean python tools screenshots deploy-check

VNU_VERSION ?= 26.9.27

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Newsdesk needs Python 3.12 or newer and none was found. Install one, or run: make run PYTHON=/path/to/python3.12" >&2; \
	  exit 1; fi
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(PYTHON) is older than 3.12. Run: make run PYTHON=/path/to/python3.12" >&2; exit 1; }

# The venv is rebuilt when pyproject.toml changes, or when it was made with a Python older than 3.12.
$(VENV)/.installed: pyproject.toml | python
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || "$(PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: export DEBUG ?= true
install: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_roles
	$(MANAGE) load_demo
	$(MANAGE) privacy_sweep
	$(MANAGE) demo_accounts --password "$(DEMO_PASSWORD)"

run: export DEBUG ?= true
run: install
	@echo
	@echo "  Newsdesk is starting at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Log in as admin, writer, reviewer, editor or privacy, password: $(DEMO_PASSWORD)"
	@echo
	@# The task worker: scheduled go-lives (each re-checking its gates), desk mail, imports, and the
	@# desk's clock (reminders, consent expiry), which start_clock queues.
	@$(MANAGE) start_clock >/dev/null
	@$(MANAGE) db_worker --interval 1 >/dev/null 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

# Both use every core (pytest-xdist); TEST_JOBS=0 runs the suite in one process.
TEST_JOBS ?= auto
# Work stealing keeps both workers busy to the end; compiled modules are kept (some shells turn that off),
# which saves each worker and each subprocess a few seconds of compiling.
TEST_OPTIONS = -n $(TEST_JOBS) --dist worksteal
test: export PYTHONDONTWRITEBYTECODE =
test: $(VENV)/.installed
	$(PY) -m pytest -m "not slow and not browser" $(TEST_OPTIONS) $(PYTEST_ARGS)

test-full: export PYTHONDONTWRITEBYTECODE =
test-full: $(VENV)/.installed
	$(PY) -m pytest $(TEST_OPTIONS) $(PYTEST_ARGS)

# Test tools from npm that are not Python packages: the Nu HTML Checker (runs on the machine's Java).
tools: .tools/node_modules/vnu-jar/build/dist/vnu.jar

.tools/node_modules/vnu-jar/build/dist/vnu.jar:
	@command -v npm >/dev/null || { echo "npm is needed for the HTML checker (apt-get install npm)" >&2; exit 1; }
	npm install --silent --no-audit --no-fund --prefix .tools vnu-jar@$(VNU_VERSION)

# Speed and memory, as ratios measured side by side (see bench/run.py). BENCH_ARGS=--scale adds search on
# PostgreSQL at 100,000 articles. Writes bench/results.md and bench/results.json, then adds the load while
# publishing (bench-publishing, below) to bench/results.md.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || echo "wrk is not installed (apt-get install wrk); using the Python load loop"
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/scanner.py
	$(PY) bench/publishing_load.py $(BENCH_PUBLISHING_ARGS) || echo "bench-publishing: a check missed (see bench/results.md)"

# The public site behind Varnish under load, idle and while an editor publishes and unpublishes every 5 s
# (four passes of 60 s: flat out, then at half that rate idle and publishing, then flat out publishing):
# 0 errors, changes on every surface within 5 s, p99 at the steady rate within 1.2x of idle, at wrk and
# inside Varnish. Writes bench/publishing.json.
bench-publishing: $(VENV)/.installed
	$(PY) bench/publishing_load.py $(BENCH_PUBLISHING_ARGS)

# The production deployment of docs/operations.md, started here and probed over HTTPS (needs nginx,
# varnish with varnish-modules, PostgreSQL and redis-server), then stopped.
deploy-check: $(VENV)/.installed
	deploy/check

# The editor's guide's pictures, taken from the real admin with the demo content (headless Chromium).
screenshots: $(VENV)/.installed
	$(PY) docs/screenshots.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .tools staticfiles .pytest_cache .ruff_cache
