# Quick start on a fresh machine with python3 and make:  make run  /  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: install run test lint evaluate conform bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: install              ## extract every article in corpora/ into outputs/
	$(BIN)/python -m extract run --corpus corpora --out outputs

test: install             ## lint + the whole test suite
	$(BIN)/ruff check extract tests
	$(BIN)/ruff format --check extract tests
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check extract tests
	$(BIN)/ruff format --check extract tests

evaluate: install         ## accuracy on the labeled dev set
	$(BIN)/python -m extract evaluate --set tests/labeled

conform: install          ## pass rates on other projects' money test suites
	$(BIN)/python -m extract conform $(SHARED)/peer-suites

DOCS ?= 10000
bench: install            ## DOCS synthetic articles + the samples x 400, each beside the naive reference, --jobs 2
	$(BIN)/python -m extract bench --docs $(DOCS) --jobs 2

clean:
	rm -rf $(VENV) .bench .pytest_cache .ruff_cache *.egg-info
