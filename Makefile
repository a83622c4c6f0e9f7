# The newcomer's path: `make run` and `make test` work on a fresh machine with only Python 3.11.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test test-fast check scheduler bench loadtest system-deps clean help

help:
	@echo "make run        install, migrate, load the plan, start the app (http://localhost:8501)"
	@echo "make demo       the same with clearly labelled demo data and one demo account per role"
	@echo "make test       install (with the test tools and Debian's chromium), check layers and types, run every test"
	@echo "make scheduler  run the supervision scheduler in the foreground"
	@echo "make bench      build the synthetic data sets and measure (writes benchmarks/results.json)"
	@echo "make loadtest   N people at once in real browsers against the real server (writes benchmarks/load.json)"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ylyx-tasks init
	$(BIN)/streamlit run streamlit_app.py

demo: $(STAMP)
	$(BIN)/ylyx-tasks init --demo
	$(BIN)/streamlit run streamlit_app.py

scheduler: $(STAMP)
	$(BIN)/python scheduler.py

system-deps:
	@scripts/install-system-deps.sh

# the architecture's rules (layers, a pure domain, no Streamlit below the web app) and the types
check: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) system-deps check
	$(BIN)/python -m pytest

test-fast: $(STAMP) check
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# LOADTEST_ARGS="--with-60 --scale-out" adds N = 60 and two app processes behind nginx (see docs/load-and-deploy.md)
loadtest: $(STAMP) system-deps
	$(BIN)/python -m benchmarks.load $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts
