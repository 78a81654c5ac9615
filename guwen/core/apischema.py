"""The API's refusal body, the status codes an operation declares with it, and the text type its
inputs use.

Every operation lists each code it can answer (``response={200: X, **refusals(401, 404, 422)}``), so
the OpenAPI schema is a contract a client, and the fuzzer in guwen/tests/test_api_fuzz.py, can hold
the API to: invalid input 422, no session 401, role or CSRF refused 403, out of scope 404, a state
that does not allow it 409, throttled 429.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, ValidationInfo

from guwen.core.validators import plain_text


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    code: str | None = None  # the service's refusal code, e.g. confirm_check_out: what to do next
    errors: list[FieldErrorOut] | None = None


def refusals(*codes: int) -> dict[int, type[ErrorOut]]:
    """The refusal codes an operation can answer, each with the error body."""
    return dict.fromkeys(codes, ErrorOut)


def _plain(value: str, info: ValidationInfo) -> str:
    return plain_text(value, field=info.field_name or "")


# Text a client sends in a query, path or body field: bidirectional controls removed, other control
# characters (NUL among them, which PostgreSQL refuses in text) refused with 422 on the field.
PlainStr = Annotated[str, AfterValidator(_plain)]
