#!/usr/bin/env bash
# `make test`: lint, migrations in step with models, then the whole pytest suite on PostgreSQL
# (SQLite when this machine has no PostgreSQL binaries and this is not CI).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.test

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations differ: run 'manage.py makemigrations'." >&2
  exit 1
}
exec scripts/with-postgres.sh .venv/bin/pytest "$@"
