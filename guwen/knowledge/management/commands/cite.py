"""python manage.py cite INPUT.jsonl

Reads JSON lines with at least ``question`` (and usually ``id``) and writes each line to standard
output with ``articles`` added: the five articles the answer box would suggest, best first, each as
``{"law": "<full official title>", "article": <number>}``; every other field is kept. A line that
is not JSON, not an object, or has no text ``question`` is written as ``{"line": N, "error": "…"}``
(plus the object's fields when it was one), the message also goes to standard error, and the exit
status is 1. The statutes are imported first when the database lacks any of the shipped ones.

An article of an earlier text is printed by its number in that text, as the published answers cite
it: 治安管理处罚法 第四十三条 (殴打他人) is the 2012 article, 第五十一条 of the 2025 text (the
answer box shows both numbers; citing.current_equivalents).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge import selectors, services
from guwen.knowledge.management.questionlines import parse_line, read_input
from guwen.knowledge.models import Law
from guwen.knowledge.statutes import StatuteFormatError, read_laws
from guwen.knowledge.triage import categories_many

SHOWN = 5
BATCH = 256


class Command(BaseCommand):
    help = "为 JSON 行文件中的每个问题加上 articles（答复框建议的五个条文，最相关的在前）后输出到标准输出。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON 行文件，每行至少含 question；- 表示标准输入")

    _laws_checked = False

    def handle(self, *args, **options):
        raw = read_input(options["path"])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.stderr.write("警告：输入不是 UTF-8 编码，无法解码的字节已替换为 �")
            text = raw.decode("utf-8", errors="replace")
        failures = 0
        pending: list[dict] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            row, error = parse_line(line)
            if error:
                failures += 1
                self.stderr.write(f"第 {number} 行：{error}")
                self._flush(pending)
                pending = []
                out = dict(row) if isinstance(row, dict) else {}
                out.update({"line": number, "error": error})
                self.stdout.write(json.dumps(out, ensure_ascii=False))
                continue
            pending.append(row)
            if len(pending) >= BATCH:
                self._flush(pending)
                pending = []
        self._flush(pending)
        if failures:
            sys.exit(1)

    def _ensure_laws(self) -> None:
        if self._laws_checked:
            return
        self._laws_checked = True
        try:
            shipped = {law.code for law in read_laws()}
        except (StatuteFormatError, OSError) as exc:
            raise CommandError(f"法律法规读取失败：{exc}") from exc
        if shipped - set(Law.objects.values_list("code", flat=True)):
            self.stderr.write("数据库缺少随应用附带的法律法规，先导入（同 manage.py import_laws）")
            services.laws_import(by=None)

    def _flush(self, pending: list[dict]) -> None:
        if not pending:
            return
        self._ensure_laws()
        # The category as the answer box reads it (triage's TF-IDF half), so both rank alike.
        found = categories_many([row["question"] for row in pending], fast=True)
        for row, categories in zip(pending, found, strict=True):
            articles = selectors.likely_articles(row["question"], SHOWN, categories=categories)
            out = dict(row)
            out["articles"] = [{"law": article.law.title, "article": article.number} for article in articles]
            self.stdout.write(json.dumps(out, ensure_ascii=False))
