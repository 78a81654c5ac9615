"""Knowledge search latency and triage throughput, each beside a baseline measured in the same run.

Search: 20,000 synthetic answered questions (statute phrases recombined with everyday templates)
plus every shipped article, on one database. Compared: the bare full-text lookup (no ranking, no
synonyms) against the ranked search with synonyms, and the whole search the page runs (citations,
articles, answered questions). Triage: questions per second on one core, batched and one by one,
and the memory the loaded model takes. Reads ../shared/data/consultations/train.jsonl for real
questions when it is there (never copied); otherwise the synthetic ones.

Run: `.venv/bin/python benchmarks/bench_knowledge.py` (throwaway SQLite under /tmp unless
DATABASE_URL is set; e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/guwen_bench).
"""

from __future__ import annotations

import os

# One core for triage: BLAS and OpenMP threads off before numpy loads.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from guwen.knowledge import services  # noqa: E402
from guwen.knowledge.models import AnsweredQuestion, Article, SearchEntry  # noqa: E402
from guwen.knowledge.search import search_entries  # noqa: E402
from guwen.knowledge.selectors import knowledge_search  # noqa: E402
from guwen.knowledge.taxonomy import TAXONOMY_V1  # noqa: E402

QUESTIONS = 20_000
QUERIES = 500
SEED = 20261128

OPENERS = ["请问", "律师你好，", "我想咨询一下，", "急！", "", "麻烦问下，", "我家里的情况是这样，", "求助："]
WHO = [
    "我老板",
    "公司",
    "房东",
    "邻居",
    "前夫",
    "包工头",
    "物业",
    "对方司机",
    "卖家",
    "医院",
    "村委",
    "我老公",
]
ASKS = [
    "怎么办？",
    "合法吗？",
    "能要求赔偿吗？",
    "该找哪个部门？",
    "要怎么起诉？",
    "我该怎么维权？",
    "需要准备什么证据？",
]
EVERYDAY = [
    "拖欠工资三个月",
    "不给工钱",
    "不签劳动合同",
    "要跟我分开",
    "把押金扣了",
    "装修太吵",
    "撞了我的电动车",
    "卖假货",
    "要拆我家房子",
    "不交社保",
    "在工地摔伤了",
    "借钱不还",
    "物业费乱涨",
    "孩子抚养费不给",
    "打人",
]


def phrases() -> list[str]:
    found = []
    for text in Article.objects.values_list("text", flat=True):
        for part in re.split(r"[，。；：、\n]", text):
            if 6 <= len(part) <= 22:
                found.append(part)
    return found


def synthetic_question(rng: random.Random, pool: list[str]) -> str:
    return (
        f"{rng.choice(OPENERS)}{rng.choice(WHO)}{rng.choice(EVERYDAY)}，"
        f"{rng.choice(pool)}，{rng.choice(pool) if rng.random() < 0.5 else ''}{rng.choice(ASKS)}"
    )


def setup() -> tuple[list[str], object]:
    call_command("migrate", verbosity=0)
    services.laws_import(by=None)
    pool = phrases()
    rng = random.Random(SEED)
    if AnsweredQuestion.objects.count() < QUESTIONS:
        AnsweredQuestion.objects.all().delete()
        AnsweredQuestion.objects.bulk_create(
            [
                AnsweredQuestion(
                    question=synthetic_question(rng, pool),
                    answer=f"{rng.choice(pool)}。{rng.choice(pool)}。",
                    category=rng.choice(TAXONOMY_V1),
                    source_ref=f"bench:{i}",
                    is_demo=True,
                )
                for i in range(QUESTIONS)
            ],
            batch_size=1000,
        )
        services.search_index_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_searchentry")
    from guwen.accounts.models import User
    from guwen.testing import make_user

    user = User.objects.filter(username="bench_advisor").first() or make_user("bench_advisor", "advisor")
    queries = [synthetic_question(random.Random(SEED + 1 + i), pool) for i in range(QUERIES)]
    return queries, user


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def timed(label: str, fn, queries: list[str]) -> float:
    for query in queries[:20]:
        fn(query)
    samples = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        samples.append((time.perf_counter() - start) * 1000)
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"  {label:<52} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   max {max(samples):7.2f} ms")
    return p95


def bench_search(queries: list[str], user) -> None:
    print(
        f"search on {connection.vendor}: {AnsweredQuestion.objects.count()} answered questions + "
        f"{Article.objects.count()} articles = {SearchEntry.objects.count()} index entries; "
        f"{len(queries)} queries"
    )
    timed(
        "baseline: bare FTS match, no ranking, no synonyms",
        lambda q: search_entries(q, limit=10, ranked=False, synonyms=False),
        queries,
    )
    timed("ranked (bm25 / ts_rank) + synonyms", lambda q: search_entries(q, limit=10), queries)
    timed(
        "ranked, answered questions only (suggestions)",
        lambda q: search_entries(q, kinds=("answered",), limit=5),
        queries,
    )
    p95 = timed(
        "whole page search: citations + articles + answered", lambda q: knowledge_search(user, q), queries
    )
    citations = ["劳动合同法第八十二条", "民法典1079条", "第82条", "《道路交通安全法》第七十六条"] * 25
    timed("citation queries (4 forms)", lambda q: knowledge_search(user, q), citations)
    print(f"  target p95 <= 30 ms for the whole search: {'met' if p95 <= 30 else 'NOT met'}")


def triage_questions() -> list[str]:
    shared = ROOT.parent / "shared" / "data" / "consultations" / "train.jsonl"
    if shared.exists():
        return [
            json.loads(line)["question"] for line in shared.read_text(encoding="utf-8").splitlines() if line
        ]
    return list(AnsweredQuestion.objects.values_list("question", flat=True)[:2000])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_triage() -> None:
    from guwen.knowledge import triage as triage_module

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
    questions = triage_questions()
    triage_module.forget_model()
    gc.collect()
    before = rss_mb()
    tracemalloc.start()
    artefact = triage_module.load_model()
    triage_module.triage_many(questions[:10])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = rss_mb()
    size = triage_module.MODEL_PATH.stat().st_size / 1024 / 1024
    print(f"triage model {artefact['meta']['model_version']} ({size:.1f} MB on disk), one core")
    print(
        f"  loaded model memory: RSS +{after - before:.1f} MB, "
        f"tracemalloc peak {peak / 1024 / 1024:.1f} MB (target <= 200 MB)"
    )
    n = len(questions)
    start = time.perf_counter()
    for offset in range(0, n, 512):
        triage_module.triage_many(questions[offset : offset + 512])
    batched = n / (time.perf_counter() - start)
    sample = questions[:300]
    start = time.perf_counter()
    for question in sample:
        triage_module.triage(question)
    single = len(sample) / (time.perf_counter() - start)
    from guwen.knowledge import urgency

    patterns = urgency.city_patterns()
    start = time.perf_counter()
    for question in sample:
        urgency.match_rules(urgency.prepare(question), patterns)
    rules = len(sample) / (time.perf_counter() - start)
    print(f"  baseline: urgency keyword rules alone           {rules:9.0f} questions/s")
    print(f"  triage, batches of 512 ({n} questions)          {batched:9.0f} questions/s (target >= 1,000)")
    print(
        f"  triage, one call per question                   {single:9.0f} questions/s "
        f"({1000 / single:.2f} ms each)"
    )


def main() -> None:
    queries, user = setup()
    bench_search(queries, user)
    bench_triage()


if __name__ == "__main__":
    main()
