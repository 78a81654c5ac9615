"""The dashboard's sections: a registry of functions, each turning a scope (a region) and a period
into headline figures, charts and tables. The dashboard page, the summary API and the quarterly
work summary all read the same sections, so a figure is computed once.

A module's figures plug in by adding a builder to ``guwen/reports/figures/`` and registering it
there with ``@section(...)``: reports sits at the top of the app stack and reads every module
through its selectors, so the modules never import reports. Subsidy settled and paid (以案定补) and
ratings and appraisal grades (考核) join the same way, as ``figures/subsidy.py`` and
``figures/evaluation.py``, listed in ``figures/__init__.py``.

Every number carries the address of the records behind it (the owning module's list page with its
filters), so each figure drills down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from guwen.consultations.overview import Period
from guwen.regions.models import Region

Number = int | Decimal | None


@dataclass(frozen=True)
class Figure:
    """A headline number with the address of the records it counts."""

    label: str
    value: Number
    url: str = ""
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """Labels and one or more series of numbers, drawn by ECharts; ``urls`` give each label's
    records (same order as ``labels``)."""

    key: str
    title: str
    kind: str  # "bar", "pie" or "line"
    labels: list[str]
    series: list[tuple[str, list[Number]]]
    urls: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, list[Number], str]]:
        """The chart as table rows (label, values, address), for the table under the chart."""
        urls = self.urls or [""] * len(self.labels)
        return [
            (label, [values[i] for _name, values in self.series], urls[i])
            for i, label in enumerate(self.labels)
        ]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "labels": self.labels,
            "series": [{"name": name, "data": [_plain(v) for v in values]} for name, values in self.series],
            "urls": self.urls,
        }


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list]  # cells: a value, or (value, url)


@dataclass
class SectionData:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    order: int
    build: Callable[[Region, Period], SectionData]


@dataclass(frozen=True)
class Built:
    section: Section
    data: SectionData


_sections: dict[str, Section] = {}


def section(name: str, title: str, order: int):
    """Register a builder as a dashboard section (replacing one of the same name)."""

    def register(build: Callable[[Region, Period], SectionData]):
        _sections[name] = Section(name, title, order, build)
        return build

    return register


def registered() -> list[Section]:
    from guwen.reports import figures  # noqa: F401  (registers the builders)

    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def build_all(region: Region, period: Period) -> list[Built]:
    return [Built(s, s.build(region, period)) for s in registered()]


def _plain(value: Number):
    if isinstance(value, Decimal):
        return float(value)
    return value


def summary_json(region: Region, period: Period, built: list[Built]) -> dict:
    """The dashboard as JSON: the numbers the charts draw, section by section."""
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
        "sections": [
            {
                "name": b.section.name,
                "title": str(b.section.title),
                "figures": [
                    {"label": f.label, "value": _plain(f.value), "unit": f.unit, "url": f.url}
                    for f in b.data.figures
                ],
                "charts": [c.as_json() for c in b.data.charts],
            }
            for b in built
        ],
    }
