"""What happens to an accepted case: investigation, sessions, the outcome, performance, callbacks,
judicial confirmation, extensions, the case file's uploads, and closing."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.core.uploads import check_upload
from guwen.mediation.models import (
    Callback,
    CallbackMethod,
    CaseStatus,
    Extension,
    ExtensionStatus,
    FileItem,
    FileItemKind,
    Investigation,
    MediationCase,
    Outcome,
    OutcomeKind,
    Performance,
    Performed,
    Satisfaction,
    Session,
)
from guwen.mediation.services.common import clean_day, clean_text, move, require

MAX_EXTENSION_DAYS = 30


def _not_future(day: date, field: str, label: str) -> date:
    if day > timezone.localdate():
        raise DomainError(_("%(label)s不能晚于今天") % {"label": label}, field=field)
    return day


def _not_before_intake(case: MediationCase, day: date, field: str, label: str) -> date:
    if day < case.intake_on:
        raise DomainError(_("%(label)s不能早于受理日期") % {"label": label}, field=field)
    return day


def investigation_record(
    *, case: MediationCase, by, held_on: date, place: str, subject: str, content: str, evidence: str = ""
) -> Investigation:
    """An investigation record (调查记录) with the evidence gathered; the first one starts the
    investigation stage."""
    held_on = _not_future(clean_day(held_on, field="held_on", label=_("调查日期")), "held_on", _("调查日期"))
    _not_before_intake(case, held_on, "held_on", _("调查日期"))
    fields = {
        "place": clean_text(place, field="place", label=_("调查地点"), limit=100),
        "subject": clean_text(subject, field="subject", label=_("被调查人"), limit=80),
        "content": clean_text(content, field="content", label=_("调查情况"), limit=4000),
        "evidence": clean_text(evidence, field="evidence", label=_("证据材料"), limit=1000, required=False),
    }
    action = "investigate" if case.status == CaseStatus.ACCEPTED else "record_investigation"
    with transaction.atomic():
        move(case, action=action, by=by)
        row = Investigation.objects.create(case=case, held_on=held_on, recorded_by=by, **fields)
    return row


def session_record(
    *, case: MediationCase, by, held_on: date, place: str, mediators: str, attendees: str, record: str
) -> Session:
    """A mediation session's record (调解记录, 人民调解法 Art. 27); the first one starts mediation."""
    held_on = _not_future(clean_day(held_on, field="held_on", label=_("调解日期")), "held_on", _("调解日期"))
    _not_before_intake(case, held_on, "held_on", _("调解日期"))
    fields = {
        "place": clean_text(place, field="place", label=_("调解地点"), limit=100),
        "mediators": clean_text(mediators, field="mediators", label=_("调解员"), limit=200),
        "attendees": clean_text(attendees, field="attendees", label=_("参加人"), limit=300),
        "record": clean_text(record, field="record", label=_("调解记录"), limit=8000),
    }
    with transaction.atomic():
        move(case, action="record_session", by=by)
        row = Session.objects.create(case=case, held_on=held_on, recorded_by=by, **fields)
    return row


def outcome_agree(
    *,
    case: MediationCase,
    by,
    kind: str,
    decided_on: date,
    terms: str,
    facts: str = "",
    performance_method: str = "",
    performance_place: str = "",
    performance_deadline: date | None = None,
) -> Outcome:
    """An agreement. Written (人民调解法 Art. 29): the facts, the terms, and the manner and deadline
    of performance are required. Oral (Art. 28): the content the mediator records."""
    if kind not in (OutcomeKind.WRITTEN, OutcomeKind.ORAL):
        raise DomainError(_("请选择书面协议或口头协议"), field="kind")
    require(case, "agree", by)
    if not case.sessions.exists():
        raise DomainError(_("请先登记调解记录，再登记调解协议"), field="kind", code="invalid_state")
    decided_on = _not_future(
        clean_day(decided_on, field="decided_on", label=_("协议日期")), "decided_on", _("协议日期")
    )
    _not_before_intake(case, decided_on, "decided_on", _("协议日期"))
    terms = clean_text(terms, field="terms", label=_("协议内容"), limit=4000)
    written = kind == OutcomeKind.WRITTEN
    facts = clean_text(
        facts, field="facts", label=_("主要事实、争议事项及责任"), limit=4000, required=written
    )
    method = clean_text(
        performance_method, field="performance_method", label=_("履行方式"), limit=200, required=written
    )
    place = clean_text(
        performance_place, field="performance_place", label=_("履行地点"), limit=100, required=False
    )
    deadline = clean_day(
        performance_deadline, field="performance_deadline", label=_("履行期限"), required=written
    )
    if deadline is not None and deadline < decided_on:
        raise DomainError(_("履行期限不能早于协议日期"), field="performance_deadline")
    with transaction.atomic():
        move(case, action="agree", by=by, context={"kind": kind})
        outcome = Outcome.objects.create(
            case=case,
            kind=kind,
            decided_on=decided_on,
            facts=facts,
            terms=terms,
            performance_method=method,
            performance_place=place,
            performance_deadline=deadline,
            recorded_by=by,
        )
    return outcome


