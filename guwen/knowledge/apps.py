from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "guwen.knowledge"
    label = "knowledge"
    verbose_name = _("知识库与分诊")

    def ready(self) -> None:
        # Registers the triage model's check, and connects the receivers that keep the cached law
        # names current in every process.
        from guwen.knowledge import checks, selectors  # noqa: F401
