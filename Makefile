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

.PHONY: install demo pipeline test lint typecheck unit cypher-linter bench clean

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

unit: install cypher-linter
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Neo4j's Cypher front end (npm, locked in package-lock.json) for tests/store/test_cypher_lint.py:
# installed when Node 20+ is here and node_modules is older than the lock file; without Node
# those tests are skipped and the pytest summary says so.
cypher-linter:
	@if command -v npm >/dev/null 2>&1 && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then \
	  test node_modules/.package-lock.json -nt package-lock.json \
	    || npm ci --no-audit --no-fund --loglevel=error; \
	else \
	  echo "Node 20+ and npm not found: the Cypher lint tests will be skipped"; \
	fi

bench: install
	$(BIN)/python benchmarks/bench_synth.py --shipments 1000000

clean:
	rm -rf $(VENV) $(DEMO_DIR) artifacts node_modules .pytest_cache .mypy_cache .ruff_cache
