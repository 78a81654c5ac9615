from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "guwen.mediation"
    label = "mediation"
    verbose_name = _("人民调解")

    def ready(self) -> None:
        from guwen.accounts import home
        from guwen.mediation import ratings
        from guwen.mediation.panels import home_panel

        ratings.connect()

        home.register(home.Panel("mediation", 30, "mediation/_home_panel.html", home_panel))
