from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "guwen.outreach"
    label = "outreach"
    verbose_name = _("普法活动与企业法治体检")

    def ready(self) -> None:
        from guwen.consultations import conversions
        from guwen.core import links
        from guwen.outreach.panels import case_referrals, consultation_referrals

        conversions.register_linker(key="outreach", finder=consultation_referrals)
        links.register_finder("mediation.case", key="outreach", fn=case_referrals)
