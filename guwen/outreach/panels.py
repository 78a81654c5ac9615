"""What outreach shows on other modules' pages through their registries (it imports none of their
views): the legal-aid referrals made from a consultation, listed on the consultation's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.outreach import selectors


def consultation_referrals(*, consultation, user) -> list:
    """The referrals in ``user``'s scope made from ``consultation``."""
    from guwen.consultations.conversions import LinkedRecord

    referrals = selectors.referrals_visible_to(user).filter(consultation=consultation).order_by("pk")
    return [
        LinkedRecord(
            kind=_("法律援助转介"),
            title=f"{referral.applicant} · {referral.get_category_display()}",
            url=reverse("outreach:referral_detail", args=[referral.pk]),
            status=referral.get_status_display(),
        )
        for referral in referrals
    ]


def case_referrals(case, user) -> list:
    """The referrals in ``user``'s scope made from a mediation case (shown on the case's page)."""
    from guwen.core.links import Linked

    referrals = selectors.referrals_visible_to(user).filter(mediation_case=case).order_by("pk")
    return [
        Linked(
            kind=_("法律援助转介"),
            title=f"{referral.applicant} · {referral.get_category_display()}",
            url=reverse("outreach:referral_detail", args=[referral.pk]),
            status=referral.get_status_display(),
        )
        for referral in referrals
    ]
