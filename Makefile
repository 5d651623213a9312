# Everything runs from the project's own virtual environment in .venv, made on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
NPM    := $(shell command -v npm 2>/dev/null)
AXE    := tests/browser/node_modules/.installed

.PHONY: install run test lint format migrations lock clean bench messages

# Exactly the locked versions, each checked against its hash (requirements/dev.txt holds the
# runtime lock's pins too), then the project itself, whose dependencies are all in the lock.
$(STAMP): pyproject.toml requirements/runtime.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo data and serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST)

## make test: the whole suite; on PostgreSQL when DATABASE_URL points to one. Installs axe-core for
## the accessibility test first where npm is installed (pinned in tests/browser/package-lock.json).
test: $(STAMP) $(if $(NPM),$(AXE))
	$(BIN)/pytest $(PYTEST_ARGS)

# Again whenever the lock file is newer than the last install (npm ci empties node_modules first).
# Not fatal: where the npm registry cannot be reached the suite runs all the same (the accessibility
# test skips, saying why), and the install is tried again next time.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if (cd tests/browser && $(NPM) ci --no-audit --no-fund); then touch $@; \
	else echo "npm ci failed (is the npm registry reachable?): the accessibility test will be skipped."; fi

## make bench: every benchmark (pages cached and fresh, a 1,000-label sheet, the market day of 1,000 batches
## with and without purchases, concurrent checkouts) under gunicorn, as ratios against a bare Django view
## (bench/README.md); e.g. make bench BENCH_ARGS="--db postgres --batches 1000"
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make lint: ruff, and the floors check (import-linter's contract in pyproject.toml, DESIGN §3)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

## make lock: re-pin every dependency after changing pyproject.toml, with hashes (pip-tools):
## requirements/runtime.txt for the image, requirements/dev.txt (runtime's pins and the dev tools)
## for everything else. Versions already pinned stay unless pyproject.toml rules them out; to
## upgrade, e.g. make lock LOCK_ARGS="--upgrade-package django"
LOCK     := /tmp/commune-market-lock
COMPILE  := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url $(LOCK_ARGS)
lock:
	test -x $(LOCK)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK) && $(LOCK)/bin/pip install --quiet pip-tools; }
	$(COMPILE) -o requirements/runtime.txt pyproject.toml
	$(COMPILE) --extra dev -c requirements/runtime.txt -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## make messages: extract, fill and compile every app's catalogues (needs Debian's gettext)
messages: $(STAMP)
	$(BIN)/python manage.py translations
