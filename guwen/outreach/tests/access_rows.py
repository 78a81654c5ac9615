"""Access-matrix rows for every outreach route: pages and API reads.

``setup`` makes an activity, an enterprise and a health check in community A (advisor A), B
(advisor B) and E (another district, the system admin's only). Rows whose action changes a record
make a fresh record for each role (in ``path``), so one role's action never decides another's.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from guwen.testing import ROLES, World, valid_credit_code
from guwen.tests.matrix import (
    ONLY_SYSADMIN,
    SEES_A,
    Row,
    api_route,
    fixed,
    own_community,
    own_lawyer,
    page,
)

_media_override = None


def _media_to_tmp() -> None:
    global _media_override
    if _media_override is None:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="guwen-outreach-matrix-"))
        _media_override.enable()


def _place(w: World, role: str, inside: bool):
    if not inside:
        return w.community_e, w.lawyer_e
    return own_community(w, role), own_lawyer(w, role)


def _activity(w: World, role: str, inside: bool, status: str = "planned"):
    from guwen.outreach.models import Activity

    community, lawyer = _place(w, role, inside)
    activity = Activity.objects.create(
        community=community,
        kind="lecture",
        date=timezone.localdate() - timedelta(days=2),
        topic="法治讲座",
        status=status,
        audience_count=None if status == "planned" else 20,
    )
    activity.advisors.set([lawyer])
    return activity


def _enterprise(community):
    from guwen.outreach.models import Enterprise

    return Enterprise.objects.create(name="某某公司", credit_code=valid_credit_code(), community=community)


def _check(w: World, role: str, inside: bool, status: str = "checking"):
    from guwen.outreach.models import ChecklistArea, Finding, HealthCheck

    community, lawyer = _place(w, role, inside)
    check = HealthCheck.objects.create(
        enterprise=_enterprise(community),
        community=community,
        date=timezone.localdate() - timedelta(days=5),
        scope="劳动用工",
        method="访谈",
        status=status,
    )
    check.advisors.set([lawyer])
    Finding.objects.create(
        health_check=check,
        area=ChecklistArea.objects.filter(district=None).first(),
        issue="未签劳动合同",
        risk_level="high",
        recommendation="补签",
    )
    return check


def setup(w: World) -> None:
    _media_to_tmp()
    for key, community in (("a", w.community_a), ("b", w.community_b), ("e", w.community_e)):
        w.extras[f"enterprise_{key}"] = _enterprise(community)


def _kept(w: World, role: str, inside: bool, kind: str):
    """One record per place, shared by read rows."""
    key = f"{kind}_{'e' if not inside else ('b' if role == 'advisor_b' else 'a')}"
    if key not in w.extras:
        w.extras[key] = _activity(w, role, inside) if kind == "activity" else _check(w, role, inside)
    return w.extras[key]


def _photo_path(w: World, role: str, inside: bool, size: str) -> str:
    """A photo of the place's shared activity (added once), as thumbnail or full."""
    from django.core.files.base import ContentFile

    from guwen.outreach.models import ActivityPhoto
    from guwen.testing import tiny_image

    activity = _kept(w, role, inside, "activity")
    photo = activity.photos.first()
    if photo is None:
        photo = ActivityPhoto(activity=activity, photo_type="png")
        photo.photo.save("photo.png", ContentFile(tiny_image("PNG")), save=True)
    return f"/outreach/activities/{activity.pk}/photos/{photo.pk}/{size}/"


def _file_path(w: World, role: str, inside: bool, which: str) -> str:
    """The place's shared activity with its material and sign-in sheet stored (once)."""
    from django.core.files.base import ContentFile

    activity = _kept(w, role, inside, "activity")
    if not activity.sign_in_sheet:
        activity.materials.save("material.pdf", ContentFile(b"%PDF-1.4 material"), save=False)
        activity.sign_in_sheet.save("sheet.pdf", ContentFile(b"%PDF-1.4 sheet"), save=True)
    return f"/outreach/activities/{activity.pk}/files/{which}/"


def _activity_body(w: World, role: str, inside: bool) -> dict:
    community, lawyer = _place(w, role, inside)
    return {
        "community": community.pk,
        "kind": "lecture",
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "topic": "讲座",
        "advisors": [lawyer.pk],
        "audience_count": "12",
    }


def _enterprise_body(w: World, role: str, inside: bool) -> dict:
    community, _lawyer = _place(w, role, inside)
    return {"community": community.pk, "name": "新企业", "credit_code": valid_credit_code()}


def _check_body(w: World, role: str, inside: bool) -> dict:
    _community, lawyer = _place(w, role, inside)
    key = "e" if not inside else ("b" if role == "advisor_b" else "a")
    return {
        "enterprise": w.extras[f"enterprise_{key}"].pk,
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "advisors": [lawyer.pk],
        "scope": "合同管理",
        "method": "访谈",
    }


