# The two commands a new user needs: `make run` and `make test`. Everything else is a step of
# those two, or a tool for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12 or newer: the first found on PATH, then pyenv's.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p; break; fi; done)
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen --no-sync
PG_URL ?= postgres://postgres@127.0.0.1:5432/recreg
export RECREG_DATA_DIR ?= $(CURDIR)/var
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install python uv deps frontend browser libreoffice fonts postgres run serve test test-sqlite test-postgres lint format check-migrations bench clean

help:
	@echo "make run    install everything, load the demo data and serve it on http://127.0.0.1:8000"
	@echo "make test   the whole test suite, on SQLite and on PostgreSQL, browser tests included"
	@echo "make lint   ruff and mypy"
	@echo "make bench  benchmarks (not part of make test)"

python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (none found on PATH or in pyenv)" >&2; exit 1; fi

uv: python
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv

deps: uv .venv/.synced

# Synced only when the locked dependencies change (a sync that changed nothing still took
# 20 s or more, and `make test` asked for three), and installed with their bytecode: the
# environment may forbid writing it at import (PYTHONDONTWRITEBYTECODE), and then every
# command and test that starts Python compiled Django afresh (5 s, against 2 s).
.venv/.synced: pyproject.toml uv.lock | uv
	@$(UV) sync --frozen --python $(PYTHON) --quiet --compile-bytecode
	@touch $@

frontend: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the GOV.UK Frontend assets" >&2; exit 1; }
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: deps frontend

# Browser tests drive Debian's Chromium, never a browser a tool downloads itself.
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Chromium from Debian's packages…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The committee paper tests convert Word files to PDF with LibreOffice, from Debian's packages.
libreoffice:
	@command -v soffice >/dev/null || { \
		echo "Installing LibreOffice Writer from Debian's packages…"; \
		apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null 2>&1 \
			|| DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer >/dev/null; }; }

# PDF papers are typeset in Liberation Sans (Arial's metrics, which the paper asks for) and
# WeasyPrint subsets the fonts it embeds with HarfBuzz: without them a paper falls back to
# DejaVu Sans and the slower fontTools, taking about a quarter longer (docs/reports.md).
fonts:
	@{ fc-list 2>/dev/null | grep -q "Liberation Sans" && ldconfig -p | grep -q libharfbuzz-subset; } || { \
		echo "Installing Liberation fonts and HarfBuzz's subsetter from Debian's packages…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-liberation libharfbuzz-subset0 >/dev/null \
			|| echo "Could not install fonts-liberation and libharfbuzz-subset0: papers will be typeset in DejaVu Sans, more slowly" >&2; }

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "Starting PostgreSQL…"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -1) main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@pg_isready -h 127.0.0.1 -p 5432

run: install fonts
	@$(RUN) recreg demo

serve: install
	@$(RUN) recreg serve

test: install browser libreoffice fonts postgres
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory check-migrations
	@# The two engines' runs are independent: run them side by side, each one's output printed
	@# whole when it ends, each with its own data folder.
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite:
	@echo "== Test suite on SQLite"
	@env -u DATABASE_URL RECREG_DATA_DIR=$(RECREG_DATA_DIR)/test-sqlite $(RUN) pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: postgres
	@echo "== Test suite on PostgreSQL"
	@DATABASE_URL=$(PG_URL) RECREG_DATA_DIR=$(RECREG_DATA_DIR)/test-postgres $(RUN) pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: deps
	@$(RUN) ruff check src tests bench
	@$(RUN) ruff format --check src tests bench
	@$(RUN) mypy

format: deps
	@$(RUN) ruff check --fix src tests bench
	@$(RUN) ruff format src tests bench

check-migrations: deps
	@$(RUN) recreg manage makemigrations --check --dry-run >/dev/null || { \
		echo "Model changes without a migration: run 'uv run recreg manage makemigrations'" >&2; exit 1; }

# wrk comes from Debian; Datasette and the profiler from the `bench` dependency group.
bench: install fonts postgres
	@command -v wrk >/dev/null || { \
		echo "Installing wrk from Debian's packages…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@$(UV) sync --frozen --group bench --python $(PYTHON) --quiet --compile-bytecode
	@$(RUN) python bench/run.py $(BENCH_ARGS)
	@$(RUN) python bench/committee_paper.py

clean:
	rm -rf .venv node_modules var
