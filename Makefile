# AIRCOP — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
AIRCOP := $(BIN)/aircop
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-fast lint format messages makemessages clean demo migrate run-production audit

PROD_DATABASE_URL ?= $(or $(AIRCOP_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/aircop)
PROD_REDIS_URL    ?= $(or $(AIRCOP_REDIS_URL),redis://127.0.0.1:6379/0)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## install: create .venv, install the pinned dependencies and compile the translations
install: $(VENV)/.installed messages

## messages: compile the gettext catalogues (GNU gettext's msgfmt)
messages: $(VENV)/.installed
	cd src/aircop && ../../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

## makemessages: refresh the .po catalogues from the source strings
makemessages: $(VENV)/.installed
	cd src/aircop && ../../$(AIRCOP) makemessages -l fr -l es -l pt -l ar --no-obsolete --ignore=tests -v 0

migrate: install
	$(AIRCOP) migrate

demo: migrate
	$(AIRCOP) demo --skip-if-real

## run: install, migrate the embedded database, load the demo network, serve on http://$(HOST):$(PORT)
run: demo
	$(AIRCOP) serve --host $(HOST) --port $(PORT)

## run-production: nginx (TLS, https://127.0.0.1:8443) in front of 2 uvicorn workers and the background
## worker, on the local PostgreSQL and Redis (docs/deployment.md); creates the database if it is missing
run-production: install
	AIRCOP_DATABASE_URL="$(PROD_DATABASE_URL)" AIRCOP_REDIS_URL="$(PROD_REDIS_URL)" $(AIRCOP) production --create-database --demo --host $(HOST) --port $(or $(PROD_PORT),8443)

## audit: known vulnerabilities of the pinned requirements (pip-audit; needs PyPI's JSON API or OSV)
audit: install
	$(BIN)/pip-audit --requirement requirements.txt --no-deps --disable-pip --progress-spinner off

## test: the whole suite (browser tests run when /usr/bin/chromium exists)
test: install
	@if [ -x /usr/bin/chromium ]; then echo "browser tests: running with /usr/bin/chromium"; \
	else echo "browser tests: SKIPPED — /usr/bin/chromium is absent (apt-get install chromium to run them)"; fi
	$(BIN)/pytest

## fuzz: schemathesis against every API operation as eight roles, in full (about 15 minutes on SQLite: 55,000 requests);
##       AIRCOP_FUZZ_EXAMPLES=N (default 25) and AIRCOP_FUZZ_ROLES=user,user narrow or widen it
.PHONY: fuzz
fuzz: install
	AIRCOP_FUZZ_EXAMPLES=$${AIRCOP_FUZZ_EXAMPLES:-25} $(BIN)/pytest tests/test_schemathesis.py -p no:cacheprovider -q -k test_api

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
