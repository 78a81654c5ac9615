"""System checks of the knowledge app: the triage model must load with the installed libraries.

A model the installed scikit-learn cannot serve would leave every question filed as 其他, so
``manage.py check`` (and every command that runs the checks, ``migrate`` among them) fails with
what to do rather than letting intake run on the rules alone.
"""

from __future__ import annotations

from django.core.checks import Error, register

from guwen.knowledge import triage


@register()
def triage_model_check(app_configs=None, **kwargs) -> list[Error]:
    try:
        triage.load_model()
    except triage.TriageModelError as exc:
        return [
            Error(
                str(exc),
                hint=(
                    f"训练数据在 ../shared/data/consultations/train.jsonl 时，make install 会自动重新训练；"
                    f"否则用 {triage.RETRAIN} --input 训练文件。 "
                    f"make install retrains it when ../shared/data/consultations/train.jsonl is present; "
                    f"otherwise run {triage.RETRAIN} --input TRAINING_FILE."
                ),
                id="knowledge.E001",
            )
        ]
    return []
