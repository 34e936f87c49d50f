# The commands people type. `make run` and `make test` work on a fresh clone.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test test-sunday-night lint format install assets bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

static_build/.built: package.json package-lock.json frontend/scss/main.scss frontend/copy-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

install: $(VENV)/.installed static_build/.built

assets: static_build/.built

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Barking and Dagenham: http://127.0.0.1:$(PORT)/  (or http://localhost:$(PORT)/)"
	@echo "  Tunbridge Wells:      http://tunbridgewells.localhost:$(PORT)/"
	@echo "  Admin:                http://127.0.0.1:$(PORT)/admin/  user 'admin', password 'safehaven-demo'"
	@echo ""
	PUBLIC_URL_PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	scripts/test.sh

# The suite (browser tests aside) again with the clock at Sunday 29 November 2026, 23:30 GMT:
# shops are shut, it is the weekend and the day ends in 30 minutes. Needs faketime (Debian).
SUNDAY_NIGHT := @2026-11-29 23:30:00
test-sunday-night: install
	DJANGO_SETTINGS_MODULE=config.settings.test TZ=Europe/London scripts/with-postgres.sh \
	  faketime -f '$(SUNDAY_NIGHT)' $(VENV)/bin/pytest -q --ignore=tests/e2e --ignore=tests/fuzz

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	scripts/with-postgres.sh $(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules static_build staticfiles db.sqlite3 .test-media
