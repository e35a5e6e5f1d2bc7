# AIRCOP — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
AIRCOP := $(BIN)/aircop
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-fast lint format messages makemessages clean demo migrate

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

## test: the whole suite (browser tests run when /usr/bin/chromium exists)
test: install
	@if [ -x /usr/bin/chromium ]; then echo "browser tests: running with /usr/bin/chromium"; \
	else echo "browser tests: SKIPPED — /usr/bin/chromium is absent (apt-get install chromium to run them)"; fi
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
