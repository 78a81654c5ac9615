"""Build a synthetic city to measure on (guwen/demo/city.py): regions, firms, advisors and years of
work in every community, written in batches, deterministic by seed, resumable."""

import sys
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guwen.demo import city


def _bar(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    if done not in (1, total) and filled == int(width * (done - 1) / max(total, 1)):
        return  # redrawn only when the bar grows, so a log of the run stays short
    sys.stderr.write(f"\r生成中 [{'#' * filled}{'.' * (width - filled)}] {done}/{total} 个社区")
    sys.stderr.flush()


BEGAN = time.perf_counter()


def _stage(name: str) -> None:
    sys.stderr.write(f"\n全市汇总：{name} 已完成（{time.perf_counter() - BEGAN:.0f} 秒）")
    sys.stderr.flush()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError("日期格式应为 2026-11-30") from None


class Command(BaseCommand):
    help = "生成城市规模的模拟数据（区划、律所、顾问及各社区的工作记录），用于性能测量。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="记录量倍数（1 为深圳规模，测试用 0.01）"
        )
        parser.add_argument("--years", type=int, default=1, help="记录覆盖的年数（截至 --until）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子与截止日期生成相同数据")
        parser.add_argument("--communities", type=int, default=None, help="只生成 N 个社区（均匀分布于全市）")
        parser.add_argument("--until", type=_date, default=None, help="记录截止日期（默认今天）")
        parser.add_argument(
            "--workers", type=int, default=1, help="并行生成的进程数（各社区数据与进程数无关）"
        )
        parser.add_argument(
            "--divisions",
            type=Path,
            default=None,
            help="区划 CSV（默认 ../shared/data/divisions/shenzhen.csv，不存在时使用已有区划或生成）",
        )

    def handle(self, *args, scale, years, seed, communities, until, divisions, workers, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale 须在 0 与 10 之间")
        if not 1 <= years <= 5:
            raise CommandError("--years 须在 1 与 5 之间")
        if communities is not None and communities < 1:
            raise CommandError("--communities 至少为 1")
        if not 1 <= workers <= 16:
            raise CommandError("--workers 须在 1 与 16 之间")
        global BEGAN
        began = BEGAN = time.perf_counter()
        result = city.generate(
            city.Options(
                scale=scale,
                years=years,
                seed=seed,
                communities=communities,
                until=until,
                divisions=divisions or city.default_divisions(),
                workers=workers,
            ),
            progress=_bar,
            stage=_stage,
        )
        sys.stderr.write("\n")
        self.stdout.write(
            f"{result.communities} 个社区（新生成 {result.built}，已存在跳过 {result.skipped}），"
            f"{result.advisors} 名顾问，用时 {time.perf_counter() - began:.1f} 秒"
        )
        for label, n in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {n}")
