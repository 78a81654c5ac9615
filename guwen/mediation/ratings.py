"""How a party rates a mediation case through the one resident rating mechanism (the signed
one-time link of consultations): once the mediation has ended, with the primary mediator's lawyer
record as the advisor rated."""

from __future__ import annotations

from django.utils.translation import gettext as _

from guwen.consultations.models import RatingKind
from guwen.consultations.rating_targets import RatingTarget, register
from guwen.mediation.models import CaseStatus, MediationCase
from guwen.regions.models import Lawyer

RATEABLE = {
    CaseStatus.AGREED,
    CaseStatus.PERFORMING,
    CaseStatus.CALLBACK_DONE,
    CaseStatus.TERMINATED,
    CaseStatus.CLOSED,
}


def case_target(case: MediationCase) -> RatingTarget:
    primary = case.mediators.filter(is_primary=True).values_list("user_id", flat=True).first()
    return RatingTarget(
        kind=RatingKind.MEDIATION,
        pk=case.pk,
        check=case.number,
        label=_("人民调解 %(number)s") % {"number": case.number},
        community=case.community,
        lawyer=Lawyer.objects.filter(user_id=primary).first() if primary else None,
        not_ready="" if case.status in RATEABLE else _("调解结束之后才能评价。"),
    )


def _find(pk: int) -> RatingTarget | None:
    case = MediationCase.objects.filter(pk=pk).select_related("community").first()
    return case_target(case) if case else None


def connect() -> None:
    register(RatingKind.MEDIATION, _find)
