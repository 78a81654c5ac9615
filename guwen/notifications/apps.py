from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "guwen.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        # Connects the receivers that keep the cached channel configuration current in every process.
        from guwen.notifications import selectors  # noqa: F401
