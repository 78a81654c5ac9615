"""Exit 0 when the database at the given URL answers, 1 otherwise (used by scripts/test.sh)."""

import sys

import psycopg

url = sys.argv[1].replace("postgres://", "postgresql://", 1)
try:
    with psycopg.connect(url, connect_timeout=5) as conn:
        conn.execute("SELECT 1")
except psycopg.Error as exc:
    print(f"database not ready: {exc.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
