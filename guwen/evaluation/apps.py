from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "guwen.evaluation"
    label = "evaluation"
    verbose_name = _("评价考核")

    def ready(self) -> None:
        from guwen.evaluation import receivers

        receivers.connect()