def outcome_terminate(*, case: MediationCase, by, decided_on: date, reason: str, routes_told: str) -> Outcome:
    """Mediation fails or a party asks to end it (Art. 26): the reason and the routes told."""
    require(case, "terminate", by)
    decided_on = _not_future(
        clean_day(decided_on, field="decided_on", label=_("终止日期")), "decided_on", _("终止日期")
    )
    reason = clean_text(reason, field="reason", label=_("终止原因"), limit=300)
    routes = clean_text(
        routes_told, field="routes_told", label=_("告知当事人的其他解决途径（仲裁、行政、诉讼）"), limit=300
    )
    with transaction.atomic():
        move(case, action="terminate", by=by, context={"reason": reason})
        outcome = Outcome.objects.create(
            case=case,
            kind=OutcomeKind.TERMINATED,
            decided_on=decided_on,
            termination_reason=reason,
            routes_told=routes,
            recorded_by=by,
        )
    return outcome


def performance_record(
    *, case: MediationCase, by, checked_on: date, item: str, due_on: date | None, done: bool, note: str = ""
) -> Performance:
    """A check on how the agreement is performed (Art. 31); the first moves the case to 履行中."""
    checked_on = _not_future(
        clean_day(checked_on, field="checked_on", label=_("记录日期")), "checked_on", _("记录日期")
    )
    item = clean_text(item, field="item", label=_("履行事项"), limit=200)
    note = clean_text(note, field="note", label=_("情况说明"), limit=300, required=False)
    with transaction.atomic():
        move(case, action="record_performance", by=by)
        row = Performance.objects.create(
            case=case,
            checked_on=checked_on,
            item=item,
            due_on=due_on,
            done=bool(done),
            note=note,
            recorded_by=by,
        )
    return row


def callback_record(
    *,
    case: MediationCase,
    by,
    called_on: date,
    method: str,
    interviewee: str,
    performed: str,
    satisfaction: str,
    lawsuit: bool = False,
    lawsuit_note: str = "",
    remaining_risk: str = "",
    measures: str = "",
) -> Callback:
    """A 回访 (若干规定 Art. 39), possible only after an agreement."""
    outcome = Outcome.objects.filter(case=case).first()
    if outcome is None or outcome.kind == OutcomeKind.TERMINATED:
        raise DomainError(_("尚未达成调解协议，不能登记回访"), field="called_on", code="invalid_state")
    require(case, "callback", by)
    called_on = _not_future(
        clean_day(called_on, field="called_on", label=_("回访日期")), "called_on", _("回访日期")
    )
    if called_on < outcome.decided_on:
        raise DomainError(_("回访日期不能早于协议日期"), field="called_on")
    if method not in CallbackMethod.values:
        raise DomainError(_("请选择回访方式"), field="method")
    if performed not in Performed.values:
        raise DomainError(_("请选择履行情况"), field="performed")
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("请选择满意度"), field="satisfaction")
    lawsuit_note = clean_text(
        lawsuit_note, field="lawsuit_note", label=_("诉讼情况"), limit=200, required=bool(lawsuit)
    )
    with transaction.atomic():
        move(case, action="callback", by=by)
        row = Callback.objects.create(
            case=case,
            called_on=called_on,
            method=method,
            interviewee=clean_text(interviewee, field="interviewee", label=_("被回访人"), limit=80),
            caller=by,
            performed=performed,
            satisfaction=satisfaction,
            lawsuit=bool(lawsuit),
            lawsuit_note=lawsuit_note,
            remaining_risk=clean_text(
                remaining_risk, field="remaining_risk", label=_("遗留风险"), limit=300, required=False
            ),
            measures=clean_text(measures, field="measures", label=_("采取措施"), limit=300, required=False),
        )
    return row


def confirmation_record(*, case: MediationCase, by, applied_on: date, note: str = "") -> Outcome:
    """The parties applied to the court for judicial confirmation (司法确认, Art. 33), within 30 days."""
    require(case, "record_confirmation", by)
    outcome = Outcome.objects.filter(case=case).first()
    if outcome is None or outcome.kind != OutcomeKind.WRITTEN:
        raise DomainError(_("只有书面调解协议可以申请司法确认"), field="applied_on", code="invalid_state")
    applied_on = _not_future(
        clean_day(applied_on, field="applied_on", label=_("申请日期")), "applied_on", _("申请日期")
    )
    if applied_on < outcome.decided_on or applied_on > outcome.confirmation_deadline:
        raise DomainError(
            _("申请司法确认须在协议生效之日起30日内（%(first)s 至 %(last)s）")
            % {"first": outcome.decided_on.isoformat(), "last": outcome.confirmation_deadline.isoformat()},
            field="applied_on",
        )
    note = clean_text(note, field="note", label=_("司法确认情况"), limit=200, required=False)
    with transaction.atomic():
        Outcome.objects.filter(pk=outcome.pk).update(
            confirmation_applied_on=applied_on, confirmation_note=note
        )
        outcome.refresh_from_db()
        audit.record(
            actor=by,
            action="mediation_case.record_confirmation",
            obj=case,
            new={"applied_on": applied_on.isoformat()},
        )
    return outcome


