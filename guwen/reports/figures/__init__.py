"""The dashboard's sections, one module per kind of work (see ``guwen.reports.sections``).

Importing this package registers them, and the workload's pay sources (``figures/subsidy.py``).
Evaluation (``figures/evaluation.py``: ratings and appraisal grades) is added here when it exists.
"""

from guwen.reports.figures import consultations, duty, mediation, outreach, regions, subsidy  # noqa: F401
