"""JSON API of consultations (mounted under /api/v1/ by guwen/api.py).

Public, no session: ``POST /consultations`` (intake, with an ``Idempotency-Key`` header) and
``POST /hooks/group-message/{community_code}`` (a group-chat robot, HMAC-signed). The rest is for
signed-in staff, scoped by ``consultations_visible_to``.
"""

# No `from __future__ import annotations` here: ninja's @paginate resolves a paginated view's
# annotations in its own module, where PlainStr as a string would be unknown.

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from guwen.consultations import selectors, services
from guwen.consultations.forms import WAITED_DAYS_ERROR, WAITED_DAYS_MAX
from guwen.consultations.models import Channel, Consultation
from guwen.consultations.workflow import is_open
from guwen.core.apischema import PlainStr, refusals
from guwen.core.errors import DomainError
from guwen.core.ratelimit import retry_after
from guwen.core.workflow import TransitionNotAllowed

router = Router(tags=["consultations"])

API_CHANNELS = {Channel.API, Channel.HOTLINE}


class IntakeIn(Schema):
    community_code: PlainStr = Field(description="社区 12 位统计用区划代码", examples=["440307012002"])
    phone: PlainStr = Field(description="居民手机号（11 位）")
    text: PlainStr = Field(description="问题，10–2000 字")
    resident_name: PlainStr = Field("", description="称呼，可不填")
    channel: PlainStr = Field("api", description="api（默认）或 hotline（热线转入）")
    privacy_consent: bool = Field(description="居民已同意隐私说明；必须为 true")
    hotline_ref: PlainStr = Field("", description="热线工单号（热线转入时）", max_length=40)


class IntakeOut(Schema):
    receipt_code: str = Field(description="回执码：居民凭手机号和回执码查询答复")
    status: str
    level: str
    urgency: str
    due_at: datetime | None = Field(description="首次答复期限")
    status_url: str


class ConsultationOut(Schema):
    id: int
    receipt_code: str
    community_code: str
    channel: str
    status: str
    level: str
    urgency: str
    category: str
    phone_masked: str
    owner: str | None
    due_at: datetime | None = Field(description="当前层级的答复期限（升级或追问后重新计时）")
    first_due_at: datetime | None = Field(description="首次答复期限：受理时给出的期限，升级不改变")
    overdue: bool = Field(description="已超时：超过当前层级期限，或从未答复且超过首次答复期限")
    past_first_deadline: bool = Field(description="从未答复且已超过首次答复期限")
    waited_minutes: int | None = Field(
        description="居民提问至今的分钟数（未答复或待居民补充时）；已答复或办结时为空"
    )
    created_at: datetime
    summary: str

    @staticmethod
    def resolve_community_code(obj: Consultation) -> str:
        return obj.community.code

    @staticmethod
    def resolve_owner(obj: Consultation) -> str | None:
        return str(obj.owner) if obj.owner_id else None

    @staticmethod
    def resolve_overdue(obj: Consultation) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_past_first_deadline(obj: Consultation) -> bool:
        return obj.is_past_first_deadline

    @staticmethod
    def resolve_waited_minutes(obj: Consultation) -> int | None:
        return selectors.minutes_waited(obj)

    @staticmethod
    def resolve_summary(obj: Consultation) -> str:
        return obj.text[:60]


class MessageOut(Schema):
    author: str
    kind: str
    body: str
    created_at: datetime


class ConsultationDetailOut(ConsultationOut):
    text: str
    resident_name: str
    messages: list[MessageOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_messages(obj: Consultation) -> list:
        return list(obj.messages.all())


# An action on a consultation: its detail, or no session, role or CSRF, out of scope, state, input.
ACTION_RESPONSES = {200: ConsultationDetailOut, **refusals(401, 403, 404, 409, 422)}


class ReplyIn(Schema):
    body: PlainStr


class EscalateIn(Schema):
    reason: PlainStr


def _status_url(consultation: Consultation) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _community_status_url(consultation.community.code, urlconf, get_script_prefix())


@lru_cache(maxsize=4096)
def _community_status_url(code: str, urlconf: str, prefix: str) -> str:
    """The resident's status page of a community: the same for every question it receives."""
    return reverse("consultations:public_status", args=[code], urlconf=urlconf)


def _intake_out(consultation: Consultation) -> dict:
    return {
        "receipt_code": consultation.receipt_code,
        "status": consultation.status,
        "level": consultation.level,
        "urgency": consultation.urgency,
        "due_at": timezone.localtime(consultation.due_at)
        if consultation.due_at and is_open(consultation.status)
        else None,
        "status_url": _status_url(consultation),
    }


@router.post(
    "/consultations",
    auth=None,
    response={201: IntakeOut, 200: IntakeOut, **refusals(404, 409, 422, 429)},
    summary="提交法律咨询（公开，无需登录）",
    description=(
        "与扫码提问页面相同的受理流程。必须带 `Idempotency-Key` 请求头"
        "（1–64 个可见字符，不含空格，每个问题一个）："
        "键与请求内容绑定，同一键、同一内容重试时返回第一次的结果（200），不会产生第二条记录；"
        "同一键、不同内容返回 422，不保存。与扫码提问页面共用按客户端地址的限流规则，"
        "超限返回 429 并带 `Retry-After`（秒）。"
    ),
)
def create_consultation(
    request: HttpRequest,
    response: HttpResponse,
    payload: IntakeIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        description=(
            "客户端为每个问题生成的幂等键：1–64 个可见字符，不含空格或控制字符；重试时原样重发同一内容"
        ),
    ),
):
    if wait := retry_after(request, "intake"):
        response["Retry-After"] = str(wait)
        return Status(429, {"detail": _("提交过于频繁，请 %(n)d 秒后再试") % {"n": wait}})
    if payload.channel not in API_CHANNELS:
        raise DomainError(_("渠道只能是 api 或 hotline"), field="channel")
    result = services.consultation_submit(
        community=services.community_by_code(payload.community_code),
        channel=payload.channel,
        text=payload.text,
        phone=payload.phone,
        resident_name=payload.resident_name,
        consent=payload.privacy_consent,
        idempotency_key=idempotency_key,
        source={"hotline_ref": payload.hotline_ref} if payload.hotline_ref else None,
    )
    return Status(201 if result.created else 200, _intake_out(result.consultation))