def _finding_body(w: World, role: str, inside: bool) -> dict:
    from guwen.outreach.models import ChecklistArea

    return {
        "area": ChecklistArea.objects.filter(district=None).first().pk,
        "issue": "问题",
        "risk_level": "medium",
        "recommendation": "建议",
    }


def expect(allowed: dict[str, int], default: int) -> dict[str, int]:
    """Roles that see the record get ``default`` (refused by role) unless named in ``allowed``;
    the association and outsiders see nothing (404); residents are sent to log in."""
    result = {role: default for role in ROLES}
    result.update({"resident": 302, "association": 404, "outsider": 404})
    result.update(allowed)
    return result


RECORDERS = ("advisor_a", "advisor_b", "staff_a", "office", "sysadmin")
CHECKERS = ("advisor_a", "advisor_b", "office", "sysadmin")
NO_RECORDERS = {"bureau": 404, "firm_admin": 404}
OUT_SYS = lambda status: {**page(ONLY_SYSADMIN), "sysadmin": status}  # noqa: E731


def only(roles, status: int, others: int = 404) -> dict[str, int]:
    return expect({**{r: status for r in roles}}, others)


def refused_outside(roles) -> dict[str, int]:
    # Another district's community is not a choice on the form (422); the system admin may record.
    return {**only(roles, 422), "sysadmin": 302}


ROWS: list[Row] = [
    Row("outreach:activity_list", "GET", fixed("/outreach/"), page(200), setup=setup),
    Row("outreach:activity_create", "GET", fixed("/outreach/activities/new/"), only(RECORDERS, 200)),
    Row(
        "outreach:activity_create",
        "POST",
        fixed("/outreach/activities/new/"),
        only(RECORDERS, 302),
        refused_outside(RECORDERS),
        body=_activity_body,
        setup=setup,
    ),
    Row(
        "outreach:activity_detail",
        "GET",
        lambda w, r, i: f"/outreach/activities/{_kept(w, r, i, 'activity').pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:activity_photo",
        "GET",
        lambda w, r, i: _photo_path(w, r, i, "thumb"),
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:activity_photo",
        "GET",
        lambda w, r, i: _photo_path(w, r, i, "full"),
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:activity_file",
        "GET",
        lambda w, r, i: _file_path(w, r, i, "materials"),
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:activity_file",
        "GET",
        lambda w, r, i: _file_path(w, r, i, "sign-in-sheet"),
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:activity_hold",
        "POST",
        lambda w, r, i: f"/outreach/activities/{_activity(w, r, i).pk}/hold/",
        expect(dict.fromkeys(RECORDERS, 302), 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"audience_count": "10"},
        setup=setup,
    ),
    Row(
        "outreach:activity_confirm",
        "POST",
        lambda w, r, i: f"/outreach/activities/{_activity(w, r, i, 'held').pk}/confirm/",
        expect({"staff_a": 302, "office": 302, "sysadmin": 302}, 403),
        OUT_SYS(302),
        setup=setup,
    ),
    Row(
        "outreach:activity_cancel",
        "POST",
        lambda w, r, i: f"/outreach/activities/{_activity(w, r, i).pk}/cancel/",
        expect(dict.fromkeys(RECORDERS, 302), 403),
        OUT_SYS(302),
        setup=setup,
    ),
    Row("outreach:coverage", "GET", fixed("/outreach/coverage/?quarter=2026Q4"), page(200), setup=setup),
    Row("outreach:enterprise_list", "GET", fixed("/outreach/enterprises/"), page(200), setup=setup),
    Row("outreach:enterprise_create", "GET", fixed("/outreach/enterprises/new/"), only(RECORDERS, 200)),
    Row(
        "outreach:enterprise_create",
        "POST",
        fixed("/outreach/enterprises/new/"),
        only(RECORDERS, 302),
        refused_outside(RECORDERS),
        body=_enterprise_body,
        setup=setup,
    ),
    Row("outreach:check_create", "GET", fixed("/outreach/checks/new/"), only(CHECKERS, 200)),
    Row(
        "outreach:check_create",
        "POST",
        fixed("/outreach/checks/new/"),
        only(CHECKERS, 302),
        refused_outside(CHECKERS),
        body=_check_body,
        setup=setup,
    ),
    Row(
        "outreach:check_detail",
        "GET",
        lambda w, r, i: f"/outreach/checks/{_kept(w, r, i, 'check').pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:finding_add",
        "POST",
        lambda w, r, i: f"/outreach/checks/{_kept(w, r, i, 'check').pk}/findings/",
        expect(dict.fromkeys(CHECKERS, 302), 403),
        OUT_SYS(302),
        body=_finding_body,
        setup=setup,
    ),
    Row(
        "outreach:finding_fixed",
        "POST",
        lambda w, r, i: f"/outreach/findings/{_check(w, r, i, 'fixing').findings.get().pk}/fixed/",
        expect(dict.fromkeys(CHECKERS, 302), 403),
        OUT_SYS(302),
        setup=setup,
    ),
    Row(
        "outreach:check_action",
        "POST",
        lambda w, r, i: f"/outreach/checks/{_check(w, r, i).pk}/report/",
        expect(dict.fromkeys(CHECKERS, 302), 403),
        OUT_SYS(302),
        setup=setup,
    ),
    # The Word report (the PDF route is the same view; its conversion is tested in test_documents).
    Row(
        "outreach:check_report",
        "GET",
        lambda w, r, i: f"/outreach/checks/{_kept(w, r, i, 'check').pk}/report.docx",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "api:outreach_list_activities",
        "GET",
        fixed("/api/v1/outreach/activities"),
        api_route(200),
        setup=setup,
    ),
    Row("api:outreach_coverage", "GET", fixed("/api/v1/outreach/coverage?quarter=2026Q4"), api_route(200)),
    Row("api:outreach_list_checkups", "GET", fixed("/api/v1/outreach/checkups"), api_route(200), setup=setup),
    Row(
        "api:outreach_get_checkup",
        "GET",
        lambda w, r, i: f"/api/v1/outreach/checkups/{_kept(w, r, i, 'check').pk}",
        api_route(SEES_A),
        api_route(ONLY_SYSADMIN),
        setup=setup,
    ),
]


