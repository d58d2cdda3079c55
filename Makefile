# The README's commands. Each sets up what it needs: the virtual environment, the Python
# packages and a Chromium (found or installed by `sesag browser`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: guide test test-fast lint docs check portal demo bench setup browser clean

guide: setup            ## regenerate the illustrated vejledning into screenshots/
	$(BIN)/sesag guide

# -n auto: one pytest-xdist worker per core; loadscope keeps each module on one worker, so a
# module's shared fixtures (a whole guide, a training portal) are made once, not once per worker.
test: setup             ## run every test: unit, portal and end-to-end
	$(BIN)/pytest -n auto --dist loadscope

# -n auto: the unit suite is CPU-bound enough for two workers to pay (bench/README.md, The test suite).
test-fast: $(STAMP)     ## the unit and Flask test-client tests only (no portal in a browser)
	$(BIN)/pytest -m "not e2e" -n auto

lint: $(STAMP)          ## ruff (pyproject.toml), and docs/commands.md against every command's --help
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cog --check --check-fail-msg 'run make docs' docs/commands.md

docs: $(STAMP)          ## regenerate docs/commands.md from the commands' --help
	$(BIN)/cog -r docs/commands.md

check: setup            ## compare a fresh guide with the committed screenshots
	$(BIN)/sesag guide --check

portal: setup           ## serve the mock portal on http://127.0.0.1:5000
	$(BIN)/sesag portal

demo: setup             ## captioned walkthrough of Trin 1-5 into demo/
	$(BIN)/sesag demo --out demo

bench: setup            ## speed figures of the flows, the guide and the portal
	$(BIN)/python bench/bulk.py --latency 0,50
	$(BIN)/python bench/guide.py
	$(BIN)/python bench/portal.py

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,video]'
	touch $(STAMP)

browser: $(STAMP)
	$(BIN)/sesag browser

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
