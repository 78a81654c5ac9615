"""What the mediation services share: text cleaning, the compare-and-set transition, roles."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.core.validators import plain_text
from guwen.mediation.models import MediationCase
from guwen.mediation.workflow import CASE, case_roles


def clean_text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = plain_text(str(value or ""), field=field).strip()
    if required and not text:
        raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(_("%(label)s不能超过 %(n)d 字") % {"label": label, "n": limit}, field=field)
    return text


def clean_day(value, *, field: str, label: str, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
        return None
    if not isinstance(value, date):
        raise DomainError(_("%(label)s应为日期") % {"label": label}, field=field)
    return value


def require(case: MediationCase, action: str, by) -> str:
    """The status ``action`` leads to, or the refusal (403 for the role, 409 for the state)."""
    return CASE.require(case, action, case_roles(by, case))


def move(
    case: MediationCase, *, action: str, by, changes: dict | None = None, context: dict | None = None
) -> str:
    """Apply ``action``: compare-and-set on the status (another user's change first is a 409),
    with ``changes`` written alongside, and the audit event. Call inside ``transaction.atomic``."""
    target = require(case, action, by)
    old_status = case.status
    fields = {"status": target, **(changes or {})}
    updated = MediationCase.objects.filter(pk=case.pk, status=old_status).update(**fields)
    if updated != 1:
        raise Conflict()
    case.refresh_from_db()
    audit.record(
        actor=by,
        action=f"mediation_case.{action}",
        obj=case,
        old={"status": old_status},
        new={"status": target},
        context=context or {},
    )
    return target
