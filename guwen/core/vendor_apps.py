"""Third-party apps under Chinese names in the admin (listed in INSTALLED_APPS instead of the packages'
own configs). Each subclass keeps its package's name, label and start-up code, and only names the
section. Model names come from the packages' own gettext strings, translated in guwen/locale.

Kept out of apps.py: Django picks an app's config automatically only when its apps.py holds one.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


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
