"""The emergency numbers an urgent question's receipt shows before anything else, and the plain
text a district edits them in: one line per number, the number then its name ("110 报警")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.core.errors import DomainError


@dataclass(frozen=True)
class Line:
    number: str
    label: str


# The national numbers every district starts with. 12356 is the national psychological assistance
# line (全国统一心理援助热线, since 2025); 12345 (政务服务便民热线) a district can add.
DEFAULT_LINES = (
    Line("110", gettext_lazy("报警")),
    Line("120", gettext_lazy("急救")),
    Line("12338", gettext_lazy("妇女维权")),
    Line("12356", gettext_lazy("心理援助热线")),
    Line("12348", gettext_lazy("公共法律服务热线")),
)

LINES_MAX = 8
LABEL_MAX = 20
NUMBER_RE = re.compile(r"[0-9][0-9-]{1,18}[0-9]")
# The number, then a space (half- or full-width), a colon or a comma, then the name.
LINE_RE = re.compile(r"^\s*(?P<number>\S+?)\s*[\s:：、,，]\s*(?P<label>.+?)\s*$")


def parse_lines(text: str) -> list[Line]:
    """The lines of the district's text, or DomainError (field ``lines``) naming the line at fault.
    Blank lines are skipped; an empty text means "back to the defaults" and returns []."""
    lines: list[Line] = []
    seen: set[str] = set()
    for index, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        match = LINE_RE.match(raw)
        if match is None:
            raise DomainError(_("第 %(n)d 行：请写成“号码 名称”，如“110 报警”") % {"n": index}, field="lines")
        number, label = match["number"], match["label"]
        if not NUMBER_RE.fullmatch(number):
            raise DomainError(
                _("第 %(n)d 行：号码只能是 3 到 20 位数字（可含短横线）") % {"n": index}, field="lines"
            )
        if len(label) > LABEL_MAX or any(ord(ch) < 32 for ch in label):
            raise DomainError(
                _("第 %(n)d 行：名称最多 %(max)d 个字") % {"n": index, "max": LABEL_MAX}, field="lines"
            )
        if number in seen:
            raise DomainError(
                _("第 %(n)d 行：号码 %(number)s 重复了") % {"n": index, "number": number}, field="lines"
            )
        seen.add(number)
        lines.append(Line(number, label))
        if len(lines) > LINES_MAX:
            raise DomainError(_("最多 %(max)d 个号码") % {"max": LINES_MAX}, field="lines")
    return lines


def as_text(lines) -> str:
    return "\n".join(f"{line.number} {line.label}" for line in lines)


def from_json(rows: list) -> list[Line]:
    return [Line(str(row["number"]), str(row["label"])) for row in rows or []]


def to_json(lines: list[Line]) -> list[dict]:
    return [{"number": line.number, "label": line.label} for line in lines]
