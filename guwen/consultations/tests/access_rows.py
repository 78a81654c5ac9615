"""Access-matrix rows for every consultations route (work pages, public pages, API, webhook).

``setup`` files the consultations a row needs: ``a``/``b`` (new, owned by advisor A/B),
``a_done``/``b_done`` (answered), ``pool_a`` (unowned, in the street pool) and ``e`` (in another
district, out of everyone's scope but the system admin's). Actions run role after role on the same
record, so some expectations follow from what an earlier role did (noted on the row).
"""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from guwen.testing import ROLES, World, tiny_image
from guwen.tests.matrix import LOGGED_IN, Row, api_route, everyone, fixed, page

PNG = tiny_image("PNG")
QUESTION = "邻居装修天天打电钻到晚上十一点，物业不管，我可以怎么维权？"
HANDLERS = {"advisor_a": 200, "advisor_b": 200, "office": 200, "bureau": 200, "sysadmin": 200}
ONLY_SYSADMIN = {"sysadmin": 200}
_media_override = None


def _media_to_tmp() -> None:
    # Attachments written by these rows go to a throw-away directory, never var/media.
    global _media_override
    if _media_override is None:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="guwen-matrix-"))
        _media_override.enable()


def _ensure_taxonomy() -> None:
    # A browser test's transactional flush empties seeded tables; closing needs the categories.
    from guwen.knowledge.selectors import category_names

    if not category_names():
        from guwen.knowledge.models import TAXONOMY_V1, Category, CategoryVersion

        version = CategoryVersion.objects.create(
            number=1, effective_from=timezone.localdate() - timedelta(days=1)
        )
        Category.objects.bulk_create(
            Category(version=version, name=n, sort=i) for i, n in enumerate(TAXONOMY_V1)
        )


def booking_setup(w: World) -> None:
    """A booking in community A and one in community E, in shifts that have begun."""
    from datetime import timedelta

    from django.utils import timezone

    from guwen.duty.models import DutyShift
    from guwen.duty.services import booking_create
    from guwen.duty.tests.helpers import make_shift

    for key, community, lawyer, phone in [
        ("booking_a", w.community_a, w.lawyer_a, "13900003333"),
        ("booking_e", w.community_e, w.lawyer_e, "13900004444"),
    ]:
        shift = make_shift(w, starts_in=timedelta(hours=2), community=community, lawyer=lawyer)
        w.extras[key] = booking_create(shift=shift, name="李先生", phone=phone, topic="邻居漏水纠纷", by=None)
        DutyShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(minutes=5))


def setup(w: World) -> None:
    from guwen.consultations import conversions, services

    _media_to_tmp()
    _ensure_taxonomy()

    def ask(community, phone: str):
        return services.consultation_submit(
            community=community,
            channel="web",
            text=QUESTION,
            phone=phone,
            files=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
        ).consultation

    x = w.extras
    x["a"], x["b"] = ask(w.community_a, "13900000001"), ask(w.community_b, "13900000002")
    x["a_done"], x["b_done"] = ask(w.community_a, "13900000003"), ask(w.community_b, "13900000004")
    services.consultation_reply(consultation=x["a_done"], body="答复内容", by=w.user("advisor_a"))
    services.consultation_reply(consultation=x["b_done"], body="答复内容", by=w.user("advisor_b"))
    x["pool_a"] = ask(w.community_a, "13900000005")
    services.consultation_escalate(consultation=x["pool_a"], by=None, reason="测试", automatic=True)
    x["e"] = ask(w.community_e, "13900000006")
    x["channel"] = services.group_channel_ensure(community=w.community_a, by=None)
    from guwen.consultations.models import AdvisorAway

    now = timezone.now()
    for key, lawyer in (("away_a", w.lawyer_a), ("away_b", w.lawyer_b), ("away_e", w.lawyer_e)):
        x[key] = AdvisorAway.objects.create(
            lawyer=lawyer, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)
        )
    conversions.register(key="matrix-target", label="测试转办", handler=lambda **kw: "/")


