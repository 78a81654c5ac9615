"""Urgency recall and precision on the project's own labelled messages, beside plain baselines
measured in the same run.

The labelled set is guwen/knowledge/data/urgency_labelled.jsonl (written for the project: urgent
messages of every kind in many phrasings, and normal ones including the harmless look-alikes 打官司,
打工, 打卡, 跳槽, 堵车 …). Compared, on the same messages:

- baseline: the old keyword list (the table's rows before the urgency kinds, migrations 0002 and
  0008), matched as plain substrings as the old code did;
- the district table as shipped (city-wide rows after migration 0012), over segmented text;
- the classifier alone, on held-out folds (stratified k-fold: each message is scored by a model
  that never saw it), and on one fixed held-out quarter;
- rules or classifier, as shipped: either raises urgency.

The rules were written with the labelled set in view, so their figures here are optimistic; the
classifier's are held out. Run: `.venv/bin/python benchmarks/bench_urgency.py` (throwaway SQLite
under /tmp unless DATABASE_URL is set; about a minute on one core: 15 classifier fits).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from guwen.consultations import rules  # noqa: E402
from guwen.knowledge import urgency  # noqa: E402

FOLDS = 5
SEED = 16
# The keyword rows the table held before the urgency kinds (migrations 0002 and 0008), verbatim.
OLD_KEYWORDS = (
    "家暴 家庭暴力 殴打 动手打 被打 打伤 砍人 持刀 拿刀 威胁要杀 要杀了 "
    "自杀 轻生 跳楼 不想活 寻死 割腕 喝农药 想死 活不下去 "
    "集体上访 群体上访 群体性 围堵 堵路 堵门 拉横幅 聚集起来 闹事 游行 "
    "打人 砍伤 动刀 杀人 杀了 要杀 弄死 打死 强奸 性侵 猥亵 绑架 非法拘禁 关起来 威胁 恐吓 "
    "报复 泼硫酸 纵火 放火 服毒 结束生命 一死了之 同归于尽 群体 聚集 静坐 罢工 集体讨薪 "
    "一起去闹 上街 维稳 强拆 正在拆 断水断电 锁门 赶出来 无家可归"
)
OLD_WORDS = tuple(OLD_KEYWORDS.split())
OLD_ARREARS = re.compile(
    r"(?=.*(拖欠|欠|没发|不发|未发|克扣|结不到).{0,12}(工资|工钱|薪水|薪资|血汗钱))"
    r"(?=.*(\d{2,}|[十百千几两]+|好多|很多|多名|全体|集体|一群|大批|所有|全部).{0,4}"
    r"(工人|员工|工友|农民工|师傅|同事|人))",
    re.DOTALL,
)


def old_rules(text: str) -> bool:
    squeezed = re.sub(r"\s+", "", text)
    return any(word in squeezed for word in OLD_WORDS) or bool(OLD_ARREARS.search(squeezed))


def scores(truth: list[bool], predicted: list[bool]) -> tuple[float, float, int, int]:
    hits = sum(t and p for t, p in zip(truth, predicted, strict=True))
    alarms = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    urgent, flagged = sum(truth), sum(predicted)
    return hits / urgent if urgent else 0.0, hits / flagged if flagged else 0.0, urgent - hits, alarms


def line(label: str, truth: list[bool], predicted: list[bool]) -> None:
    recall, precision, missed, alarms = scores(truth, predicted)
    print(
        f"  {label:<44} recall {recall:5.3f}  precision {precision:5.3f}  "
        f"missed {missed:3d}  false alarms {alarms:3d}"
    )


def held_out_signals(texts: list[str], kinds: list[str], folds: int, threshold: float) -> list[bool]:
    """Each message scored by a model fitted on the other folds (stratified by kind)."""
    from sklearn.model_selection import StratifiedKFold

    urgent = [False] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(texts, kinds):
        model = urgency.fit([texts[i] for i in train], [kinds[i] for i in train])
        signals = urgency.model_signals([texts[i] for i in test], model=model, urgent_below=threshold)
        for i, signal in zip(test, signals, strict=True):
            urgent[i] = signal.urgent
    return urgent


def quarter_split(texts: list[str], kinds: list[str], threshold: float) -> tuple[list[bool], list[bool]]:
    """One fixed held-out quarter (every fourth message of each kind)."""
    seen: Counter[str] = Counter()
    test = []
    for i, kind in enumerate(kinds):
        seen[kind] += 1
        if seen[kind] % 4 == 0:
            test.append(i)
    held = set(test)
    train = [i for i in range(len(texts)) if i not in held]
    model = urgency.fit([texts[i] for i in train], [kinds[i] for i in train])
    signals = urgency.model_signals([texts[i] for i in test], model=model, urgent_below=threshold)
    return [kinds[i] != urgency.NORMAL for i in test], [signal.urgent for signal in signals], test


def main() -> None:
    call_command("migrate", verbosity=0)
    rows = urgency.load_labelled()
    texts, kinds = [row["text"] for row in rows], [row["kind"] for row in rows]
    truth = [kind != urgency.NORMAL for kind in kinds]
    count = Counter(kinds)
    print(
        f"labelled set: {len(rows)} messages, {sum(truth)} urgent in {len(count) - 1} kinds, "
        f"{count[urgency.NORMAL]} normal"
    )
    patterns = rules.city_patterns()
    start = time.perf_counter()
    by_rules = [urgency.match_rules(urgency.prepare(text), patterns) is not None for text in texts]
    rule_ms = (time.perf_counter() - start) * 1000 / len(texts)
    by_old = [old_rules(text) for text in texts]

    print(f"\nall {len(rows)} messages (rules are not held out: they were written with this set in view)")
    line("baseline: old keyword list", truth, by_old)
    line(f"district table as shipped ({len(patterns)} city-wide rules)", truth, by_rules)

    print(f"\nclassifier on held-out folds ({FOLDS}-fold, stratified): urgent when P(normal) < threshold")
    start = time.perf_counter()
    chosen = None
    for threshold in (0.4, urgency.URGENT_BELOW, 0.6):
        by_model = held_out_signals(texts, kinds, FOLDS, threshold)
        either = [a or b for a, b in zip(by_model, by_rules, strict=True)]
        line(f"classifier alone, threshold {threshold:.2f}", truth, by_model)
        line(f"rules or classifier, threshold {threshold:.2f}", truth, either)
        if threshold == urgency.URGENT_BELOW:
            chosen = (by_model, either)
    fit_s = (time.perf_counter() - start) / (3 * FOLDS)

    print(f"\nshipped threshold {urgency.URGENT_BELOW:.2f}, by kind (recall; held-out classifier)")
    by_model, either = chosen
    for kind in sorted(count):
        if kind == urgency.NORMAL:
            continue
        idx = [i for i, k in enumerate(kinds) if k == kind]
        old = sum(by_old[i] for i in idx) / len(idx)
        ruled = sum(by_rules[i] for i in idx) / len(idx)
        model = sum(by_model[i] for i in idx) / len(idx)
        both = sum(either[i] for i in idx) / len(idx)
        print(
            f"  {urgency.kind_label(kind):<10} n={len(idx):3d}  old {old:4.2f}  rules {ruled:4.2f}  "
            f"classifier {model:4.2f}  either {both:4.2f}"
        )
    normal = [i for i, k in enumerate(kinds) if k == urgency.NORMAL]
    alarms = [texts[i] for i in normal if either[i]]
    print(f"  normal messages flagged: {len(alarms)} of {len(normal)}")
    for text in alarms:
        print(f"    - {text}")
    missed = [texts[i] for i in range(len(texts)) if truth[i] and not either[i]]
    print(f"  urgent messages missed: {len(missed)}")
    for text in missed:
        print(f"    - {text}")

    truth_q, model_q, test = quarter_split(texts, kinds, urgency.URGENT_BELOW)
    rules_q = [by_rules[i] for i in test]
    print(f"\nfixed held-out quarter ({len(test)} messages; classifier fitted on the other three quarters)")
    line("baseline: old keyword list", truth_q, [by_old[i] for i in test])
    line("classifier alone", truth_q, model_q)
    line("rules or classifier (as shipped)", truth_q, [a or b for a, b in zip(model_q, rules_q, strict=True)])
    print(f"\ncost: rules {rule_ms:.2f} ms per message; one classifier fit {fit_s:.2f} s on one core")
    met = "met" if scores(truth, either)[0] >= 0.95 else "NOT met"
    print(f"target recall >= 0.95 on held-out folds (rules or classifier): {met}")


if __name__ == "__main__":
    main()
