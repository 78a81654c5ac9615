from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    """Domain-free building blocks: validators, masking, crypto, audit, calendar, workflow."""

    name = "guwen.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The database cache's table comes with every migrate, so a deployment without Redis
        # needs no step of its own (createcachetable skips a table that exists).
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core_cache_table")
        # Connects the cache-invalidation receivers for CalendarOverride.
        from guwen.core import workcalendar  # noqa: F401


def _create_cache_table(*, using: str = "default", verbosity: int = 1, **kwargs: object) -> None:
    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


# Third-party apps under Chinese names in the admin. Each subclass keeps its package's name, label and
# start-up code, and only names the section. Model names come from the package's own gettext strings
# and are translated in guwen/locale.
class AxesConfig(AxesAppConfig):
    verbose_name = _("登录保护")


class TotpConfig(TotpAppConfig):
    verbose_name = _("两步验证")

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # The package names its model with a plain string, which gettext never sees. The same words
        # made lazy read the same to the migration autodetector (it runs untranslated) and are
        # translated like any other string in the admin.
        TOTPDevice._meta.verbose_name = _("TOTP device")
        TOTPDevice._meta.verbose_name_plural = _("TOTP devices")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("后台任务")
