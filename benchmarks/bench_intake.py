"""Intake under load: `POST /api/v1/consultations` with 32 concurrent clients against gunicorn, side by
side in the same run and on the same server with a bare Django JSON view (the ceiling).

For each database — SQLite in a temporary directory, then PostgreSQL when it answers at
GUWEN_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; a throwaway database
``guwen_bench`` is created and dropped) — the harness migrates, loads the Nanwan demo, starts gunicorn
on a free port with DJANGO_SETTINGS_MODULE=benchmarks.bench_settings, drives the bare view and the
intake endpoint in turn, and prints throughput, p50/p99 latency, the ratio and the error count.

Targets: intake ≥ 0.2 of the bare view's throughput, zero errors, every acknowledged question
stored; the intake's p99 is printed beside the bare view's (an absolute time on a shared machine is
no stable target).

It also prints the CPU time each kind of process (gunicorn, PostgreSQL, the load generator) spent
per request in the median rounds, from /proc, to show where the time goes.

Run: `.venv/bin/python benchmarks/bench_intake.py` (or `make bench`). Knobs (environment):
GUWEN_BENCH_CLIENTS (32), GUWEN_BENCH_REQUESTS (per phase, 3000), GUWEN_BENCH_SECONDS (per phase,
15), GUWEN_BENCH_WORKERS (gunicorn processes), GUWEN_BENCH_THREADS (threads each),
GUWEN_BENCH_DATABASES ("sqlite,postgres"), GUWEN_BENCH_ROUNDS (3), GUWEN_BENCH_CACHE ("db" for the
database cache even when Redis answers at GUWEN_BENCH_REDIS_URL, default redis://127.0.0.1:6379/14).

The two phases alternate for GUWEN_BENCH_ROUNDS rounds (bare, intake, bare, intake, …) on the same
server, and the verdict uses the median round of each, so that a burst of noise on a shared
machine lands on both sides or on one round only.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

CLIENTS = int(os.environ.get("GUWEN_BENCH_CLIENTS", "32"))
REQUESTS = int(os.environ.get("GUWEN_BENCH_REQUESTS", "3000"))
SECONDS = float(os.environ.get("GUWEN_BENCH_SECONDS", "15"))
# The server runs with the project's production settings (gunicorn.conf.py); the two knobs
# override its processes and threads for experiments.
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
_production = runpy.run_path(str(GUNICORN_CONF))
WORKERS = int(os.environ.get("GUWEN_BENCH_WORKERS") or _production["workers"])
THREADS = int(os.environ.get("GUWEN_BENCH_THREADS") or _production["threads"])
PG_URL = os.environ.get("GUWEN_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "guwen_bench"
DATABASES = [d.strip() for d in os.environ.get("GUWEN_BENCH_DATABASES", "sqlite,postgres").split(",") if d]
ROUNDS = max(1, int(os.environ.get("GUWEN_BENCH_ROUNDS", "3")))

TARGET_RATIO = 0.2

# --- the intake request: the one place that knows the endpoint's path and body -------------------

INTAKE_PATH = "/api/v1/consultations"
BARE_PATH = "/bench/bare"
QUESTIONS = [
    "公司拖欠了我三个月工资，老板一直说下个月发，我该怎么办？",
    "邻居装修把我家墙面弄裂了，物业不管，可以起诉吗？",
    "离婚时孩子的抚养权一般怎么判，我需要准备什么材料？",
    "房东提前收回房子不退押金，合同里没写违约金怎么办？",
    "在工地摔伤了，包工头不给报销医药费，能申请工伤认定吗？",
]


def intake_request(n: int, communities: list[str]) -> tuple[str, bytes, dict[str, str]]:
    """Request number ``n``: a resident's question to one of the demo communities, with a fresh
    idempotency key (a retry would reuse it)."""
    body = {
        "community_code": communities[n % len(communities)],
        "phone": f"139{n % 100_000_000:08d}",
        "text": QUESTIONS[n % len(QUESTIONS)],
        "privacy_consent": True,
    }
    headers = {"Content-Type": "application/json", "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
    return INTAKE_PATH, json.dumps(body, ensure_ascii=False).encode(), headers


def bare_request(n: int, communities: list[str]) -> tuple[str, bytes, dict[str, str]]:
    _path, body, headers = intake_request(n, communities)
    return BARE_PATH, body, headers


# --- driving load -------------------------------------------------------------------------------------


@dataclass
class Phase:
    label: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # by process kind, during the phase

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# --- where the CPU goes: per-process CPU time from /proc, by kind of process ----------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_by_kind(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn processes (the master's session), PostgreSQL's
    processes and this load generator; empty where /proc is not there."""
    totals: dict[str, float] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return totals
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().split(b"\0", 1)[0].decode(errors="replace")
        except OSError:
            continue
        pid, session = int(entry.name), int(fields[3])
        if pid == os.getpid():
            kind = "load generator"
        elif session == server_pid:
            kind = "gunicorn"
        elif command.startswith("postgres") or command.endswith("/postgres"):
            kind = "PostgreSQL"
        else:
            continue
        totals[kind] = totals.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / _TICK
    return totals


