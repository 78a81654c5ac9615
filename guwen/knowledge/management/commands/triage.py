"""python manage.py triage INPUT.jsonl

Reads JSON lines with at least ``question`` and writes each line to standard output with
``category``, ``category_top3`` (three values), ``urgency`` (normal / urgent) and ``urgency_reason``
(the kind of danger, such as 自伤风险; empty when normal) added, every other field kept. Urgency
comes from the city-wide rules of the district urgency table and the urgency classifier: either
may raise it. A line that is not JSON, not an object, or has no text ``question`` is still written, as
``{"line": N, "error": "…"}`` (plus the original object's fields when it was one), and the same
message goes to standard error; the exit status is 0 when every line was triaged, 1 otherwise.
A file that is not UTF-8 is read with replacement characters and said so on standard error.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge.management.questionlines import parse_line, read_input
from guwen.knowledge.triage import TriageModelError, load_model, triage_many

BATCH = 512


class Command(BaseCommand):
    help = (
        "为 JSON 行文件中的每个问题加上 category、category_top3、urgency 和 urgency_reason 后输出到标准输出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON 行文件，每行至少含 question；- 表示标准输入")

    def handle(self, *args, **options):
        try:
            load_model()
        except TriageModelError as exc:
            raise CommandError(str(exc)) from exc
        raw = read_input(options["path"])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.stderr.write("警告：输入不是 UTF-8 编码，无法解码的字节已替换为 �")
            text = raw.decode("utf-8", errors="replace")
        failures = 0
        pending: list[tuple[dict, str, object]] = []
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
            pending.append((row, row["question"], row.get("title")))
            if len(pending) >= BATCH:
                self._flush(pending)
                pending = []
        self._flush(pending)
        if failures:
            sys.exit(1)

    def _flush(self, pending) -> None:
        if not pending:
            return
        titles = [title if isinstance(title, str) else None for _, _, title in pending]
        results = triage_many([question for _, question, _ in pending], titles)
        for (row, _, _), result in zip(pending, results, strict=True):
            out = dict(row)
            out["category"] = result.category
            out["category_top3"] = result.category_top3
            out["urgency"] = result.urgency
            out["urgency_reason"] = result.urgency_reason
            self.stdout.write(json.dumps(out, ensure_ascii=False))
