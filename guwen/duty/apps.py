from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "guwen.duty"
    label = "duty"
    verbose_name = _("驻点值班")

    def ready(self) -> None:
        from guwen.accounts import home
        from guwen.duty.panels import holiday_panel, home_panel

        home.register(home.Panel("duty", 20, "duty/_home_panel.html", home_panel, ("duty/duty.css",)))
        home.register(home.Panel("duty_holidays", 5, "duty/_holiday_panel.html", holiday_panel))
