from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "guwen.outreach"
    label = "outreach"
    verbose_name = _("普法活动与企业法治体检")
