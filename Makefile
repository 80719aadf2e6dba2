# The two commands: `make demo` (the whole pipeline on bundled sample data) and `make test`.
# Both create .venv and install the pinned dependencies; system packages come from
# scripts/system-deps.sh (apt, only when missing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

demo: install
	bash scripts/demo.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# The fuzz harness forks the CLI per input: it runs in a pytest process of its own, since a
# fork of a process holding other tests' threads (DuckDB, Arrow, Spark) can crash the child.
test: install system-deps lint
	SPARK_LOCAL_IP=127.0.0.1 DISTPLAN_REQUIRE_SERVICES=1 $(BIN)/pytest -q --ignore=tests/fuzz
	DISTPLAN_REQUIRE_SERVICES=1 $(BIN)/pytest -q tests/fuzz

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/fees.py
	$(BIN)/python bench/trails.py --dealers 100   # ~5M position-days; the issue's 100M: no --dealers
	$(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
