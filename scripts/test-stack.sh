#!/usr/bin/env bash
# The production-stack test alone (tests/stack: gunicorn with 2 workers on config.settings.production,
# PostgreSQL, Redis, db_worker, an SMTP sink), on a throwaway PostgreSQL. `make test` runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.test
exec scripts/with-postgres.sh .venv/bin/pytest -m stack tests/stack "$@"
