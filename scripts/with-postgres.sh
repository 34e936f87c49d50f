#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster, started from the
# PostgreSQL binaries on this machine and removed afterwards. initdb refuses to run as root, so
# as root the cluster runs as the `postgres` user.
set -euo pipefail

if [[ -n "${DATABASE_URL:-}" ]]; then
  exec "$@"
fi

pgbin=""
if command -v initdb >/dev/null 2>&1; then
  pgbin=$(dirname "$(readlink -f "$(command -v initdb)")")
else
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && pgbin="$candidate"
  done
fi
if [[ -z "$pgbin" ]]; then
  if [[ "${CI:-}" == "true" || "${REQUIRE_POSTGRES:-}" == "1" ]]; then
    echo "PostgreSQL binaries not found: CI runs the suite on PostgreSQL, so this is a failure." >&2
    exit 1
  fi
  echo "PostgreSQL not found: running on SQLite." >&2
  exec "$@"
fi

workdir=$(mktemp -d /tmp/safehaven-pg.XXXXXX)
chmod 755 "$workdir"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$workdir"
  as_pg=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_cluster() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop_cluster EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
# Durability is irrelevant for a throwaway test cluster; max_connections covers the 200-way burst.
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -s \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres safehaven
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/safehaven"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway)" >&2
"$@"
