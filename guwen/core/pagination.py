"""The API's one pagination: ``limit`` and ``offset`` with bounds, so that no value a client sends
can overflow the database's integers (an out-of-range value is refused with 422)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0–{MAX_OFFSET}")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
