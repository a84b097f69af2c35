# Tissu — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test test-postgres test-browser lint format messages lock clean install install-dev

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.base
	$(PIP) install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

var:
	mkdir -p var

## make run: install, migrate, load the demo city once, serve it with a task worker.
run: $(VENV)/.base | var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@$(PY) manage.py demo_logins
	@echo "Tissu: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --queue-name '*' >var/worker.log 2>&1 & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## make test: install the dev extras and run the whole suite (SQLite by default).
test: $(VENV)/.dev | var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tissu} $(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: $(VENV)/.dev
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: extract strings of every app into its own catalogue, then compile (needs gettext).
messages: $(VENV)/.dev
	$(PY) manage.py update_messages

## make lock: re-pin every dependency from requirements/*.in into requirements/*.txt.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet -r requirements/base.in
	var/lock-venv/bin/pip freeze --exclude pip > requirements/base.txt
	var/lock-venv/bin/pip install --quiet -r requirements/dev.in
	var/lock-venv/bin/pip freeze --exclude pip > requirements/dev.txt
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) var/static
