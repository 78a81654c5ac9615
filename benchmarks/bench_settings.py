"""Settings for benchmark servers: the project's settings plus a URLconf with the bare ceiling view."""

from guwen.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"

# One client address sends every request in the benchmark: keep the per-address intake limit in
# force (its counting is part of the cost being measured) but far above what the run can reach.
GUWEN_RATE_LIMITS = {"intake": f"{10**9}/h", "status": f"{10**9}/h"}
