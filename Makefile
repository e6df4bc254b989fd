# Fengqiao (枫桥) — developer commands. `make help` lists them.
#
# Everything runs from the project's own virtualenv in .venv, made on first use with
# python3.11 and filled from requirements/lock.txt. The install step re-runs only when the
# lock file is newer than the stamp it leaves in .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed-lock
CHROMIUM := /usr/bin/chromium
SOFFICE := /usr/bin/soffice
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k login -x"` or "-n 2".
PYTEST_ARGS ?=

export PYTHONUNBUFFERED := 1

.PHONY: help install run dev migrate messages demo test browser converter lint format clean

help: ## Show this list
	@echo "Fengqiao (枫桥) — make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

# --- environment ---------------------------------------------------------------------------

$(PY):
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)

$(STAMP): $(LOCK) | $(PY)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet uv
	$(UV) pip install --quiet --python $(PY) -r $(LOCK)
	@touch $@

install: $(STAMP) ## Create .venv (python3.11) and install requirements/lock.txt

# --- running the portal --------------------------------------------------------------------

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

# Compile translations only where there is something to compile and gettext to do it.
messages: install
	@if [ -n "$$(find . -path ./$(VENV) -prune -o -type d -name locale -print -quit)" ] \
		&& command -v msgfmt >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore=$(VENV) --verbosity 0; \
	fi

demo: migrate messages ## Load the demo organisations and users (idempotent), print the logins
	$(MANAGE) load_demo

# honcho runs web, worker and beat from Procfile.dev and stops all three on Ctrl-C.
# `--env /dev/null`: the .env file belongs to docker compose (its hostnames are the
# containers'), so the local run must not read it.
# `make run` is the portal as a court sees it (DEBUG off: Chinese error pages, no URL list);
# `make dev` is the same with Django's debug pages (DJANGO_DEBUG=True).
run: converter demo ## Migrate, load the demo, then serve http://127.0.0.1:8000 with worker and beat
	@mkdir -p var
	@echo "Starting web (http://127.0.0.1:8000), worker and beat — Ctrl-C stops all of them."
	DJANGO_DEBUG=False $(VENV)/bin/honcho --env /dev/null --procfile Procfile.dev start

dev: converter demo ## Like run, with DEBUG on (Django's debug pages) for development
	@mkdir -p var
	@echo "Starting web (http://127.0.0.1:8000, DEBUG on), worker and beat — Ctrl-C stops all."
	DJANGO_DEBUG=True $(VENV)/bin/honcho --env /dev/null --procfile Procfile.dev start

# Issued documents are made PDF by LibreOffice headless with the Noto CJK fonts embedded
# (documents/converter.py); Debian's packages, installed like chromium below.
converter:
	@if [ ! -x $(SOFFICE) ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian libreoffice-writer-nogui and fonts-noto-cjk for document PDFs"; \
			apt-get update -qq; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				libreoffice-writer-nogui fonts-noto-cjk >/dev/null; \
		else \
			echo "warning: $(SOFFICE) or fonts-noto-cjk missing and not root: documents cannot" \
				"be issued as PDF; run: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk" >&2; \
		fi; \
	fi

# --- checks --------------------------------------------------------------------------------

# Browser tests drive Debian's chromium (never a browser downloaded by Playwright).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian chromium and fonts-noto-cjk for the browser tests"; \
			apt-get update -qq; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "warning: $(CHROMIUM) or fonts-noto-cjk missing and not root;" \
				"run: sudo apt-get install chromium fonts-noto-cjk" >&2; \
		fi; \
	fi

test: install messages browser converter ## Run the whole test suite (pytest, incl. headless browser journeys)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove caches and test artifacts (keeps .venv and var/)
	rm -rf .pytest_cache .ruff_cache test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print -exec rm -rf {} +
