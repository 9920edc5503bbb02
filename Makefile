# `make demo` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/jaring
PORT ?= 8000
# pyspark (1.3 GB, needs Java) is only for the optional national-scale duplicate backend:
# `make install-spark` adds it; CI installs it so that its tests always run there.
comma := ,
EXTRAS := dev$(if $(filter true,$(CI)),$(comma)spark)
export JARING_HOME := $(CURDIR)
# A development/demo install: the public development key and local host names are allowed
# (production refuses them; docs/operations.md).
export JARING_DEV ?= 1

.PHONY: install install-spark demo serve migrate test test-sqlite test-postgres lint format bench messages clean

$(BIN)/jaring: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

install: $(BIN)/jaring

install-spark: install
	$(BIN)/pip install --quiet -e '.[dev,spark]'

migrate: install
	mkdir -p var
	$(BIN)/jaring migrate --no-input

demo: migrate
	$(BIN)/jaring collectstatic --no-input --verbosity 0
	$(BIN)/jaring demo
	$(BIN)/jaring runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The two databases' passes run side by side (each is mostly one core; together they fit CI's
# time), each with its own var/ folder so that uploads and exports never meet. When both run,
# the tests that touch no database are shared out between them (tests/conftest.py): a rule or a
# generator tested twice proves nothing more.
PG_REACHABLE = $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null
PG_UP = $(shell $(PG_REACHABLE) && echo 1)

test: lint
	$(MAKE) --no-print-directory --output-sync=target -j2 JARING_TESTS_SPLIT=$(PG_UP) test-sqlite test-postgres

test-sqlite: install
	mkdir -p var/test-sqlite
	JARING_TESTS_SPLIT=$(JARING_TESTS_SPLIT) JARING_VAR=$(CURDIR)/var/test-sqlite $(BIN)/pytest

# CI=true: an unreachable PostgreSQL fails the run; elsewhere it is skipped with a warning.
test-postgres: install
	mkdir -p var/test-postgres
	@if $(PG_REACHABLE); then \
		JARING_TESTS_SPLIT=$(JARING_TESTS_SPLIT) DATABASE_URL=$(PG_URL) \
			JARING_VAR=$(CURDIR)/var/test-postgres $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "ERROR: PostgreSQL at $(PG_URL) is not reachable (CI=true)"; exit 1; \
	else \
		echo "WARNING: PostgreSQL at $(PG_URL) is not reachable: PostgreSQL pass SKIPPED"; \
	fi

bench: install
	$(BIN)/python bench/registry_bench.py

messages: install
	cd src/jaring && ../../$(BIN)/jaring makemessages -l id --no-location && ../../$(BIN)/jaring compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