@router.post(
    "/hooks/group-message/{community_code}",
    auth=None,
    response={201: IntakeOut, 200: IntakeOut, **refusals(401, 404, 409, 422)},
    summary="群聊机器人消息转咨询（签名验证）",
    description=(
        '请求体为 JSON：`{"timestamp": <与 X-Guwen-Timestamp 相同>, "text": "…", "sender_name": "…", '
        '"group_name": "…", "message_id": "…", "sender_phone": "（可选）"}`。'
        "`X-Guwen-Signature: sha256=<用社区密钥对原始请求体做 HMAC-SHA256 的十六进制>`；"
        "时间戳超过 5 分钟或签名重复使用时拒绝。"
    ),
)
def group_message(
    request: HttpRequest,
    community_code: PlainStr,
    x_guwen_signature: str = Header("", alias="X-Guwen-Signature"),
    x_guwen_timestamp: str = Header("", alias="X-Guwen-Timestamp"),
):
    try:
        result = services.group_message_receive(
            community_code=community_code,
            body=request.body,
            signature=x_guwen_signature,
            timestamp=x_guwen_timestamp,
        )
    except services.SignatureRefused as exc:
        return Status(401, {"detail": str(exc.message), "field": exc.field})
    return Status(201 if result.created else 200, _intake_out(result.consultation))


@router.get(
    "/consultations",
    response={200: list[ConsultationOut], **refusals(401, 422)},
    summary="我可见的咨询",
    description="`waited_days=N`：只列居民提问超过 N 天（1–365）仍未答复或办结的咨询。",
)
@paginate
def list_consultations(
    request,
    status: PlainStr | None = None,
    level: PlainStr | None = None,
    tab: PlainStr | None = None,
    waited_days: int | None = None,
):
    if waited_days is not None and not 1 <= waited_days <= WAITED_DAYS_MAX:
        raise DomainError(WAITED_DAYS_ERROR, field="waited_days")
    rows = selectors.consultations_visible_to(request.user)
    if tab:
        rows = selectors.inbox(rows, request.user, tab=tab)
    if status:
        rows = rows.filter(status=status)
    if level:
        rows = rows.filter(level=level)
    if waited_days is not None:
        rows = rows.filter(selectors.waited_condition(waited_days, timezone.now()))
    return rows.select_related("community", "owner").order_by("-created_at", "-id")


def _get(request, consultation_id: int) -> Consultation:
    return get_object_or_404(
        selectors.consultations_visible_to(request.user).select_related("community", "owner"),
        pk=consultation_id,
    )


def _forbidden(exc: TransitionNotAllowed) -> HttpError:
    return HttpError(403 if exc.code == "forbidden_role" else 409, str(exc.message))


def _detail(request, consultation: Consultation) -> dict:
    from guwen.consultations.workflow import allowed_actions

    consultation.allowed_actions = allowed_actions(consultation, request.user)
    return consultation


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, **refusals(401, 404, 422)},
    summary="咨询详情（读取留痕）",
)
def get_consultation(request, consultation_id: int):
    consultation = _get(request, consultation_id)
    services.consultation_record_read(consultation=consultation, by=request.user, request=request)
    return _detail(request, consultation)


@router.post("/consultations/{consultation_id}/reply", response=ACTION_RESPONSES, summary="答复居民")
def reply_consultation(request, consultation_id: int, payload: ReplyIn):
    consultation = _get(request, consultation_id)
    try:
        services.consultation_reply(consultation=consultation, body=payload.body, by=request.user)
    except TransitionNotAllowed as exc:
        raise _forbidden(exc) from None
    return _detail(request, consultation)


@router.post("/consultations/{consultation_id}/claim", response=ACTION_RESPONSES, summary="从咨询池认领")
def claim_consultation(request, consultation_id: int):
    consultation = _get(request, consultation_id)
    try:
        services.consultation_claim(consultation=consultation, by=request.user)
    except TransitionNotAllowed as exc:
        raise _forbidden(exc) from None
    return _detail(request, consultation)


@router.post("/consultations/{consultation_id}/escalate", response=ACTION_RESPONSES, summary="提交上级")
def escalate_consultation(request, consultation_id: int, payload: EscalateIn):
    consultation = _get(request, consultation_id)
    try:
        services.consultation_escalate(consultation=consultation, reason=payload.reason, by=request.user)
    except TransitionNotAllowed as exc:
        raise _forbidden(exc) from None
    return _detail(request, consultation)