def pick(kind: str):
    """The record of ``kind`` for the role (advisor B gets B's), or ``e`` out of scope."""

    def path_of(w: World, role: str, inside: bool):
        if not inside:
            return w.extras["e"]
        if role == "advisor_b" and kind in ("a", "a_done"):
            return w.extras[kind.replace("a", "b", 1)]
        return w.extras[kind]

    return path_of


def detail_path(kind: str, suffix: str = ""):
    get = pick(kind)
    return lambda w, role, inside: f"/consultations/{get(w, role, inside).pk}/{suffix}"


def api_path(kind: str, suffix: str = ""):
    get = pick(kind)
    return lambda w, role, inside: f"/api/v1/consultations/{get(w, role, inside).pk}{suffix}"


def with_others(status: dict[str, int], default: int = 404) -> dict[str, int]:
    return {**dict.fromkeys(LOGGED_IN, default), **status}


NOT_OWNER = {"office": 403, "bureau": 403, "sysadmin": 403}
MISSING_COMMUNITY = "440307999999"


def community_path(suffix: str):
    return lambda w, role, inside: f"/c/{w.community_a.code if inside else MISSING_COMMUNITY}/{suffix}"


def ask_body(w: World, role: str, inside: bool) -> dict:
    return {"text": QUESTION, "phone": "13700001234", "consent": "on", "key": f"matrix-{role}"}


def lookup_body(w: World, role: str, inside: bool) -> dict:
    return {"phone": "13900000001", "receipt_code": w.extras["a"].receipt_code}


def rate_path(w: World, role: str, inside: bool) -> str:
    from guwen.consultations.services import rating_path

    return rating_path(w.extras["a_done"]) if inside else "/c/rate/not-a-token"


def log_body(w: World, role: str, inside: bool) -> dict:
    community = w.community_b if role == "advisor_b" else w.community_a
    return {"channel": "phone", "community": community.code, "phone": "13700004321", "text": QUESTION}


def away_body(w: World, role: str, inside: bool) -> dict:
    start = timezone.localtime() + timedelta(days=3)
    return {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "开庭",
    }


def away_path(w: World, role: str, inside: bool) -> str:
    key = "away_b" if role == "advisor_b" else "away_a"
    return f"/consultations/away/{w.extras[key if inside else 'away_e'].pk}/end/"


def reassign_body(w: World, role: str, inside: bool) -> dict:
    return {"owner": w.user("advisor_b").pk, "reason": "调整"}


ADVISORS = {"advisor_a": 200, "advisor_b": 200}
PUBLIC_NOT_FOUND = everyone(404)


# --- the district's settings (its bureau and the system administrator) -----------------------------

MANAGERS = {"bureau": 302, "sysadmin": 302}


def settings_setup(w: World) -> None:
    """A keyword rule of each district, to stop."""
    from guwen.consultations.models import MatchKind, UrgencyRule

    for key, district in (("rule_in", w.district), ("rule_out", w.district2)):
        if key not in w.extras:
            w.extras[key] = UrgencyRule.objects.create(
                district=district, label="测试规则", kind=MatchKind.KEYWORDS, pattern="测试关键词"
            )


def settings_path(tail: str):
    def path(w: World, role: str, inside: bool) -> str:
        district = w.district if inside else w.district2
        rule = w.extras.get("rule_in" if inside else "rule_out")
        return f"/consultations/settings/{district.code}/" + tail.format(rule=rule.pk if rule else 0)

    return path


def robot_path(action: str):
    """Community A's robot under its own district; outside, community E's under district 2."""

    def path(w: World, role: str, inside: bool) -> str:
        district, community = (w.district, w.community_a) if inside else (w.district2, w.community_e)
        return f"/consultations/settings/{district.code}/robots/{community.code}/{action}/"

    return path


def robot_setup(w: World) -> None:
    from guwen.consultations.services import group_channel_ensure

    for community in (w.community_a, w.community_e):
        group_channel_ensure(community=community, by=None)


