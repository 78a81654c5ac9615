"""Panels of the signed-in home page (工作台) that the modules above accounts contribute.

accounts sits below consultations and duty, so it cannot ask them what a user has to do today.
Each module registers its panel in ``AppConfig.ready()``; the home page renders, in order, every
panel that has something for the user. A panel is a function of the request that returns the
context for its own template, or None when it has nothing to show (a role without the module
sees nothing of it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    build: Callable[[HttpRequest], dict[str, Any] | None]
    stylesheets: tuple[str, ...] = ()  # static paths the template's markup needs


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add or replace (by name) a panel; registering twice is harmless."""
    _panels[panel.name] = panel


@dataclass(frozen=True)
class Shown:
    html: list[SafeString]
    stylesheets: list[str]


def panels_for(request: HttpRequest) -> Shown:
    """The panels with something for this user, rendered in order, and their stylesheets."""
    html: list[SafeString] = []
    stylesheets: list[str] = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.build(request)
        if context is not None:
            html.append(render_to_string(panel.template, context, request=request))
            stylesheets.extend(path for path in panel.stylesheets if path not in stylesheets)
    return Shown(html, stylesheets)