def _opinion(w: World, role: str, inside: bool):
    from guwen.outreach.models import LegalOpinion

    community, lawyer = _place(w, role, inside)
    today = timezone.localdate()
    return LegalOpinion.objects.create(
        community=community,
        kind="contract_review",
        title="合同审查",
        question="请审查",
        advisor=lawyer,
        requested_on=today,
        due_on=today + timedelta(days=7),
    )


REQUESTERS = ("staff_a", "office", "sysadmin")


def _delivered_opinion(w: World, role: str, inside: bool, *, pdf: bool = False):
    """A delivered opinion; with ``pdf``, its PDF already in the cache, so the PDF route answers 200
    with or without LibreOffice where the matrix runs (the conversion is tested elsewhere)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from guwen.core import documents
    from guwen.outreach.documents import OPINION_KEY
    from guwen.outreach.models import LegalOpinion
    from guwen.outreach.report import opinion_context

    opinion = _opinion(w, role, inside)
    LegalOpinion.objects.filter(pk=opinion.pk).update(
        status="delivered",
        opinion="合同条款基本完备。",
        delivered_on=timezone.localdate(),
        working_days_taken=0,
    )
    opinion.refresh_from_db()
    if pdf:
        stored = documents.document_docx(
            kind=OPINION_KEY, object_key=str(opinion.pk), context=opinion_context(opinion)
        )
        if not default_storage.exists(stored.pdf_name):
            default_storage.save(stored.pdf_name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return opinion


ROWS += [
    Row("outreach:opinion_list", "GET", fixed("/outreach/opinions/"), page(200), setup=setup),
    Row("outreach:opinion_create", "GET", fixed("/outreach/opinions/new/"), only(REQUESTERS, 200)),
    Row(
        "outreach:opinion_create",
        "POST",
        fixed("/outreach/opinions/new/"),
        only(REQUESTERS, 302),
        refused_outside(REQUESTERS),
        body=lambda w, r, i: {
            "community": _place(w, r, i)[0].pk,
            "kind": "decision",
            "title": "重大决策",
            "question": "请出具意见",
        },
        setup=setup,
    ),
    Row(
        "outreach:opinion_detail",
        "GET",
        lambda w, r, i: f"/outreach/opinions/{_opinion(w, r, i).pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    # Only the advisor the request went to delivers (and a system admin).
    Row(
        "outreach:opinion_deliver",
        "POST",
        lambda w, r, i: f"/outreach/opinions/{_opinion(w, r, i).pk}/deliver/",
        expect({"advisor_a": 302, "advisor_b": 302, "sysadmin": 302}, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"opinion": "意见"},
        setup=setup,
    ),
    Row(
        "outreach:opinion_withdraw",
        "POST",
        lambda w, r, i: f"/outreach/opinions/{_opinion(w, r, i).pk}/withdraw/",
        expect(dict.fromkeys(REQUESTERS, 302), 403),
        OUT_SYS(302),
        setup=setup,
    ),
    Row("api:outreach_list_opinions", "GET", fixed("/api/v1/outreach/opinions"), api_route(200), setup=setup),
    # Lists: every signed-in role gets 200 with the rows of its scope (tests/test_api.py checks which).
    Row("api:outreach_list_pairings", "GET", fixed("/api/v1/outreach/pairings"), api_route(200), setup=setup),
    Row(
        "api:outreach_list_referrals", "GET", fixed("/api/v1/outreach/referrals"), api_route(200), setup=setup
    ),
    Row(
        "outreach:opinion_document",
        "GET",
        lambda w, r, i: f"/outreach/opinions/{_delivered_opinion(w, r, i).pk}/document.docx",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "outreach:opinion_document",
        "GET",
        lambda w, r, i: f"/outreach/opinions/{_delivered_opinion(w, r, i, pdf=True).pk}/document.pdf",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
]


def _pairing(w: World, role: str, inside: bool):
    from datetime import date

    from guwen.outreach.models import Pairing

    community, lawyer = _place(w, role, inside)
    return Pairing.objects.create(
        firm=lawyer.firm,
        branch="党支部",
        community=community,
        committee="社区党委",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        goals="共建",
    )


_years = iter(range(2100, 2200))
MANAGERS = ("office", "bureau", "sysadmin")

ROWS += [
    Row("outreach:pairing_list", "GET", fixed("/outreach/pairings/"), page(200), setup=setup),
    Row("outreach:pairing_create", "GET", fixed("/outreach/pairings/new/"), only(MANAGERS, 200)),
    Row(
        "outreach:pairing_create",
        "POST",
        fixed("/outreach/pairings/new/"),
        only(MANAGERS, 302),
        refused_outside(MANAGERS),
        body=lambda w, r, i: (
            lambda year, place: {
                "firm": place[1].firm.pk,
                "branch": "党支部",
                "community": place[0].pk,
                "committee": "社区党委",
                "starts_on": f"{year}-01-01",
                "ends_on": f"{year}-12-31",
                "goals": "共建",
            }
        )(next(_years), _place(w, r, i)),
        setup=setup,
    ),
    Row(
        "outreach:pairing_detail",
        "GET",
        lambda w, r, i: f"/outreach/pairings/{_pairing(w, r, i).pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
]


def _centres(w: World) -> None:
    from guwen.outreach.models import LegalAidCentre

    setup(w)
    for district in (w.district, w.district2):
        LegalAidCentre.objects.get_or_create(
            district=district, defaults={"name": f"{district.name}法律援助中心"}
        )


def _referral(w: World, role: str, inside: bool):
    from guwen.outreach.models import LegalAidCentre, Referral

    community, _lawyer = _place(w, role, inside)
    district = w.district if inside else w.district2
    return Referral.objects.create(
        community=community,
        centre=LegalAidCentre.objects.get(district=district),
        applicant="王某",
        category="wages",
        situation="被拖欠工资",
        sent_on=timezone.localdate(),
    )


ROWS += [
    Row("outreach:referral_list", "GET", fixed("/outreach/referrals/"), page(200), setup=_centres),
    Row("outreach:referral_create", "GET", fixed("/outreach/referrals/new/"), only(CHECKERS, 200)),
    Row(
        "outreach:referral_create",
        "POST",
        fixed("/outreach/referrals/new/"),
        only(CHECKERS, 302),
        refused_outside(CHECKERS),
        body=lambda w, r, i: {
            "community": _place(w, r, i)[0].pk,
            "applicant": "李某",
            "category": "family",
            "situation": "赡养纠纷",
        },
        setup=_centres,
    ),
    Row(
        "outreach:referral_detail",
        "GET",
        lambda w, r, i: f"/outreach/referrals/{_referral(w, r, i).pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=_centres,
    ),
    Row(
        "outreach:referral_action",
        "POST",
        lambda w, r, i: f"/outreach/referrals/{_referral(w, r, i).pk}/accept/",
        expect(dict.fromkeys(CHECKERS, 302), 403),
        OUT_SYS(302),
        setup=_centres,
    ),
]


# The work log moved to reports (/reports/worklog/); the old address redirects, keeping the query.
ROWS += [
    Row(
        "outreach:worklog",
        "GET",
        fixed("/outreach/worklog/"),
        page(302),
    ),
    Row(
        "outreach:worklog_entry_create",
        "GET",
        fixed("/outreach/worklog/new/"),
        page({"advisor_a": 200, "advisor_b": 200}),
    ),
    Row(
        "outreach:worklog_entry_create",
        "POST",
        fixed("/outreach/worklog/new/"),
        page({"advisor_a": 302, "advisor_b": 302}),
        body=lambda w, r, i: {
            "community": own_community(w, r).pk,
            "at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "person": "居民",
            "content": "电话咨询",
        },
    ),
]
