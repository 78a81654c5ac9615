from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "guwen.subsidy"
    label = "subsidy"
    verbose_name = _("以案定补")

    def ready(self) -> None:
        from guwen.core import links
        from guwen.subsidy.selectors import case_settlement_lines

        links.register_finder("mediation.case", key="subsidy", fn=case_settlement_lines)
