# nnbook: `make html` builds the book, `make test` runs every test.
# Both create .venv and install the pinned dependencies first, so each works
# as the first command on a machine with only Python 3.11 and pip.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
PINS := conf/constraints.txt
JOBS ?= 2
SPHINXBUILD = $(BIN)/sphinx-build -b html -c conf -n -W --keep-going -j $(JOBS)
PORT ?= 8000

.PHONY: html test lint unit clean serve venv

venv: $(STAMP)

$(STAMP): pyproject.toml $(PINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade --constraint $(PINS) pip setuptools wheel
	$(BIN)/python -m pip install --quiet --constraint $(PINS) --no-build-isolation \
		--editable '.[docs,test]'
	touch $@

html: $(STAMP)
	$(SPHINXBUILD) docs $(BUILD)/html
	@echo "The book is in $(BUILD)/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check nnbook tests conf
	$(BIN)/ruff format --check nnbook tests conf
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest --cov=nnbook --cov-report=term-missing:skip-covered

test: lint unit html

serve: $(STAMP)
	@test -d $(BUILD)/html || { echo "No $(BUILD)/html yet: run make html first"; exit 1; }
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html $(PORT)

clean:
	rm -rf $(BUILD)
