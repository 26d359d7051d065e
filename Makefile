# ExoCheck — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the demo's emails and PDF reports (console emails under `make run`) start with this;
# production sets SITE_URL to its public address (docs/deployment.md).
SITE_URL ?= http://$(HOST):$(PORT)
export DJANGO_SETTINGS_MODULE := config.settings
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python keeps compiled modules (and pytest its assertion-rewritten tests) in __pycache__, so a
# second run does not compile everything again: some machines set PYTHONDONTWRITEBYTECODE,
# which made each test worker compile every module again (docs/performance.md, "Test suite").
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-fast lint format install install-dev assets browser migrate seed clean help

help:
	@echo "make run    — install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   — install test dependencies and run the whole suite"
	@echo "make lint   — ruff, djlint, makemigrations --check, mypy and the import contracts"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

migrate: install assets
	DEBUG=true $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=true SITE_URL=$(SITE_URL) DEMO_URL=http://$(HOST):$(PORT)/ $(BIN)/python manage.py seed_demo

# The task worker (large exports) runs beside the web server at low CPU priority and is
# stopped with it.
run: seed
	DEBUG=true SITE_URL=$(SITE_URL) $(BIN)/python manage.py send_reminders || true
	@echo "Serving ExoCheck on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	DEBUG=true SITE_URL=$(SITE_URL) nice -n 10 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=true SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

browser:
	@if scripts/ensure-browser.sh; then :; \
	elif [ "$${CI:-}" = "true" ]; then echo "CI=true: the browser is required"; exit 1; fi

# Unit + integration tests (DATABASE_URL picks PostgreSQL) + browser tests when chromium is there,
# spread over every CPU (pytest-xdist; TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto
test: install-dev assets browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: install-dev assets
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser" -x -q

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	EXOCHECK_TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint templates --reformat || true

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
