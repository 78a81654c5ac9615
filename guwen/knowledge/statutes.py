"""Reading the shipped statute Markdown (LawRefBook layout) into articles.

Layout: ``# title``, adoption history, ``<!-- INFO END -->``, then ``##``… headings for parts
(编), chapters (章) and sections (节), and one paragraph per article start ``第X条 ``; further
paragraphs of an article follow as separate paragraphs.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from guwen.knowledge.text import DATA_DIR, cn_to_int, squash_spaces

LAWS_DIR = DATA_DIR / "laws"
INFO_END = "<!-- INFO END -->"

_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*$")
_ARTICLE = re.compile(
    r"^第([零〇一二两三四五六七八九十百千万\d]+)条(?:之([一二三四五六七八九十]+))?[\s\u3000]+(.*)$"
)
_CHAPTER = re.compile(r"^第[零〇一二三四五六七八九十百\d]+章")
_SECTION = re.compile(r"^第[零〇一二三四五六七八九十百\d]+节")


class StatuteFormatError(ValueError):
    """A statute file that does not follow the layout; the message names the file and line."""


@dataclass
class ParsedArticle:
    number: int
    label: str
    part: str
    chapter: str
    section: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    code: str
    title: str
    short_title: str
    aliases: list[str]
    version_date: date
    effective_date: date
    source_file: str
    sort: int
    articles: list[ParsedArticle]


def _heading_text(raw: str) -> str:
    # "第一章  总  则" → "第一章 总则": the source pads short headings with spaces.
    text = squash_spaces(raw.replace("\u3000", " "))
    head, _, rest = text.partition(" ")
    if rest and (_CHAPTER.match(head) or _SECTION.match(head) or head.endswith("编")):
        return f"{head} {rest.replace(' ', '')}"
    return text.replace(" ", "") if len(text) <= 8 else text


def parse_markdown(text: str, *, source: str = "") -> tuple[str, list[ParsedArticle]]:
    """The law's title and its articles in order. Raises StatuteFormatError on a broken file."""
    lines = text.splitlines()
    title = ""
    for line in lines:
        if line.startswith("# "):
            title = line[2:].strip()
            break
    if not title:
        raise StatuteFormatError(f"{source}: no '# title' line")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == INFO_END) + 1
    except StopIteration:
        start = next((i for i, line in enumerate(lines) if line.startswith("#") and i > 0), 1)
    part = chapter = section = ""
    articles: list[ParsedArticle] = []
    seen: set[int] = set()
    for line_no, raw in enumerate(lines[start:], start=start + 1):
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            name = _heading_text(heading.group(2))
            if _SECTION.match(name):
                section = name
            elif _CHAPTER.match(name):
                chapter, section = name, ""
            elif len(heading.group(1)) == 1:
                continue
            elif "分编" in name:
                part = f"{part.split(' · ')[0]} · {name}" if part else name
                chapter = section = ""
            else:
                part, chapter, section = name, "", ""
            continue
        match = _ARTICLE.match(line)
        if match:
            number = cn_to_int(match.group(1))
            if number is None:
                raise StatuteFormatError(f"{source}:{line_no}: bad article number {match.group(1)!r}")
            if match.group(2):  # 第X条之一: kept with the article it extends
                if articles:
                    articles[-1].paragraphs.append(line)
                continue
            if number in seen:
                raise StatuteFormatError(f"{source}:{line_no}: article {number} appears twice")
            seen.add(number)
            label = line[: match.start(3)].strip() if match.group(3) else line.split()[0]
            articles.append(
                ParsedArticle(number, squash_spaces(label), part, chapter, section, [match.group(3).strip()])
            )
        elif articles:
            articles[-1].paragraphs.append(line)
    return title, articles


def _aliases() -> dict[str, tuple[str, list[str]]]:
    path = LAWS_DIR / "aliases.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["file"]: (row["short_title"], row["aliases"].split()) for row in csv.DictReader(handle)}


def _short_title(title: str) -> str:
    return title.removeprefix("中华人民共和国")


def read_laws(directory: Path | None = None, files: list[str] | None = None) -> list[ParsedLaw]:
    """Every law listed in ``manifest.csv`` of ``directory`` (default: the shipped copy)."""
    directory = directory or LAWS_DIR
    manifest = directory / "manifest.csv"
    if not manifest.exists():
        raise StatuteFormatError(f"{manifest}: not found")
    aliases = _aliases()
    laws = []
    with manifest.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for sort, row in enumerate(rows, start=1):
        name = row["file"]
        if files is not None and name not in files:
            continue
        path = directory / name
        title, articles = parse_markdown(path.read_text(encoding="utf-8"), source=name)
        short, alias_list = aliases.get(name, (_short_title(title), [_short_title(title)]))
        laws.append(
            ParsedLaw(
                code=Path(name).stem.replace("_", "-"),
                title=title,
                short_title=short,
                aliases=alias_list,
                version_date=date.fromisoformat(row["version_date"]),
                effective_date=date.fromisoformat(row["effective_date"]),
                source_file=name,
                sort=sort,
                articles=articles,
            )
        )
    return laws
