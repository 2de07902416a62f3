# The two README commands: `make run` (set up, load the demo data, start the dashboard)
# and `make test` (the whole test suite, browser tests included).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
WAREHOUSE := data/warehouse.duckdb
PORT ?= 8501

.PHONY: run test check setup demo load browser clean bench lint lint-sql

# A warehouse that exists is brought up to date first: new raw files, or tables a newer
# version adds (instant when nothing changed). A load warning does not stop the dashboard.
# `python -m app.serve` is `streamlit run dashboard.py` plus a background warm-up of the
# caches (app/warmup.py; OBSERVATOIRE_WARMUP=0 leaves it out).
run: setup $(WAREHOUSE)
	-$(BIN)/python -m etl load --quiet
	$(BIN)/python -m app.serve --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

setup: $(BIN)/.installed

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Demo data is generated and loaded only when no warehouse exists yet.
$(WAREHOUSE):
	$(BIN)/python -m etl demo
	$(BIN)/python -m etl load --rebuild

# A new demo replaces the raw files wholesale, so the warehouse is rebuilt from scratch.
demo: setup
	$(BIN)/python -m etl demo
	$(BIN)/python -m etl load --rebuild

load: setup
	$(BIN)/python -m etl load

# Browser tests (tests/browser/) drive Debian's Chromium at $(CHROMIUM), the path they launch;
# install it when missing (root, as in CI). They fail, never skip, when it is absent.
CHROMIUM := /usr/bin/chromium
browser:
	@[ -x $(CHROMIUM) ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium est requis pour les tests navigateur : sudo apt-get install chromium" >&2; exit 1; fi; }
	@[ -x $(CHROMIUM) ] || { echo "$(CHROMIUM) absent après installation" >&2; exit 1; }

# Lint before the tests: ruff (pyproject.toml) over the Python tree, then sqlfluff (DuckDB
# dialect, pyproject.toml) over etl/sql and app/sql, the app queries with their includes
# expanded (etl/lint_sql.py).
lint: setup
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/python -m etl.lint_sql

# The SQL lint alone.
lint-sql: setup
	$(BIN)/python -m etl.lint_sql

# pytest's exit code 5 ("no tests collected") is a failure too, with a message saying so.
# Every test has a time limit (pyproject.toml, tests/bounds.py): a hang fails with its stacks.
# Two pytest-xdist workers, one per core (docs/testing.md: tests are handed out one by one).
PYTEST_WORKERS := -n 2 --dist loadgroup
test: setup browser lint
	@$(BIN)/python -m pytest -q $(PYTEST_WORKERS) --durations=15 || { status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest n'a collecté aucun test : échec" >&2; fi; exit $$status; }

# The fast loop, after each change (docs/testing.md): lint, then every test not marked `slow`;
# a test over 10 s of its own without the mark fails the run.
check: setup lint
	@$(BIN)/python -m pytest -q $(PYTEST_WORKERS) -m "not slow" --max-unmarked-seconds=10 --durations=10

# Benchmarks (bench/README.md): results in bench/results/, work files in /tmp. BENCH_ARGS="--scales 1".
bench: setup browser
	bench/run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(WAREHOUSE) data/warehouse.etl.duckdb data/raw/produits-frais data/raw/equipements-protection data/raw/geo
