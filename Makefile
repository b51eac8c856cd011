# The two commands of the README:  make run  (install + start the app)   make test  (install + run every test)
# Everything runs from the project's own virtual environment, .venv/ (created and filled by scripts/setup.sh).
PYTHON ?= python3
PORT ?= 8501
HOST ?=
PY := .venv/bin/python

.PHONY: run test check setup setup-dev build bench lint lock i18n

setup:
	PYTHON=$(PYTHON) scripts/setup.sh

setup-dev:
	PYTHON=$(PYTHON) scripts/setup.sh --dev

run: setup
	$(PY) -m ui.serve --server.port $(PORT) $(if $(HOST),--server.address $(HOST))

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: setup-dev lint
	$(PY) -m pytest

# The fast loop while working: ruff and every test that needs no browser and is not marked slow (under a minute).
check: lint
	$(PY) -m pytest -q -m "not browser and not slow"

build: setup
	$(PY) -m data.build

bench: setup-dev
	$(PY) -m bench

# Re-pin every dependency (exact versions and hashes) from the ranges in requirements*.txt.
lock: setup-dev
	$(PY) -m piptools compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --no-header --annotation-style=line \
		-o requirements.lock requirements.txt
	$(PY) -m piptools compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --no-header \
		--annotation-style=line -o requirements-dev.lock requirements-dev.txt

# Messages of the interface: extract them from the code into locales/messages.pot, then add the new ones to the
# Spanish catalogue (locales/es/LC_MESSAGES/messages.po) for a translator; tests fail until each is translated.
i18n: setup-dev
	.venv/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project="Chicago digital equity map" -o locales/messages.pot .
	.venv/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching -w 120 --ignore-obsolete
