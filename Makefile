# The two commands a newcomer needs: `make run` and `make test`. Both are safe to repeat.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format check-deploy migrate demo simulator bench faults lighthouse screenshots clean
.PHONY: translations messages
.PHONY: lock check-lock

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@python_bin=$$(./scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python_bin"; \
	"$$python_bin" -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

# A venv left over from an older Python is rebuilt rather than half-used.
venv-check: $(VENV)/bin/python
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) uses Python < 3.12; recreating it"; rm -rf $(VENV); $(MAKE) --no-print-directory $(VENV)/bin/python; }
.PHONY: venv-check

# Exactly the versions in uv.lock, hash-checked: requirements/*.txt are its exports.
$(RUN_STAMP): requirements/runtime.txt | venv-check
	$(PY) -m pip install -q --require-hashes -r requirements/runtime.txt
	@touch $@

$(DEV_STAMP): requirements/dev.txt | venv-check
	$(PY) -m pip install -q --require-hashes -r requirements/dev.txt
	@touch $@ $(RUN_STAMP)

# Local commands default to DEBUG=true (no SECRET_KEY needed, local-memory cache); the
# environment wins, e.g. DEBUG=false with production settings.
MANAGE := DEBUG=$${DEBUG:-true} $(PY) manage.py

run: $(RUN_STAMP) translations ## Set up and serve the dashboard (demo mode) on http://127.0.0.1:8000
	@$(MAKE) --no-print-directory migrate
	@# One log line per Final POS call while indexing would bury the sign-in hint.
	@LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(MANAGE) setup_demo
	@DJANGO_RUNSERVER_HIDE_WARNING=true $(MANAGE) runserver $(HOST):$(PORT)

migrate: $(RUN_STAMP) ## Apply the database migrations (and create the cache table if DATABASE_CACHE)
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable

demo: $(RUN_STAMP) ## Start the demo over: seed the simulator's demo company again and index it
	@$(MAKE) --no-print-directory migrate
	$(MANAGE) seed_simulator --reset
	LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(MANAGE) setup_demo --reset

# The compiled translations (.mo) are never committed (.gitignore): each is compiled again
# whenever its catalogue (.po) is newer, in Python (compile_translations needs no GNU gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

translations: $(MO_FILES)

locale/%.mo: locale/%.po | $(RUN_STAMP)
	@$(MANAGE) compile_translations -v 0 $<

# What makemessages reads: the product's code and templates, as locale/ was first extracted.
MESSAGES_IGNORE := .venv bench tests artifacts node_modules

messages: $(RUN_STAMP) ## After marking strings: add them to locale/{es,fr,de} (needs GNU gettext), compile
	$(MANAGE) makemessages -l es -l fr -l de $(addprefix --ignore=,$(MESSAGES_IGNORE))
	$(MANAGE) compile_translations

simulator: $(RUN_STAMP) ## Serve the Final POS simulator over HTTP on 127.0.0.1:8100 (key demo-key)
	$(MANAGE) runsimulator

# The suite in parallel, one worker per core (four at most: each starts servers and browsers).
PYTEST_ARGS ?= --numprocesses=auto --maxprocesses=4

test: $(DEV_STAMP) translations ## Set up and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff lint and format check, and mypy on the product's types
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(DEV_STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: $(RUN_STAMP) ## Django's deployment checklist with production-like settings
	DEBUG=false SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 ALLOWED_HOSTS=tills.example.com \
	  EMAIL_URL=smtp+tls://alerts:password@smtp.example.com:587 \
	  DEFAULT_FROM_EMAIL="Till close <tills@example.com>" SITE_URL=https://tills.example.com \
	  DATABASE_URL=postgres://tills:password@db.example.com:5432/tills \
	  DATABASE_CACHE=true FINALPOS_API_KEY=check-deploy-placeholder-key \
	  $(PY) manage.py check --deploy --fail-level WARNING

bench: $(DEV_STAMP) ## Seed 200,000 shifts, measure under gunicorn on SQLite (and PostgreSQL if one answers), write bench/RESULTS.md
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk); using the slower Python load generator"
	$(PY) bench/run.py

faults: $(DEV_STAMP) ## Cut Redis, the database and the processes under load (PostgreSQL, redis-server); write bench/FAULTS.md
	$(PY) bench/faults.py

node_modules/.bin/lighthouse: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lighthouse: $(RUN_STAMP) node_modules/.bin/lighthouse ## Lighthouse (mobile) on five pages under gunicorn; fails below 95
	$(PY) bench/lighthouse.py

screenshots: $(DEV_STAMP) translations ## Refresh the README's tour (docs/screenshots/) from the browser tests
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -q tests/e2e/test_every_page.py tests/e2e/test_manager_day.py
	@mkdir -p docs/screenshots
	@for shot in $$(grep -o 'docs/screenshots/[a-z0-9-]*\.jpg' README.md | sort -u); do \
	  cp artifacts/screenshots/$$(basename $$shot) $$shot; done

UV_EXPORT := $(VENV)/bin/uv export --frozen --format requirements.txt --no-emit-project --no-header -q
EXPORT_HEADER := echo '\# Exported from uv.lock by `make lock`: do not edit.'

lock: $(DEV_STAMP) ## After changing dependencies in pyproject.toml: update uv.lock and requirements/
	$(VENV)/bin/uv lock
	{ $(EXPORT_HEADER); $(UV_EXPORT) --no-dev; } > requirements/runtime.txt
	{ $(EXPORT_HEADER); $(UV_EXPORT); } > requirements/dev.txt

check-lock: $(DEV_STAMP) ## Fail when uv.lock or requirements/ is out of date with pyproject.toml
	$(VENV)/bin/uv lock --check
	diff -u requirements/runtime.txt <($(EXPORT_HEADER); $(UV_EXPORT) --no-dev)
	diff -u requirements/dev.txt <($(EXPORT_HEADER); $(UV_EXPORT))
	@echo "uv.lock and requirements/ match pyproject.toml"

clean: ## Remove the venv, collected static files and local databases
	rm -rf $(VENV) node_modules staticfiles artifacts db.sqlite3 var
