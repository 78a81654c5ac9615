from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "guwen.subsidy"
    label = "subsidy"
    verbose_name = _("以案定补")
