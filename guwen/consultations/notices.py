"""Who is told what, after commit: assignment, pool, escalation, urgency, answer, overdue.

Services schedule these with ``after_commit`` (``transaction.on_commit``); each loads the
consultation afresh. A failing sender is logged (without personal data) and never undoes or blocks
the work that was committed.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.consultations import workflow
from guwen.consultations.models import Consultation, Level, Urgency
from guwen.core import audit
from guwen.core.crypto import decrypt_text
from guwen.notifications.services import notify, notify_phone
from guwen.regions.selectors import current_assignments

logger = logging.getLogger("guwen.consultations")


_quiet = threading.local()


@contextmanager
def suppressed():
    """Back-filled history (a ledger import, the demo) must not notify anyone about the past."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def quiet() -> bool:
    """Whether notices are suppressed in this thread (back-filling history)."""
    return getattr(_quiet, "on", False)


def after_commit(func, *args, **kwargs) -> None:
    """Run ``func`` once the surrounding transaction commits; nothing while notices are suppressed."""
    if getattr(_quiet, "on", False):
        return
    transaction.on_commit(lambda: func(*args, **kwargs))


def _send(func, **kwargs) -> None:
    try:
        func(**kwargs)
    except Exception:
        logger.exception("notice %s could not be handed to notifications", kwargs.get("event"))


def _load(consultation_id: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("community", "community__parent")
        .filter(pk=consultation_id)
        .first()
    )


def _detail_url(consultation: Consultation) -> str:
    return reverse("consultations:detail", args=[consultation.pk])


def public_url(path: str) -> str:
    return getattr(settings, "GUWEN_PUBLIC_BASE_URL", "").rstrip("/") + path


def street_advisor_users(street) -> list:
    rows = (
        current_assignments()
        .filter(community__parent=street, lawyer__user__isnull=False, lawyer__user__is_active=True)
        .select_related("lawyer__user")
    )
    return list({row.lawyer.user.pk: row.lawyer.user for row in rows}.values())


def pool_users(consultation: Consultation) -> list:
    street = consultation.community.parent
    if consultation.level == Level.DISTRICT:
        return workflow.bureau_users(street.parent if street else None)
    users = {u.pk: u for u in street_advisor_users(street)}
    users.update({u.pk: u for u in workflow.office_users(street)})
    return list(users.values())


def urgency_text(consultation: Consultation) -> str:
    """ "紧急：自伤风险" for an urgent item (why it is urgent), "普通" otherwise."""
    if consultation.urgency != Urgency.URGENT:
        return consultation.get_urgency_display()
    return _("紧急：%(reason)s") % {"reason": consultation.urgency_reason or _("原因未记录")}


def _summary(consultation: Consultation) -> str:
    return _("%(community)s · 回执码 %(code)s · %(urgency)s") % {
        "community": consultation.community.name,
        "code": consultation.receipt_code,
        "urgency": urgency_text(consultation),
    }


def _context(consultation: Consultation) -> dict:
    return {"consultation": consultation.pk, "community": consultation.community.code}


def send_new(consultation_id: int) -> None:
    """A new question: to its owner, or to the pool that may claim it."""
    consultation = _load(consultation_id)
    if consultation is None:
        return
    if consultation.owner_id:
        recipients, event = [consultation.owner], "consultation.assigned"
    else:
        recipients, event = pool_users(consultation), "consultation.pool"
    _send(
        notify,
        recipients=recipients,
        event=event,
        title=(
            _("%(urgency)s · 新的法律咨询待答复") % {"urgency": urgency_text(consultation)}
            if consultation.urgency == Urgency.URGENT
            else _("新的法律咨询待答复")
        ),
        body=_summary(consultation),
        url=_detail_url(consultation),
        context=_context(consultation),
    )


def send_urgent(consultation_id: int) -> None:
    """Urgent items alert the judicial office of the street at once, whoever owns them."""
    consultation = _load(consultation_id)
    if consultation is None:
        return
    _send(
        notify,
        recipients=workflow.office_users(consultation.community.parent),
        event="consultation.urgent",
        title=urgency_text(consultation),
        body=_summary(consultation),
        url=_detail_url(consultation),
        context=_context(consultation),
    )


def send_escalated(consultation_id: int, *, previous_owner_id: int | None, automatic: bool) -> None:
    consultation = _load(consultation_id)
    if consultation is None:
        return
    title = (_("咨询超时未答复，已升级到%(level)s") if automatic else _("咨询已提交到%(level)s")) % {
        "level": consultation.get_level_display()
    }
    recipients = pool_users(consultation)
    if previous_owner_id:
        from guwen.accounts.models import User

        recipients += list(User.objects.filter(pk=previous_owner_id))
    _send(
        notify,
        recipients=recipients,
        event="consultation.escalated",
        title=title,
        body=_summary(consultation),
        url=_detail_url(consultation),
        context=_context(consultation),
    )


def send_assigned(consultation_id: int) -> None:
    consultation = _load(consultation_id)
    if consultation is None or consultation.owner_id is None:
        return
    _send(
        notify,
        recipients=[consultation.owner],
        event="consultation.assigned",
        title=_("有一条法律咨询交给您答复"),
        body=_summary(consultation),
        url=_detail_url(consultation),
        context=_context(consultation),
    )


def send_overdue(consultation_id: int) -> None:
    """An item overdue at the top level: the bureau is told once."""
    consultation = _load(consultation_id)
    if consultation is None:
        return
    street = consultation.community.parent
    _send(
        notify,
        recipients=workflow.bureau_users(street.parent if street else None),
        event="consultation.overdue",
        title=_("区级咨询已超时未答复"),
        body=_summary(consultation),
        url=_detail_url(consultation),
        context=_context(consultation),
    )


def send_answered(consultation_id: int, *, rating_path: str) -> None:
    """The resident is told by SMS that the answer is ready, with the status page and the rating link."""
    consultation = _load(consultation_id)
    if consultation is None:
        return
    phone = decrypt_text(consultation.phone_encrypted)
    audit.record(actor=None, action="consultation.phone.read", obj=consultation, context={"purpose": "sms"})
    status_path = reverse("consultations:public_status", args=[consultation.community.code])
    text = _("【社区法律顾问】您的咨询（回执码 %(code)s）已答复，请查看：%(status)s 。欢迎评价：%(rate)s") % {
        "code": consultation.receipt_code,
        "status": public_url(status_path),
        "rate": public_url(rating_path),
    }
    _send(
        notify_phone,
        phone=phone,
        text=text,
        event="consultation.answered",
        context=_context(consultation),
    )
