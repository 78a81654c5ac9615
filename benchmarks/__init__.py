"""Benchmarks run by `make bench` (scripts/bench.sh); not part of the test suite."""
