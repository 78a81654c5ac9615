#!/usr/bin/env bash
# The whole suite: once on SQLite, then once on PostgreSQL when DATABASE_URL points at one.
#   GUWEN_REQUIRE_POSTGRES=1  fail (not skip) when PostgreSQL is unreachable
#   GUWEN_REQUIRE_SHARED=1    fail (not skip) tests that need ../shared/data when it is missing
set -uo pipefail
bin=.venv/bin
workers=${GUWEN_TEST_WORKERS:-2}
$bin/ruff check . || exit 1
$bin/lint-imports --no-cache >/dev/null || { $bin/lint-imports --no-cache; exit 1; }
$bin/python manage.py makemigrations --check --dry-run -v0 || { echo "models changed without a migration"; exit 1; }

echo "== SQLite =="
env -u DATABASE_URL $bin/pytest -n "$workers" -p no:cacheprovider "$@" || exit 1

pg_url=${DATABASE_URL:-}
if [ -z "$pg_url" ]; then
  if [ "${GUWEN_REQUIRE_POSTGRES:-0}" = "1" ]; then echo "GUWEN_REQUIRE_POSTGRES=1 but DATABASE_URL is unset"; exit 1; fi
  echo "DATABASE_URL unset: PostgreSQL run skipped"
  exit 0
fi
if ! $bin/python scripts/db_ready.py "$pg_url"; then
  if [ "${GUWEN_REQUIRE_POSTGRES:-0}" = "1" ]; then echo "PostgreSQL at DATABASE_URL is unreachable"; exit 1; fi
  echo "PostgreSQL unreachable: PostgreSQL run skipped"
  exit 0
fi
echo "== PostgreSQL =="
DATABASE_URL=$pg_url $bin/pytest -n "$workers" -p no:cacheprovider "$@"
