# GraphIntel: the two commands a new machine needs are `make demo` and `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SHIPMENTS ?= 20000
SEED ?= 7
DEMO_DIR ?= demo
STORE ?= sqlite:///$(DEMO_DIR)/graphintel.db
HOST ?= 127.0.0.1
PORT ?= 8050
PYTEST_ARGS ?=

.PHONY: install demo pipeline test lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## demo: synthetic data -> load -> resolve -> analyze -> top networks -> app on http://127.0.0.1:8050
demo: pipeline
	$(BIN)/graphintel --store $(STORE) serve --host $(HOST) --port $(PORT)

pipeline: install
	$(BIN)/graphintel synth -o $(DEMO_DIR) --shipments $(SHIPMENTS) --seed $(SEED)
	$(BIN)/graphintel --store $(STORE) run $(DEMO_DIR)/manifest.csv --top 10

## test: lint, strict type check and the whole test suite (unit, end-to-end, browser)
test: lint typecheck unit

lint: install
	$(BIN)/ruff check graphintel loaders dashboards tests benchmarks
	$(BIN)/ruff format --check graphintel loaders dashboards tests benchmarks

typecheck: install
	$(BIN)/mypy --strict

unit: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/bench_synth.py --shipments 1000000

clean:
	rm -rf $(VENV) $(DEMO_DIR) artifacts .pytest_cache .mypy_cache .ruff_cache
