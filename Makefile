# The two commands of the README:  make run  (install + start the app)   make test  (install + run every test)
PYTHON ?= python3
PORT ?= 8501

.PHONY: run test setup setup-dev build bench lint

setup:
	PYTHON=$(PYTHON) scripts/setup.sh

setup-dev:
	PYTHON=$(PYTHON) scripts/setup.sh --dev

run: setup
	$(PYTHON) -m streamlit run app.py --server.port $(PORT)

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

test: setup-dev lint
	$(PYTHON) -m pytest

build:
	$(PYTHON) -m data.build

bench: setup-dev
	$(PYTHON) -m bench
