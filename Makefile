# The two commands a newcomer needs are `make run` and `make test`; each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: run test lint format bench bench-writes bench-http bench-pages bench-replica stress demo browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The bench-only extra (matplotlib, for bench/results/growth.png) on top of the test install.
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $(BENCH_STAMP)

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

# Issue 16's table: every bench, each figure the median of 5 runs beside its same-run baseline and
# target, at N = 100,000 demo events; JSON under bench/results/ (docs/PERFORMANCE.md "The table").
# One figure, smaller: `make bench BENCH_ARGS="writes http --events 20000"`. Installs the bench
# extra first; the run ends by redrawing bench/results/growth.png from every table there.
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# The ledger's commit against the bare append alone, per backend (docs/PERFORMANCE.md); seconds.
bench-writes: $(STAMP)
	$(BIN)/python -m bench.ledger_writes

# HTTP requests/s and p50/p99 of one uvicorn worker at 100,000 events (docs/PERFORMANCE.md); a few minutes.
bench-http: $(STAMP)
	$(BIN)/python -m bench.http

# The public pages against /health at 100,000 demo events (docs/PERFORMANCE.md "Public pages"); the
# ledger is kept under var/bench/pages-N/ for the next run. The first run writes it (minutes).
bench-pages: $(STAMP)
	$(BIN)/python -m bench.pages

# Reads from a PostgreSQL hot standby (a throwaway primary and standby, a read-only `mingzhang serve`
# on the standby) under a write load on the primary, and the lag (docs/SCALING.md); a few minutes.
bench-replica: $(STAMP)
	$(BIN)/python -m bench.replica $(BENCH_ARGS)

# Issue 16's load and faults: 4 workers and a projection process on a throwaway PostgreSQL cluster,
# 32 clients for 60 s while the projector restarts, a worker is killed and the database stops for
# 5 s; then every check (docs/PERFORMANCE.md "Load and faults"). 1½–3 minutes; exit 1 on a failure.
stress: $(STAMP)
	$(BIN)/python -m bench.stress $(STRESS_ARGS)

# What the browser tests need from Debian (the public site is tested in a real chromium, with a CJK
# font so Chinese renders as Chinese): apt, as root or through sudo. Playwright drives this chromium;
# it never downloads one.
browser:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "chromium and fonts-noto-cjk are installed"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
