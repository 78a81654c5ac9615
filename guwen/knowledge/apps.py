from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "guwen.knowledge"
    label = "knowledge"
    verbose_name = _("知识库与分诊")

    def ready(self) -> None:
        # Connects the receivers that keep the cached law names current in every process.
        from guwen.knowledge import selectors  # noqa: F401
