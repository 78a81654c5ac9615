"""Historical activities and enterprise health checks taken over from a community's Excel ledgers
(台账): checked by the caller (guwen.reports.imports), written here in one transaction, all or
nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.outreach.models import Activity, CheckStatus, Enterprise, Finding, HealthCheck, RiskLevel
from guwen.outreach.selectors import checklist_for

BATCH = 1000


def activities_import(*, rows: list[dict], by, source: str) -> int:
    """Create the activities (each a dict of Activity fields plus ``advisors``, a list of lawyers)
    and their advisors, in batches; one audit event names the file they came from."""
    with transaction.atomic():
        made = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            activities = Activity.objects.bulk_create(
                [
                    Activity(created_by=by, **{k: v for k, v in row.items() if k != "advisors"})
                    for row in chunk
                ]
            )
            through = Activity.advisors.through
            through.objects.bulk_create(
                [
                    through(activity_id=activity.pk, lawyer_id=lawyer.pk)
                    for activity, row in zip(activities, chunk, strict=True)
                    for lawyer in row["advisors"]
                ]
            )
            made += activities
        audit.record(
            actor=by,
            action="outreach_activity.import",
            object_type="outreach.activity",
            new={"count": len(made), "source": source},
        )
    return len(made)


# --- health checks --------------------------------------------------------------------------------

# A health-check ledger (企业法治体检台账) counts the problems found and the high-risk ones; what they
# were is in the paper report. Each counted problem becomes a finding saying so, in the first area
# of the community's checklist, high for the high-risk count and 中 for the rest (the ledger tells
# only high or not), so the dashboard's counts and a re-exported ledger match the one imported.
IMPORTED_ISSUE = _("（自历史台账导入：原台账只记录问题数量，具体问题见原体检报告）")
IMPORTED_RECOMMENDATION = _("见原体检报告")
IMPORTED_TEXT = _("自历史台账导入")


def health_checks_import(*, rows: list[dict], by, source: str) -> int:
    """Create the health checks, each a dict of HealthCheck fields plus ``enterprise`` (an
    Enterprise, or a dict of name, credit_code and community for one not registered yet: created
    once per credit code), ``advisors`` (lawyers), ``findings`` and ``high`` (counts). One audit
    event names the file."""
    with transaction.atomic():
        created: dict[str, Enterprise] = {}
        for row in rows:
            enterprise = row["enterprise"]
            if isinstance(enterprise, dict) and enterprise["credit_code"] not in created:
                created[enterprise["credit_code"]] = Enterprise.objects.create(created_by=by, **enterprise)
        areas: dict[int, object] = {}
        made = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            checks = HealthCheck.objects.bulk_create(
                [
                    HealthCheck(
                        created_by=by,
                        scope=IMPORTED_TEXT,
                        method=IMPORTED_TEXT,
                        enterprise=(
                            created[row["enterprise"]["credit_code"]]
                            if isinstance(row["enterprise"], dict)
                            else row["enterprise"]
                        ),
                        **{
                            k: v
                            for k, v in row.items()
                            if k not in ("enterprise", "advisors", "findings", "high")
                        },
                    )
                    for row in chunk
                ]
            )
            through = HealthCheck.advisors.through
            through.objects.bulk_create(
                [
                    through(healthcheck_id=check.pk, lawyer_id=lawyer.pk)
                    for check, row in zip(checks, chunk, strict=True)
                    for lawyer in row["advisors"]
                ]
            )
            findings = []
            for check, row in zip(checks, chunk, strict=True):
                if not row["findings"]:
                    continue
                if check.community_id not in areas:
                    listed = checklist_for(check.community)
                    if not listed:
                        raise DomainError(_("体检清单没有可用的领域，无法记录体检发现"), field="file")
                    areas[check.community_id] = listed[0]
                findings += [
                    Finding(
                        health_check=check,
                        area=areas[check.community_id],
                        issue=IMPORTED_ISSUE,
                        risk_level=RiskLevel.HIGH if n < row["high"] else RiskLevel.MEDIUM,
                        recommendation=IMPORTED_RECOMMENDATION,
                        is_fixed=check.status == CheckStatus.CLOSED,
                    )
                    for n in range(row["findings"])
                ]
            Finding.objects.bulk_create(findings)
            made += checks
        audit.record(
            actor=by,
            action="outreach_health_check.import",
            object_type="outreach.healthcheck",
            new={"count": len(made), "enterprises": len(created), "source": source},
        )
    return len(made)
