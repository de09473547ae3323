# The two commands that matter: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13 or newer: pyenv picks it from .python-version; otherwise the first one on PATH.
PYTHON ?= $(shell for p in python3.13 python3.14 python3 python; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
NODE_INSTALLED := node_modules/.installed-$(shell cat package.json package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py

.PHONY: help run test lint format install migrate seed bench check-python browser clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.13 or newer is required (see README)." >&2; exit 1; fi

$(INSTALLED): pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*; touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*; touch $@

install: $(INSTALLED) $(NODE_INSTALLED) ## install Python and npm dependencies into .venv/ and node_modules/

migrate: install ## apply database migrations
	$(MANAGE) migrate --noinput

seed: migrate ## load the demo data (idempotent)
	$(MANAGE) seed_demo

run: export DEBUG ?= true
run: migrate ## serve the app, its Celery worker and beat at http://127.0.0.1:8000
	$(MANAGE) seed_demo --if-empty
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile.dev

browser: ## install Debian's Chromium for the browser tests when missing
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install it (apt-get install chromium) to run the browser tests"; fi; }

test: install browser ## run the whole test suite (SQLite, or DATABASE_URL/REDIS_URL when set)
	$(BIN)/pytest -n 2 --dist loadfile -p no:cacheprovider

lint: install ## ruff lint and format check, migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint $(MANAGE) makemigrations --check --dry-run

format: install ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## remove the virtualenv, npm packages and local data
	rm -rf $(VENV) node_modules var
