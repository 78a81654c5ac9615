from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "guwen.duty"
    label = "duty"
    verbose_name = _("驻点值班")
