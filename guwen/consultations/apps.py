from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "guwen.consultations"
    label = "consultations"
    verbose_name = _("法律咨询")
