"""The JSON API (/api/v1/), django-ninja, OpenAPI 3 at /api/v1/openapi.json.

Errors are JSON with a Chinese ``detail`` and, where one field is at fault, its name in ``field``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from guwen.accounts.directory.api import router as regions_router
from guwen.accounts.scope import roles_of
from guwen.consultations.api import router as consultations_router
from guwen.core.apischema import refusals
from guwen.core.errors import DomainError, refusal_status
from guwen.core.validators import plain_data
from guwen.duty.api import router as duty_router
from guwen.evaluation.api import router as evaluation_router
from guwen.knowledge.api import router as knowledge_router
from guwen.mediation.api import router as mediation_router
from guwen.notifications.api import router as notifications_router
from guwen.outreach.api import router as outreach_router
from guwen.reports.api import router as reports_router
from guwen.subsidy.api import router as subsidy_router


class PlainTextParser(Parser):
    """Every string of every operation's JSON body, query string and form data, before the schema
    sees it: bidirectional controls removed, other control characters (NUL among them, which
    PostgreSQL refuses in text) refused with a Chinese 422 naming the field. One parser for the
    whole API, so that no schema's field can be forgotten."""

    def parse_body(self, request):
        return plain_data(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return plain_data(super().parse_querydict(data, list_fields, request))


api = NinjaAPI(
    title="顾问 Guwen API",
    version="1",
    description="社区法律顾问服务平台接口。登录会话认证；写操作需要 CSRF 令牌。",
    auth=django_auth,
    urls_namespace="api",
    parser=PlainTextParser(),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": str(exc.message)}
    if exc.field:
        body["field"] = exc.field
    if exc.code:
        body["code"] = exc.code
    return api.create_response(request, body, status=refusal_status(exc))


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(loc), "message": _chinese(error)})
    for error in errors:
        error["field"] = error["field"] or "body"  # the body as a whole: missing or of the wrong shape
    first = errors[0] if errors else {"field": "body", "message": _("请求数据不正确")}
    return api.create_response(
        request,
        {"detail": f"{first['field']}：{first['message']}", "field": first["field"], "errors": errors},
        status=422,
    )


def _chinese(error: dict) -> str:
    kind = error.get("type", "")
    return {
        "missing": _("必填"),
        "int_parsing": _("应为整数"),
        "date_from_datetime_parsing": _("应为日期（YYYY-MM-DD）"),
        "date_parsing": _("应为日期（YYYY-MM-DD）"),
        "string_type": _("应为文本"),
        "json_invalid": _("JSON 格式不正确"),
        "bool_parsing": _("应为 true 或 false"),
    }.get(kind, _("格式不正确"))


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("请先登录")}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """django-ninja's own refusals, in Chinese: a body that is not JSON is invalid input (422)."""
    message = str(exc)
    if isinstance(exc.__cause__, DomainError):  # the parser refused a string in the body
        return domain_error(request, exc.__cause__)
    if message.startswith("Cannot parse request body"):
        detail = _("请求体不是有效的 JSON：请以 UTF-8 编码的 JSON 发送（Content-Type: application/json）")
        return api.create_response(request, {"detail": detail, "field": "body"}, status=422)
    if message.startswith("CSRF check"):
        detail = _("CSRF 令牌缺失或不正确：请刷新页面后重试；接口调用请在 X-CSRFToken 请求头中带上令牌")
        return api.create_response(request, {"detail": detail}, status=403)
    generic = {401: _("请先登录"), 403: _("无权执行此操作"), 404: _("未找到"), 405: _("不支持该请求方法")}
    return api.create_response(
        request, {"detail": generic.get(exc.status_code, _("请求无法处理"))}, status=exc.status_code
    )


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]


@api.get("/me", response={200: MeOut, **refusals(401)}, tags=["accounts"])
def me(request):
    user = request.user
    return {"username": user.username, "display_name": str(user), "roles": sorted(roles_of(user))}


api.add_router("/", regions_router)
api.add_router("/", notifications_router)
api.add_router("/", knowledge_router)
api.add_router("/", duty_router)
api.add_router("/", consultations_router)
api.add_router("/", mediation_router)
api.add_router("/", outreach_router)
api.add_router("/", subsidy_router)
api.add_router("/", reports_router)
api.add_router("/", evaluation_router)
