#!/usr/bin/env bash
# Install and start what the tests need beyond Python packages (run by scripts/test.sh).
# Each service is added by the part of onrecord that needs it; keep every step idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests (tests/test_browser*.py) drive Debian's chromium headless through Playwright;
# Playwright's own browser download cannot work here, so the system package is used.
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

# The store tests (tests/test_store*.py and friends) run against a real PostgreSQL as well as SQLite.
# Debian's package creates a cluster; it is started as the postgres user and given a test role and
# database. Tests read ONRECORD_TEST_POSTGRES, whose default matches what is created here.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q -o DPkg::Lock::Timeout=600 postgresql
fi
PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_lsclusters -h | grep -q "^$PG_VERSION main" || pg_createcluster "$PG_VERSION" main
pg_lsclusters -h | grep -q "^$PG_VERSION main .* online" || pg_ctlcluster "$PG_VERSION" main start
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
as_postgres() { su postgres -s /bin/sh -c "psql -v ON_ERROR_STOP=1 -qtA -c \"$1\""; }
[ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname='onrecord'")" = "1" ] \
  || as_postgres "CREATE ROLE onrecord LOGIN PASSWORD 'onrecord' CREATEDB"
[ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname='onrecord_test'")" = "1" ] \
  || as_postgres "CREATE DATABASE onrecord_test OWNER onrecord"
