# The README's commands. Each sets up what it needs: the virtual environment, the Python
# packages and a Chromium (found or installed by `sesag browser`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: guide test test-browser test-fast test-floor lint docs check portal demo bench lighthouse setup browser validators clean

# One edition per Se Sag right: Sagsbehandler (an insurer's example) and, for municipalities,
# Kommunal sagsbehandler (a job centre's).
KOMMUNE := screenshots/kommune

guide: setup            ## regenerate both editions of the vejledning: screenshots/ and screenshots/kommune/
	$(BIN)/sesag guide build
	$(BIN)/sesag guide build --right kommunal-sagsbehandler --out $(KOMMUNE)

# -n auto: one pytest-xdist worker per core; loadscope keeps each module on one worker, so a
# module's shared fixtures (a whole guide, a training portal) are made once, not once per worker.
test: setup test-browser ## run every test: unit, portal and end-to-end
	$(BIN)/pytest -n auto --dist loadscope

# The tests drive the fast profile too, in the headless shell: running them asks for it, so it is
# installed beside a system Chromium when missing (apt may upgrade that Chromium with it).
test-browser: $(STAMP)
	$(BIN)/sesag browser --headless-shell

# -n auto: the unit suite is CPU-bound enough for two workers to pay. --ignore: every test in
# tests/e2e is e2e (its conftest marks them), so they are not even imported.
test-fast: $(STAMP)     ## the unit and Flask test-client tests only (no portal in a browser)
	$(BIN)/pytest --ignore=tests/e2e -n auto

# The lowest versions pyproject.toml admits, in a venv of their own: the grant and bulk
# end-to-end tests against them (docs/decisions/0002-dependency-bounds.md).
FLOOR_VENV := .venv-floor
FLOOR      := playwright==1.49.0 pytest-playwright==0.5.0 flask==3.0.0 werkzeug==3.0.0
FLOOR_TESTS := tests/e2e/test_grant_flow.py tests/e2e/test_bulk_workers.py tests/e2e/test_bulk_interrupt.py
test-floor: $(FLOOR_VENV)/.installed-stamp test-browser
	$(FLOOR_VENV)/bin/python -c "import importlib.metadata as m; print('floor:', *(f'{d}=={m.version(d)}' for d in ('playwright', 'pytest-playwright', 'flask', 'werkzeug')))"
	$(FLOOR_VENV)/bin/pytest -p no:cacheprovider $(FLOOR_TESTS)

$(FLOOR_VENV)/.installed-stamp: pyproject.toml Makefile
	$(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/python -m pip install --quiet $(FLOOR) -e '.[test]'
	touch $@

lint: $(STAMP)          ## ruff, the import contracts (pyproject.toml), docs/commands.md against --help
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cog --check --check-fail-msg 'run make docs' docs/commands.md
	$(BIN)/lint-imports

docs: $(STAMP)          ## regenerate docs/commands.md from the commands' --help
	$(BIN)/cog -r docs/commands.md

check: setup            ## compare a fresh guide (both editions) with the committed screenshots
	$(BIN)/sesag guide check
	$(BIN)/sesag guide check --right kommunal-sagsbehandler --out $(KOMMUNE) --diff-dir guide-diff/kommune

portal: setup           ## serve the mock portal on http://127.0.0.1:5000
	$(BIN)/sesag portal

demo: setup             ## captioned walkthrough of Trin 1-5 into demo/
	$(BIN)/sesag demo --out demo

lighthouse: setup       ## Lighthouse scores (accessibility, performance; desktop) of the guide's HTML editions
	$(BIN)/python bench/lighthouse.py

bench: setup            ## speed figures of the flows, the guide and the portal
	$(BIN)/python bench/bulk.py --latency 0,50
	$(BIN)/python bench/guide.py
	$(BIN)/python bench/portal.py

setup: $(STAMP) browser validators

# The outside validators the tests run, pinned: pdfua comes with the test extras; the Nu HTML
# checker (vnu-jar) and Lighthouse from npm (tools/validators/package-lock.json), Java from Debian.
VALIDATORS := tools/validators
VALIDATORS_STAMP := $(VALIDATORS)/node_modules/.installed-stamp

validators: $(VALIDATORS_STAMP)
	$(VALIDATORS)/java.sh

$(VALIDATORS_STAMP): $(VALIDATORS)/package.json $(VALIDATORS)/package-lock.json
	cd $(VALIDATORS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,video]'
	touch $(STAMP)

browser: $(STAMP)
	$(BIN)/sesag browser

clean:
	rm -rf $(VENV) $(FLOOR_VENV) build *.egg-info .pytest_cache $(VALIDATORS)/node_modules
