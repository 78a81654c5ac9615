from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "guwen.consultations"
    label = "consultations"
    verbose_name = _("法律咨询")

    def ready(self) -> None:
        from guwen.accounts import home

        # rules and intake connect the receivers that keep the cached rules and communities
        # current in every process (a worker or a shell that saves a region too).
        from guwen.consultations import rules
        from guwen.consultations.panels import association_panel, bureau_panel, firm_panel, home_panel
        from guwen.consultations.services import intake  # noqa: F401
        from guwen.knowledge import urgency

        # Callers without a district (manage.py triage) read the city-wide rows of the table.
        urgency.register_rule_source(rules.city_patterns)

        home.register(
            home.Panel(
                "consultations",
                10,
                "consultations/_home_panel.html",
                home_panel,
                ("consultations/consultations.css",),
            )
        )
        # Figures-only homes: the firm admin, the association and the bureau (its district by street).
        css = ("consultations/consultations.css",)
        home.register(home.Panel("firm", 5, "consultations/_home_firm.html", firm_panel, css))
        association = "consultations/_home_association.html"
        home.register(home.Panel("association", 5, association, association_panel, css))
        home.register(home.Panel("bureau", 5, "consultations/_home_bureau.html", bureau_panel, css))
