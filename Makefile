# Bildungskette – the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench loadtest install install-dev messages clean worker mutation

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

install install-dev: $(STAMP)

.env:
	@echo "BILDUNGSKETTE_ENV=development" > .env
	@echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
	@echo "Wrote .env (development settings)."

# Installs, migrates, loads the demo, runs a background worker and serves on http://$(HOST):$(PORT).
run: $(STAMP) .env
	$(BIN)/bildungskette migrate --verbosity 0
	$(BIN)/bildungskette load-demo
	@echo ""
	@echo "Bildungskette läuft auf http://$(HOST):$(PORT)  (Strg+C beendet)"
	@$(BIN)/bildungskette db_worker --verbosity 0 & WORKER=$$!; \
	  trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/bildungskette runserver $(HOST):$(PORT)

# Runs the whole suite; on PostgreSQL when DATABASE_URL is set. pytest's exit code 5
# ("no tests collected") counts as failure: an empty run must not pass.
test: $(STAMP)
	BILDUNGSKETTE_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "Keine Tests ausgeführt – das gilt als Fehler."; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check bildungskette tests bench mutation

# Mutation testing (mutmut) of the code that protects people and figures; minutes per module, not in CI.
# MODULES="disclosure formula" runs only those; the report goes to docs/testing.md.
mutation: $(STAMP)
	$(BIN)/python mutation/run.py $(MODULES)

bench: $(STAMP)
	BILDUNGSKETTE_ENV=test BENCH=$(BENCH) $(BIN)/python bench/run.py

# gunicorn + PostgreSQL (docs/deployment.md) with the demo in its own database, 50 locust users for
# 60 s: first the trivial view /health/, then mixed public and signed-in pages; table → docs/performance.md.
# LOADTEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bildungskette_loadtest), LOADTEST_PORT (8100).
loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py

worker: $(STAMP) .env
	$(BIN)/bildungskette db_worker

clean:
	rm -rf $(VENV) var .env