def drive(port: int, label: str, make_request, communities: list[str]) -> Phase:
    """CLIENTS threads, each with its own keep-alive connection, until REQUESTS are sent or SECONDS pass."""
    phase = Phase(label)
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    start_gate = threading.Barrier(CLIENTS + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local: list[float] = []
        errors: list[str] = []
        start_gate.wait()
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= REQUESTS:
                break
            path, body, headers = make_request(n, communities)
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                took = (time.perf_counter() - began) * 1000
                if 200 <= response.status < 300:
                    local.append(took)
                else:
                    errors.append(f"HTTP {response.status} {answer[:160].decode(errors='replace')}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            phase.latencies_ms.extend(local)
            phase.errors += len(errors)
            phase.error_samples.extend(errors[: max(0, 3 - len(phase.error_samples))])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(SECONDS + 60)
    phase.elapsed = time.perf_counter() - began
    return phase


# --- one database: prepare, serve, measure ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    """The Redis the server's shared cache uses: GUWEN_BENCH_REDIS_URL (default database 14 of the
    local server) when it answers, unless GUWEN_BENCH_CACHE=db; else "" (the database cache)."""
    if os.environ.get("GUWEN_BENCH_CACHE", "") == "db":
        return ""
    url = os.environ.get("GUWEN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.flushdb()
    except Exception:
        return ""
    return url


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("REDIS_URL", None)
    env["REDIS_URL"] = REDIS
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        GUWEN_PROFILE="dev",
        GUWEN_VAR_DIR=str(var_dir),
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


PREPARE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from guwen.demo.nanwan import load
load()
from guwen.regions.models import Region
print(",".join(Region.objects.filter(level="community").order_by("code").values_list("code", flat=True)))
"""

COUNT = """
import django
django.setup()
from django.apps import apps
try:
    model = apps.get_model("consultations", "Consultation")
except LookupError:
    print(-1)
else:
    print(model.objects.filter(idempotency_key__contains="bench-").count()
          if any(f.name == "idempotency_key" for f in model._meta.fields) else model.objects.count())
"""


def prepare(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [PYTHON, "-c", PREPARE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError("migrate/load demo failed:\n" + done.stderr[-2000:])
    return done.stdout.strip().splitlines()[-1].split(",")


def count_consultations(env: dict[str, str]) -> int:
    done = subprocess.run(
        [PYTHON, "-c", COUNT], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else -1


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            GUNICORN,
            "--config",
            str(GUNICORN_CONF),
            "guwen.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + log_path.read_text()[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s:\n" + log_path.read_text()[-2000:])


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the master and its workers only
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def probe_intake(port: int, communities: list[str]) -> tuple[bool, str]:
    """Whether the intake endpoint exists and accepts the harness's request."""
    path, body, headers = intake_request(10**7, communities)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()[:300].decode(errors="replace")
    finally:
        conn.close()
    if response.status in (404, 405):
        return False, f"POST {INTAKE_PATH} does not exist yet (HTTP {response.status}); intake not measured"
    if not 200 <= response.status < 300:
        return False, f"POST {INTAKE_PATH} refused the benchmark request: HTTP {response.status} {answer}"
    return True, ""


def median_round(phases: list[Phase]) -> Phase:
    return sorted(phases, key=lambda phase: phase.throughput)[len(phases) // 2]


def report(name: str, bares: list[Phase], intakes: list[Phase], note: str, created: int | None) -> bool:
    def line(phase: Phase, label: str) -> str:
        return (
            f"  {label:<40} {phase.throughput:8.1f} req/s   p50 {phase.percentile(0.50):7.1f} ms"
            f"   p99 {phase.percentile(0.99):7.1f} ms   ok {phase.ok:5d}   errors {phase.errors}"
        )

    print(
        f"-- {name}: {CLIENTS} clients, gunicorn {WORKERS}×{THREADS} gthread, "
        f"shared cache {'Redis' if REDIS else 'in the database'}, "
        f"≤{REQUESTS} requests / ≤{SECONDS:g} s per phase, {len(bares)} alternating rounds"
    )
    for number, bare in enumerate(bares, start=1):
        print(line(bare, f"round {number}: {bare.label}"))
        for sample in bare.error_samples:
            print(f"      error: {sample}")
        if number <= len(intakes):
            intake = intakes[number - 1]
            print(line(intake, f"round {number}: {intake.label}"))
            for sample in intake.error_samples:
                print(f"      error: {sample}")
    if not intakes:
        print(f"  {note}")
        return False
    bare, intake = median_round(bares), median_round(intakes)
    print(line(bare, f"median: {bare.label}"))
    print(line(intake, f"median: {intake.label}"))
    ratio = intake.throughput / bare.throughput if bare.throughput else 0.0
    p99 = intake.percentile(0.99)
    errors = sum(phase.errors for phase in bares + intakes)
    verdicts = [
        f"ratio {ratio:.2f} of the bare view "
        f"({'ok' if ratio >= TARGET_RATIO else 'BELOW'} target {TARGET_RATIO:.2f})",
        f"p99 {p99:.1f} ms beside the bare view's {bare.percentile(0.99):.1f} ms",
        f"errors {errors} ({'ok' if errors == 0 else 'NOT ZERO'})",
    ]
    print("  " + "; ".join(verdicts))
    for phase in (bare, intake):
        if phase.cpu_seconds and phase.ok:
            split = ", ".join(
                f"{kind} {seconds * 1000 / phase.ok:.2f} ms"
                for kind, seconds in sorted(phase.cpu_seconds.items(), key=lambda item: -item[1])
                if seconds * 1000 / phase.ok >= 0.005
            )
            print(f"  CPU per request, median round of the {phase.label.split(' (')[0]}: {split}")
    acknowledged = sum(phase.ok for phase in intakes)
    lost = 0
    if created is not None and created >= 0:
        lost = acknowledged - created
        print(
            f"  consultations stored for acknowledged requests: {created} of {acknowledged}"
            + ("" if lost == 0 else f" ({lost} acknowledged but not found)")
        )
    return ratio >= TARGET_RATIO and errors == 0 and lost == 0


def run_one(name: str, database_url: str, var_dir: Path) -> bool:
    env = server_env(database_url, var_dir)
    communities = prepare(env)
    port = free_port()
    server = start_server(env, port, var_dir / f"gunicorn-{name}.log")
    bares: list[Phase] = []
    intakes: list[Phase] = []
    try:
        # Warm every worker (imports, database connections) outside the measured phases.
        for n in range(WORKERS * THREADS * 4):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            path, body, headers = bare_request(n, communities)
            conn.request("POST", path, body=body, headers=headers)
            conn.getresponse().read()
            conn.close()
        available, note = probe_intake(port, communities)

        def measured(label: str, make_request) -> Phase:
            before = cpu_by_kind(server.pid)
            phase = drive(port, label, make_request, communities)
            after = cpu_by_kind(server.pid)
            phase.cpu_seconds = {kind: after[kind] - before.get(kind, 0.0) for kind in after}
            return phase

        for _round in range(ROUNDS):
            bares.append(measured(f"bare Django JSON view ({BARE_PATH})", bare_request))
            if available:
                intakes.append(measured(f"intake (POST {INTAKE_PATH})", intake_request))
    finally:
        stop_server(server)
    created = count_consultations(env) - 1 if intakes else None  # minus the probe
    return report(name, bares, intakes, note, created)


def postgres_admin():
    try:
        import psycopg
    except ImportError:
        return None
    try:
        conn = psycopg.connect(
            PG_URL.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=3
        )
    except psycopg.Error:
        return None
    return conn


REDIS = ""


def main() -> int:
    global REDIS
    REDIS = redis_url()
    results = []
    if "sqlite" in DATABASES:
        var_dir = Path(tempfile.mkdtemp(prefix="guwen-bench-intake-"))
        try:
            results.append(run_one("SQLite", f"sqlite:///{var_dir / 'bench.sqlite3'}", var_dir))
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)
    if "postgres" in DATABASES:
        admin = postgres_admin()
        if admin is None:
            print(f"-- PostgreSQL: not reachable at {PG_URL}; skipped")
        else:
            var_dir = Path(tempfile.mkdtemp(prefix="guwen-bench-intake-"))
            base = PG_URL.rsplit("/", 1)[0]
            try:
                admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{PG_DB}"')
                results.append(run_one("PostgreSQL", f"{base}/{PG_DB}", var_dir))
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
                admin.close()
                shutil.rmtree(var_dir, ignore_errors=True)
    print("intake targets met" if results and all(results) else "intake targets NOT met (see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
