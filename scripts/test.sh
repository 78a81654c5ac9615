#!/usr/bin/env bash
# The whole suite: once on SQLite, then once on PostgreSQL when DATABASE_URL points at one.
#   GUWEN_REQUIRE_POSTGRES=1  fail (not skip) when PostgreSQL is unreachable
#   GUWEN_REQUIRE_SHARED=1    fail (not skip) tests that need ../shared/data when it is missing
#   GUWEN_TEST_CLOCK=<ISO>    the moment the PostgreSQL pass starts at (see below)
set -uo pipefail
bin=.venv/bin
workers=${GUWEN_TEST_WORKERS:-2}
$bin/ruff check . || exit 1
$bin/lint-imports --no-cache >/dev/null || { $bin/lint-imports --no-cache; exit 1; }
$bin/python manage.py makemigrations --check --dry-run -v0 || { echo "models changed without a migration"; exit 1; }

echo "== SQLite =="
env -u DATABASE_URL -u GUWEN_TEST_CLOCK $bin/pytest -n "$workers" -p no:cacheprovider "$@" || exit 1

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
# The second pass also moves the clock: the SQLite pass runs at the real time, this one starts half
# a minute after the local midnight that opens next year (Asia/Shanghai, January 1st: a new year, a
# new month, a year chinese-calendar may not know yet). In UTC it is still the day and year before,
# so a test or a query that mixes UTC and local dates fails here, and so does a test that takes
# "today" from the real clock or only works late in a month. Just after midnight rather than just
# before it: a run that crossed midnight would fail whichever test straddled it, by chance. Ahead of
# the real date, never behind: the browser tests' Chromium keeps the real clock, and would find the
# cookies of a server living in the past already expired.
session_clock=${GUWEN_TEST_CLOCK:-$(($(TZ=Asia/Shanghai date +%Y) + 1))-01-01T00:00:30+08:00}
echo "== PostgreSQL (GUWEN_TEST_CLOCK=$session_clock) =="
DATABASE_URL=$pg_url GUWEN_TEST_CLOCK=$session_clock $bin/pytest -n "$workers" -p no:cacheprovider "$@"
