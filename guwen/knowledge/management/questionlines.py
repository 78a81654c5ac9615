"""What the question-line commands (`triage`, `cite`) share: reading the input and one line of it."""

from __future__ import annotations

import json
import sys

from django.core.management.base import CommandError


def read_input(path: str) -> bytes:
    """The bytes of ``path``, or of standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"无法读取文件：{path}（{exc.strerror}）") from exc


def parse_line(line: str) -> tuple[dict | None, str]:
    """``(row, "")`` for a JSON object with a text ``question``, else the row (or None) and why not."""
    try:
        row = json.loads(line)
    except ValueError:
        return None, "不是有效的 JSON"
    if not isinstance(row, dict):
        return None, "应为 JSON 对象"
    if "question" not in row:
        return row, "缺少 question 字段"
    if not isinstance(row["question"], str):
        return row, "question 应为文本"
    return row, ""
