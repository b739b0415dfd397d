# Two commands do all set-up on a fresh machine:
#   make run   - virtualenv, install, migrate, import seeds/, index, serve with gunicorn
#   make test  - install what the tests need (Python packages, Debian's Chromium and
#                PostgreSQL) and run the whole suite on SQLite, then on PostgreSQL
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export ARCHIVE_DATA_DIR ?= $(CURDIR)/var
export PORT HOST

.PHONY: run setup test test-haystack-upstream test-sqlite test-postgres system-deps bench load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py import_sources seeds/
	$(BIN)/python manage.py index catch-up --no-progress

run: setup
	@echo
	@echo "The Archive:  http://$(HOST):$(PORT)/"
	@echo "Admin:        http://$(HOST):$(PORT)/admin/"
	@echo "First admin user: $(BIN)/python manage.py createsuperuser  (in another terminal)"
	@echo "Ctrl-C stops the server."
	@echo
	$(BIN)/gunicorn --config archive/gunicorn.conf.py archive.wsgi

system-deps:
	@tests/system-deps.sh

test: $(VENV)/.installed-test system-deps test-haystack-upstream test-sqlite test-stock-engine test-postgres

# django-haystack's own Whoosh backend tests, run against our backend subclass.
test-haystack-upstream: $(VENV)/.installed-test
	tests/haystack_upstream.sh

test-sqlite: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# The search service, its pages, API, CSV and feeds on haystack's stock Whoosh engine: the
# app uses only haystack's API and the declared extension interface (engine/extensions.py).
# archive_engine tests need what our engine adds (README, "Moving to PostgreSQL and a
# server search engine").
STOCK_ENGINE_TESTS = tests/test_search_service.py tests/test_search_facets.py \
	tests/test_unpublished_leaks.py tests/test_views_search.py tests/test_views_detail.py \
	tests/test_api.py tests/test_csv.py tests/test_feeds.py tests/test_aliases.py \
	tests/test_search_nesting.py tests/test_index_command.py tests/test_search_date_range.py \
	tests/test_views_entities.py tests/test_api_source.py tests/test_outlets.py
test-stock-engine: $(VENV)/.installed-test
	ARCHIVE_SEARCH_ENGINE=haystack.backends.whoosh_backend.WhooshEngine \
		$(BIN)/python -m pytest -m "not archive_engine" $(STOCK_ENGINE_TESTS)

test-postgres: $(VENV)/.installed-test
	DATABASE_URL=$$(tests/postgres-up.sh) $(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --docs $${DOCS:-10000} --json bench/out/bench-$${DOCS:-10000}.json

load: $(VENV)/.installed-test
	$(BIN)/python bench/load.py --seconds $${LOAD_SECONDS:-60} --connections $${LOAD_CONNECTIONS:-16} --docs $${DOCS:-1000}

clean:
	rm -rf $(VENV) var test-artifacts
