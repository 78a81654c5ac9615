from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "guwen.mediation"
    label = "mediation"
    verbose_name = _("人民调解")

    def ready(self) -> None:
        from guwen.accounts import home
        from guwen.consultations import conversions
        from guwen.core import links
        from guwen.mediation import ratings
        from guwen.mediation.panels import case_in_scope, consultation_cases, home_panel

        ratings.connect()

        home.register(home.Panel("mediation", 30, "mediation/_home_panel.html", home_panel))
        conversions.register_linker(key="mediation", finder=consultation_cases)
        links.register_lookup("mediation.case", case_in_scope)
