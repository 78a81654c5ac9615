from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Domain-free building blocks: validators, masking, crypto, audit, calendar, workflow."""

    name = "guwen.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the cache-invalidation receivers for CalendarOverride.
        from guwen.core import workcalendar  # noqa: F401