def deadline_body(w: World, role: str, inside: bool) -> dict:
    # Each role a date of its own, so that one role's version does not refuse the next one's.
    offset = 1 + sorted(ROLES).index(role)
    body = {"effective_from": (timezone.localdate() + timedelta(days=offset)).isoformat(), "note": ""}
    for level in ("community", "street", "district"):
        for urgency in ("normal", "urgent"):
            body[f"minutes_{level}_{urgency}"] = "120"
            body[f"schedule_{level}_{urgency}"] = "online"
    return body


ROWS: list[Row] = [
    # --- residents (anonymous) and anyone else: public pages ----------------------------------
    Row("consultations:public_ask", "GET", community_path("ask"), everyone(200), PUBLIC_NOT_FOUND),
    Row(
        "consultations:public_ask",
        "POST",
        community_path("ask"),
        everyone(302),
        PUBLIC_NOT_FOUND,
        body=ask_body,
    ),
    Row("consultations:public_status", "GET", community_path("status"), everyone(200), PUBLIC_NOT_FOUND),
    # The look-up from / (no community): phone + receipt code find the question anywhere.
    Row("consultations:public_lookup", "GET", fixed("/status/"), everyone(200)),
    Row(
        "consultations:public_lookup",
        "POST",
        fixed("/status/"),
        everyone(302),
        body=lookup_body,
        setup=setup,
    ),
    Row(
        "consultations:public_status",
        "POST",
        community_path("status"),
        everyone(302),
        PUBLIC_NOT_FOUND,
        body=lookup_body,
        setup=setup,
    ),
    Row(
        "consultations:public_message",
        "POST",
        lambda w, role, inside: (
            f"/c/{w.community_a.code}/status/{pick('a_done')(w, role, inside).pk}/message"
        ),
        # Only a browser that proved phone + receipt code may write: a fresh client gets a 404.
        everyone(404),
        everyone(404),
        body=lambda w, role, inside: {"text": "请问还需要准备什么材料呢？谢谢律师"},
        setup=setup,
    ),
    Row("consultations:rate", "GET", rate_path, everyone(200), PUBLIC_NOT_FOUND, setup=setup),
    Row(
        "consultations:rate",
        "POST",
        rate_path,
        # One rating per consultation: the first caller rates, everyone after is told it is done.
        {**everyone(409), "resident": 200},
        PUBLIC_NOT_FOUND,
        body=lambda w, role, inside: {"score": "5", "comment": "很及时"},
        setup=setup,
    ),
    # --- work pages ------------------------------------------------------------------------------
    Row("consultations:inbox", "GET", fixed("/consultations/"), page(HANDLERS)),
    Row(
        "consultations:street_queue",
        "GET",
        fixed("/consultations/street/"),
        page({"office": 200, "bureau": 200, "sysadmin": 200}),
    ),
    Row(
        "consultations:district_queue",
        "GET",
        fixed("/consultations/district/"),
        page({"bureau": 200, "sysadmin": 200}),
    ),
    Row("consultations:log_new", "GET", fixed("/consultations/new/"), page(ADVISORS)),
    Row(
        "consultations:log_new",
        "POST",
        fixed("/consultations/new/"),
        page({"advisor_a": 302, "advisor_b": 302}),
        body=log_body,
    ),
    Row(
        "consultations:from_booking",
        "POST",
        lambda w, role, inside: (
            f"/consultations/from-booking/{w.extras['booking_a' if inside else 'booking_e'].pk}/"
        ),
        # Whoever sees the shift gets a redirect: to the new consultation, or back with the refusal.
        page(
            {
                "advisor_a": 302,
                "staff_a": 302,
                "office": 302,
                "bureau": 302,
                "firm_admin": 302,
                "sysadmin": 302,
            }
        ),
        page({"sysadmin": 302}),
        setup=booking_setup,
    ),
    Row("consultations:away", "GET", fixed("/consultations/away/"), page(ADVISORS)),
    Row(
        "consultations:away",
        "POST",
        fixed("/consultations/away/"),
        page({"advisor_a": 302, "advisor_b": 302}),
        body=away_body,
    ),
    Row(
        "consultations:away_end",
        "POST",
        away_path,
        page({"advisor_a": 302, "advisor_b": 302}),
        page({}),
        setup=setup,
    ),
    Row("consultations:detail", "GET", detail_path("a"), page(HANDLERS), page(ONLY_SYSADMIN), setup=setup),
    Row(
        "consultations:reply",
        "POST",
        detail_path("a", "reply/"),
        page({"advisor_a": 302, "advisor_b": 302, **NOT_OWNER}),
        page({"sysadmin": 403}),
        body=lambda w, role, inside: {"body": "您好，建议先收集工资条和考勤记录。"},
        setup=setup,
    ),
    Row(
        "consultations:ask_info",
        "POST",
        detail_path("a", "ask-info/"),
        # Advisor A asks first, so the item already waits on the resident when the office tries.
        page({"advisor_a": 302, "advisor_b": 302, "office": 409, "bureau": 409, "sysadmin": 409}),
        page({"sysadmin": 403}),
        body=lambda w, role, inside: {"body": "请补充劳动合同的签订时间。"},
        setup=setup,
    ),
    Row(
        "consultations:escalate",
        "POST",
        detail_path("a", "escalate/"),
        # A → street by its advisor, → district by the office; then nothing is above the district.
        page({"advisor_a": 302, "advisor_b": 302, "office": 302, "bureau": 409, "sysadmin": 409}),
        page({"sysadmin": 302}),
        body=lambda w, role, inside: {"reason": "涉及集体土地，超出社区顾问能力"},
        setup=setup,
    ),
    Row(
        "consultations:claim",
        "POST",
        lambda w, role, inside: (
            f"/consultations/{(w.extras['pool_a'] if inside else w.extras['e']).pk}/claim/"
        ),
        # Advisor A claims first; the item then leaves advisor B's view and the office may not claim.
        page({"advisor_a": 302, **NOT_OWNER}),
        page({"sysadmin": 403}),
        setup=setup,
    ),
    Row(
        "consultations:reassign",
        "POST",
        detail_path("a", "reassign/"),
        page({"advisor_a": 403, "advisor_b": 403, "office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 422}),
        body=reassign_body,
        setup=setup,
    ),
    Row(
        "consultations:close",
        "POST",
        detail_path("a_done", "close/"),
        # Closed by its advisor first; a second close finds it closed.
        page({"advisor_a": 302, "advisor_b": 302, "office": 409, "bureau": 409, "sysadmin": 409}),
        page({"sysadmin": 409}),
        body=lambda w, role, inside: {"category": "劳动争议"},
        setup=setup,
    ),
    Row(
        "consultations:reusable",
        "POST",
        detail_path("a_done", "reusable/"),
        page({"advisor_a": 302, "advisor_b": 302, "office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 409}),
        setup=setup,
    ),
    Row(
        "consultations:convert",
        "POST",
        detail_path("a_done", "convert/matrix-target/"),
        page({"advisor_a": 302, "advisor_b": 302, "office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 302}),
        setup=setup,
    ),
    Row(
        "consultations:phone",
        "POST",
        detail_path("a", "phone/"),
        page(HANDLERS),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "consultations:attachment",
        "GET",
        lambda w, role, inside: (
            f"/consultations/{pick('a')(w, role, inside).pk}/attachments/"
            f"{pick('a')(w, role, inside).attachments.get().pk}/"
        ),
        page(HANDLERS),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    # --- API ---------------------------------------------------------------------------------------
    Row(
        "api:create_consultation",
        "POST",
        fixed("/api/v1/consultations"),
        # Public (no session). Without the Idempotency-Key header the request is refused as incomplete.
        everyone(422),
        body=lambda w, role, inside: {
            "community_code": w.community_a.code,
            "phone": "13700005678",
            "text": QUESTION,
            "privacy_consent": True,
        },
        json=True,
    ),
    Row(
        "api:group_message",
        "POST",
        lambda w, role, inside: (
            f"/api/v1/hooks/group-message/{(w.community_a if inside else w.community_e).code}"
        ),
        # Public, signed: an unsigned call is refused; a community without a robot is not found.
        everyone(401),
        everyone(404),
        body=lambda w, role, inside: {"timestamp": 0, "text": QUESTION},
        json=True,
        setup=setup,
    ),
    Row("api:list_consultations", "GET", fixed("/api/v1/consultations"), api_route(200), json=True),
    Row(
        "api:get_consultation",
        "GET",
        api_path("a"),
        api_route(HANDLERS),
        api_route(ONLY_SYSADMIN),
        json=True,
        setup=setup,
    ),
    Row(
        "api:reply_consultation",
        "POST",
        api_path("a", "/reply"),
        api_route({"advisor_a": 200, "advisor_b": 200, **NOT_OWNER}),
        api_route({"sysadmin": 403}),
        body=lambda w, role, inside: {"body": "您好，建议先协商，协商不成可申请劳动仲裁。"},
        json=True,
        setup=setup,
    ),
    Row(
        "api:claim_consultation",
        "POST",
        lambda w, role, inside: (
            f"/api/v1/consultations/{(w.extras['pool_a'] if inside else w.extras['e']).pk}/claim"
        ),
        api_route({"advisor_a": 200, **NOT_OWNER}),
        api_route({"sysadmin": 403}),
        json=True,
        setup=setup,
    ),
    Row(
        "api:escalate_consultation",
        "POST",
        api_path("a", "/escalate"),
        api_route({"advisor_a": 200, "advisor_b": 200, "office": 200, "bureau": 409, "sysadmin": 409}),
        api_route({"sysadmin": 200}),
        body=lambda w, role, inside: {"reason": "需要区级专家"},
        json=True,
        setup=setup,
    ),
    Row(
        "consultations:settings",
        "GET",
        fixed("/consultations/settings/"),
        page({"bureau": 200, "sysadmin": 200}),
    ),
    Row(
        "consultations:urgency_rule_add",
        "POST",
        settings_path("urgency/"),
        page(MANAGERS),
        page({"sysadmin": 302}),
        body=lambda w, role, inside: {
            "label": f"规则{role}",
            "risk": "other",
            "keywords": "燃气泄漏、煤气泄漏",
            "effective_from": timezone.localdate().isoformat(),
        },
    ),
    Row(
        "consultations:urgency_rule_end",
        "POST",
        settings_path("urgency/{rule}/end/"),
        # A second stop of the same rule is refused with a message on the page it returns to.
        page(MANAGERS),
        page({"sysadmin": 302}),
        setup=settings_setup,
    ),
    Row(
        "consultations:emergency_numbers",
        "POST",
        settings_path("emergency/"),
        page(MANAGERS),
        page({"sysadmin": 302}),
        body=lambda w, role, inside: {"lines": "110 报警\n120 急救\n12348 公共法律服务热线"},
    ),
    Row(
        "consultations:deadline_policy_add",
        "POST",
        settings_path("deadlines/"),
        page(MANAGERS),
        page({"sysadmin": 302}),
        body=deadline_body,
    ),
    Row(
        "consultations:group_robot_secret",
        "POST",
        robot_path("secret"),
        # The new secret is shown on the response itself.
        page({"bureau": 200, "sysadmin": 200}),
        page({"sysadmin": 200}),
        body=lambda w, role, inside: {"group_name": f"{role}的群"},
    ),
    Row(
        "consultations:group_robot_active",
        "POST",
        robot_path("active"),
        page(MANAGERS),
        page({"sysadmin": 302}),
        body=lambda w, role, inside: {"active": "0"},
        setup=robot_setup,
    ),
]

assert all(set(row.inside) == set(ROLES) for row in ROWS)
