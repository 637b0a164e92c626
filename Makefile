# coproduce: `make demo` runs the app with demo data; `make test` runs every test.
# Everything installs itself on first use (Python venv, npm packages, CSS, translations).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
PYTEST_WORKERS ?= 2
# Extra pytest arguments: .ci/run leaves out the browser and engine suites on its PostgreSQL run.
PYTEST_ARGS ?=
export COPRODUCE_SHARED_DATA ?= $(abspath ../shared/data)

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# The compiled MES steps (decision 0108) are built by the editable install: rebuild when they change.
$(VENV)/.installed: pyproject.toml civic_algorithms/budgeting/_steps.c
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

coproduce/static/build/app.css: node_modules/.installed $(wildcard coproduce/static/scss/*.scss)
	npm run --silent build

MO_FILES := $(patsubst %.po,%.mo,$(wildcard coproduce/locale/*/LC_MESSAGES/*.po))
%.mo: %.po
	msgfmt --check -o $@ $<

install: $(VENV)/.installed coproduce/static/build/app.css $(MO_FILES) ## Install Python and npm dependencies, build CSS and translations

demo: install ## Set up SQLite with the demo story, then serve http://127.0.0.1:8000 with a task worker
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "Demo staff accounts: when asked for an authentication code, enter 000000 (demo only)."
	COPRODUCE_DEMO_MFA_CODE=000000 $(PY) manage.py task_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	COPRODUCE_DEMO_MFA_CODE=000000 $(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get install -y --no-install-recommends chromium >/dev/null; }

test: install chromium ## Run the whole test suite (unit, API fuzzing, permissions, browser + axe)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=25 $(PYTEST_ARGS)

lint: install ## ruff, mypy, import contracts and migration check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

messages: install ## Extract translatable strings into the Welsh .po files
	$(PY) manage.py makemessages --locale cy --ignore 'node_modules/*' --ignore '.venv/*' --no-obsolete

bench: install ## Run the benchmarks against the peer libraries (installs them first)
	$(PY) -m pip install --quiet -e '.[dev,peers]'
	@command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk >/dev/null
	$(PY) benchmarks/budgeting.py
	$(PY) benchmarks/opinion.py
	$(PY) benchmarks/sortition.py
	$(PY) benchmarks/web.py
	$(PY) benchmarks/search.py

haproxy:
	@command -v haproxy >/dev/null || { echo "Installing Debian's haproxy for make scale"; apt-get install -y haproxy >/dev/null; }

scale: install haproxy ## Start the production shape here: HAProxy, 2 web instances, 2 task workers, PostgreSQL, Redis
	scripts/scale.sh start

scale-stop: ## Stop what make scale started (by the pids in var/scale/)
	scripts/scale.sh stop

.PHONY: help install demo chromium test lint messages bench haproxy scale scale-stop
