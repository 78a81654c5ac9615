#!/usr/bin/env bash
# Benchmarks print their figures beside a baseline measured in the same run.
set -euo pipefail
for bench in benchmarks/bench_*.py; do
  echo "== $bench"
  .venv/bin/python "$bench"
done
