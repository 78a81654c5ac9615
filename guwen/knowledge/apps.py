from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "guwen.knowledge"
    label = "knowledge"
    verbose_name = _("知识库与分诊")

    def ready(self):
        from guwen.knowledge import checks  # noqa: F401  (registers the triage model check)