def extension_request(*, case: MediationCase, by, days: int, reason: str, consent: str) -> Extension:
    """Ask the judicial office to let mediation run past the limit, with the parties' consent recorded."""
    require(case, "request_extension", by)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise DomainError(_("延长天数应为1至30天"), field="days")
    reason = clean_text(reason, field="reason", label=_("延期理由"), limit=300)
    consent = clean_text(consent, field="consent", label=_("当事人同意延期的情况"), limit=300)
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("已有待审批的延期申请"), field="days")
    with transaction.atomic():
        row = Extension.objects.create(case=case, days=days, reason=reason, consent=consent, requested_by=by)
        audit.record(actor=by, action="mediation_case.request_extension", obj=case, context={"days": days})
    return row


def extension_decide(*, extension: Extension, by, approve: bool) -> Extension:
    """The judicial office approves (the limit moves by the days asked) or refuses an extension."""
    case = extension.case
    require(case, "decide_extension", by)
    if extension.status != ExtensionStatus.PENDING:
        raise Conflict(_("该延期申请已处理"))
    with transaction.atomic():
        done = Extension.objects.filter(pk=extension.pk, status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
            decided_by=by,
            decided_at=timezone.now(),
            previous_due_on=case.due_on,
        )
        if done != 1:
            raise Conflict(_("该延期申请已处理"))
        old_due = case.due_on
        if approve:
            MediationCase.objects.filter(pk=case.pk).update(due_on=old_due + timedelta(days=extension.days))
            case.refresh_from_db()
        extension.refresh_from_db()
        audit.record(
            actor=by,
            action="mediation_case.decide_extension",
            obj=case,
            old={"due_on": old_due.isoformat()},
            new={"due_on": case.due_on.isoformat(), "approved": approve},
        )
    return extension


def file_item_upload(*, case: MediationCase, by, kind: FileItemKind, upload) -> FileItem:
    """File a signed scan (JPG, PNG, WebP or PDF, checked by content) for one 卷宗 item."""
    require(case, "upload", by)
    if not isinstance(kind, FileItemKind):
        raise DomainError(_("请选择卷宗材料"), field="kind")
    if upload is None:
        raise DomainError(_("请选择要上传的文件"), field="file")
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="file") from exc
    with transaction.atomic():
        item = FileItem(
            case=case,
            kind=kind,
            original_name=checked.name,
            content_type=checked.file_type.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
        item.file.save(f"scan{checked.file_type.extension}", ContentFile(checked.content), save=False)
        item.save()
        audit.record(
            actor=by,
            action="mediation_case.upload",
            obj=case,
            context={"item": kind.number, "sha256": checked.sha256},
        )
    return item


def case_close(*, case: MediationCase, by) -> MediationCase:
    """Close and file the case (结案归档). Refused, naming them, while required 卷宗 items are missing."""
    from guwen.mediation.selectors import file_completeness

    require(case, "close", by)
    completeness = file_completeness(case)
    if completeness.missing:
        raise DomainError(
            _("卷宗缺少必须材料：%(items)s") % {"items": "、".join(completeness.missing)},
            field="file",
            code="incomplete_file",
        )
    with transaction.atomic():
        move(case, action="close", by=by, changes={"closed_at": timezone.now(), "closed_by": by})
    return case


def cases_warn_overdue(*, today: date | None = None) -> int:
    """Tell each running case's mediators and its street's judicial office, once, that the case is
    past its limit. Several workers may run this at once: the compare-and-set on
    ``overdue_notified_at`` lets only one of them send."""
    from guwen.mediation.selectors import overdue_cases
    from guwen.mediation.services.leads import office_users
    from guwen.notifications.services import notify

    today = today or timezone.localdate()
    sent = 0
    pending = overdue_cases(MediationCase.objects.filter(overdue_notified_at__isnull=True), today)
    for case in pending.select_related("community", "community__parent")[:200]:
        with transaction.atomic():
            won = MediationCase.objects.filter(pk=case.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if won != 1:
                continue
            due = case.due_on.isoformat()
            audit.record(actor=None, action="mediation_case.overdue", obj=case, context={"due_on": due})
            mediators = [m.user for m in case.mediators.select_related("user")]
            body = _("%(title)s 的办结期限为 %(due)s，已超期。如需继续调解，请征得当事人同意后申请延期。")
            transaction.on_commit(
                partial(
                    notify,
                    recipients=mediators + office_users(case.community),
                    event="mediation.case_overdue",
                    title=(_("调解案件已超期：%(n)s") % {"n": case.number})[:60],
                    body=body % {"title": case.title, "due": due},
                    url=f"/mediation/cases/{case.pk}/",
                    context={"case": case.pk},
                    region=case.community,
                ),
                robust=True,
            )
            sent += 1
    return sent
