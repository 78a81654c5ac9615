from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "guwen.consultations"
    label = "consultations"
    verbose_name = _("法律咨询")

    def ready(self) -> None:
        from guwen.accounts import home
        from guwen.consultations.panels import home_panel

        home.register(
            home.Panel(
                "consultations",
                10,
                "consultations/_home_panel.html",
                home_panel,
                ("consultations/consultations.css",),
            )
        )
