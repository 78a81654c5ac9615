"""A web server just started: its first burst of public questions, and its memory.

On SQLite in a temporary directory, the harness of ``bench_intake`` migrates and loads the Nanwan
demo, then starts gunicorn with the production settings (``gunicorn.conf.py``) several times,
alternating three ways of loading the application:

- preloaded (the default): the master loads it once and forks the workers from it;
- per worker (``GUWEN_WEB_PRELOAD=0``): each worker loads it after the fork;
- cold URLs (preloaded, ``GUWEN_WARM_URLS=0``): without the URL reverse tables built at load,
  so that the first ``reverse()`` in each worker builds them, as Django does by itself.

After each start it waits for the workers to finish booting, sends a first burst of intake
questions from 32 clients to the cold server, then a second burst of the same size (the warm
baseline, same server, same run), and reads the proportional set size (PSS, shared pages split
between the processes that share them) of the master and its workers from /proc.

What it shows: the first burst's p99 against the second's (a new process must not make its first
questions wait while it builds what it needs; ``guwen.wsgi`` builds the URL reverse tables at
load), with and without the tables built at load, and the memory of the two ways of loading side
by side.

Run: `.venv/bin/python benchmarks/bench_start.py` (part of `make bench`). Knobs (environment):
GUWEN_BENCH_START_BURST (questions per burst, 640), GUWEN_BENCH_START_ROUNDS (starts per way, 2),
GUWEN_BENCH_START_SETTLE (seconds to wait for the workers after the first answer, 6), and those
of ``bench_intake`` for processes and threads.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BURST = int(os.environ.get("GUWEN_BENCH_START_BURST", "640"))
ROUNDS = max(1, int(os.environ.get("GUWEN_BENCH_START_ROUNDS", "2")))
SETTLE = float(os.environ.get("GUWEN_BENCH_START_SETTLE", "6"))
# One burst is BURST questions, however long they take.
os.environ["GUWEN_BENCH_REQUESTS"] = str(BURST)
os.environ["GUWEN_BENCH_SECONDS"] = "120"

from benchmarks import bench_intake as harness  # noqa: E402 - reads the knobs set above

WAYS = {
    "preloaded": {"GUWEN_WEB_PRELOAD": "1"},
    "per worker": {"GUWEN_WEB_PRELOAD": "0"},
    "cold URLs": {"GUWEN_WEB_PRELOAD": "1", "GUWEN_WARM_URLS": "0"},
}


def pss_mb(pid: int) -> float:
    """Proportional set size of one process, in MB (0 where /proc does not say)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def server_processes(master_pid: int) -> list[int]:
    """The master and its workers (the processes of the master's session)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                session = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3])
            except (OSError, IndexError, ValueError):
                continue
            if session == master_pid:
                pids.append(int(entry.name))
    return pids


def one_start(env: dict[str, str], way: dict[str, str], communities: list[str], log: Path) -> dict:
    port = harness.free_port()
    server = harness.start_server({**env, **way}, port, log)
    try:
        time.sleep(SETTLE)  # the first answer may come from one worker while the others still boot
        cold = harness.drive(port, "first burst", harness.intake_request, communities)
        warm = harness.drive(port, "second burst", harness.intake_request, communities)
        processes = server_processes(server.pid)
        return {
            "cold p99": cold.percentile(0.99),
            "cold max": max(cold.latencies_ms, default=float("nan")),
            "warm p99": warm.percentile(0.99),
            "errors": cold.errors + warm.errors,
            "processes": len(processes),
            "pss": sum(pss_mb(pid) for pid in processes),
        }
    finally:
        harness.stop_server(server)


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="guwen-bench-start-"))
    try:
        env = harness.server_env(f"sqlite:///{var_dir / 'bench.sqlite3'}", var_dir)
        communities = harness.prepare(env)
        results: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
        print(
            f"-- SQLite: gunicorn {harness.WORKERS}×{harness.THREADS} gthread, {harness.CLIENTS} clients, "
            f"bursts of {BURST} questions, {ROUNDS} starts per way (alternating)"
        )
        for number in range(1, ROUNDS + 1):
            for way, settings in WAYS.items():
                result = one_start(env, settings, communities, var_dir / "gunicorn.log")
                results[way].append(result)
                print(
                    f"  start {number}, {way:<10}  first burst p99 {result['cold p99']:7.1f} ms"
                    f" (max {result['cold max']:7.1f})   second burst p99 {result['warm p99']:7.1f} ms"
                    f"   PSS of {result['processes']:.0f} processes {result['pss']:6.1f} MB"
                    f"   errors {result['errors']:.0f}"
                )
        for way, runs in results.items():
            cold, warm, pss = (statistics.median(r[k] for r in runs) for k in ("cold p99", "warm p99", "pss"))
            print(
                f"  median, {way:<10}  first burst p99 {cold:7.1f} ms   second burst p99 {warm:7.1f} ms"
                f"   PSS {pss:6.1f} MB"
            )
        errors = sum(r["errors"] for runs in results.values() for r in runs)
        print(f"  errors {errors:.0f}")
        return 0 if errors == 0 else 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
