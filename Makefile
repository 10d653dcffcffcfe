# Two commands do everything on a fresh machine:  make demo   |   make test
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= var/demo

.PHONY: demo test test-sqlite test-postgres lint format venv system-packages messages

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

system-packages:
	scripts/install-system-packages

## make demo: a SQLite database with the demo company, served at http://127.0.0.1:8000
demo: venv
	GUANJIA_DATA_DIR=$(DEMO_DIR) $(PY) manage.py migrate --noinput -v0
	GUANJIA_DATA_DIR=$(DEMO_DIR) $(PY) manage.py demo
	GUANJIA_DATA_DIR=$(DEMO_DIR) scripts/serve-demo

## make test: lint, then the whole suite on SQLite and on a throwaway PostgreSQL
test: venv system-packages lint test-sqlite test-postgres

test-sqlite: venv
	GUANJIA_DATA_DIR=var/test $(VENV)/bin/pytest

test-postgres: venv system-packages
	GUANJIA_DATA_DIR=var/test scripts/with-postgres $(VENV)/bin/pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: refresh and compile the English catalogue
messages: venv
	cd guanjia && ../$(PY) ../manage.py makemessages -l en --no-obsolete && ../$(PY) ../manage.py compilemessages -l en
