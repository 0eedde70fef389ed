# One command per task; each bootstraps the virtualenv it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= $(or $(PEACEOPS_DATA),../shared/data)
DB ?= $(or $(PEACEOPS_DB),out/peaceops.duckdb)

.PHONY: demo test test-fast lint bench serve screenshots clean

$(STAMP): pyproject.toml
	@echo "Installing peaceops and its pinned dependencies into $(VENV) (first run only; 1-2 minutes)"
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install --progress-bar on -e ".[dev]"
	touch $(STAMP)
	@echo "Installed: $$($(BIN)/peaceops --version 2>/dev/null || echo peaceops) in $(VENV)"

demo: $(STAMP)  ## build the knowledge base from the real data, code, simulate, forecast, report
	$(BIN)/peaceops build --data-dir $(DATA) --db $(DB)
	$(BIN)/peaceops status --db $(DB)
	$(BIN)/peaceops show mission MINUSMA --db $(DB)
	$(BIN)/peaceops show mission MONUSCO --mandates --db $(DB)
	$(BIN)/peaceops evaluate --db $(DB) --report out/pema-disagreements.md --force
	$(BIN)/peaceops evaluate --folds --db $(DB)
	$(BIN)/peaceops simulate MINUSMA --seeds 100 --db $(DB)
	$(BIN)/peaceops simulate MINUSMA --seeds 100 --counterfactual no-alternative-partner --db $(DB)
	$(BIN)/peaceops validate sim --workers 2 --markdown out/sim-validation.md --force --db $(DB)
	$(BIN)/peaceops forecast --as-of 2025-06-30 --db $(DB)
	$(BIN)/peaceops report mission MINUSMA -o out/MINUSMA.html --force --db $(DB)
	$(BIN)/peaceops report compare MINUSMA MONUSCO UNMISS UNAMA -o out/compare.html --force --db $(DB)
	$(BIN)/peaceops report council -o out/council.html --force --db $(DB)
	$(BIN)/peaceops paper --html out/paper.html --force --markdown docs/paper-claims.md --db $(DB)
	@echo ""
	@echo "Reports (self-contained, they open offline):"
	@echo "  open file://$(abspath out/MINUSMA.html)"
	@echo "  open file://$(abspath out/compare.html)"
	@echo "  open file://$(abspath out/council.html)"
	@echo "  open file://$(abspath out/paper.html)   (the paper's claims, tested; docs/paper-claims.md)"
	@echo "Web explorer: make serve   (then open http://127.0.0.1:8000/ ; API docs at /api/docs)"

test: $(STAMP)  ## lint (code and layer contracts), then the whole test suite on the real data
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## lint, then the tests that need no built knowledge base, browser or cluster
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest --fast -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

bench: $(STAMP)  ## benchmarks; results go to benchmarks/results.json
	$(BIN)/python benchmarks/bench_build.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_coding.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_sim.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_sweep.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_web.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_texts.py --data-dir $(DATA) --output benchmarks/results.json
	$(BIN)/python benchmarks/bench_forecast.py --data-dir $(DATA) --output benchmarks/results.json

serve: $(STAMP)  ## the web explorer on http://127.0.0.1:8000/ (build the knowledge base first: make demo)
	$(BIN)/peaceops serve --db $(DB) --port $(or $(PORT),8000)

screenshots: $(STAMP)  ## the explorer's pages at 1280 and 390 px -> docs/screenshots/ (build first: make demo)
	$(BIN)/python scripts/screenshots.py --db $(DB)

clean:
	rm -rf out .pytest_cache .ruff_cache
