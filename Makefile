# The two commands a newcomer needs are `make run` and `make test`; each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench bench-http demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mingzhang serve

test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Fills the default SQLite ledger (an empty one) with the demo dataset; `make demo DEMO_ARGS="--events 20000"`.
demo: $(STAMP)
	$(BIN)/mingzhang demo $(DEMO_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.ledger_writes

# HTTP requests/s and p50/p99 of one uvicorn worker at 100,000 events (docs/PERFORMANCE.md); a few minutes.
bench-http: $(STAMP)
	$(BIN)/python -m bench.http

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
