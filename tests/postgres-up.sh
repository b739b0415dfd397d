#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster if it is down, makes a role and database for the
# suite, and prints the DATABASE_URL for it. pytest-django creates its own test database.
set -euo pipefail
cluster=$(pg_lsclusters --no-header | head -n 1)
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$name" start >&2
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='archive'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE archive LOGIN CREATEDB PASSWORD 'archive'\"" >&2
as_postgres "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='archive'\" | grep -q 1 || createdb -p $port -O archive archive" >&2
echo "postgres://archive:archive@127.0.0.1:$port/archive"
