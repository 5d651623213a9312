# Everything runs from the project's own virtual environment in .venv, made on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
NPM    := $(shell command -v npm 2>/dev/null)
AXE    := tests/browser/node_modules/.installed

.PHONY: install run test lint format migrations lock clean bench messages

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
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

## make bench: every benchmark (pages cached and fresh, a 1,000-label sheet, concurrent checkouts) under
## gunicorn, as ratios against a bare Django view (bench/README.md); e.g. make bench BENCH_ARGS="--db postgres"
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

## make lock: re-pin every dependency after changing pyproject.toml
lock:
	rm -rf /tmp/commune-market-lock && $(PYTHON) -m venv /tmp/commune-market-lock
	/tmp/commune-market-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/commune-market-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## make messages: extract, fill and compile every app's catalogues (needs Debian's gettext)
messages: $(STAMP)
	$(BIN)/python manage.py translations
