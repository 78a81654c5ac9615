"""The dashboard's sections, one module per kind of work (see ``guwen.reports.sections``).

Importing this package registers them. Subsidy (``figures/subsidy.py``: settled and paid by month
and grade) and evaluation (``figures/evaluation.py``: ratings and appraisal grades) are added here
when those modules exist.
"""

from guwen.reports.figures import consultations, duty, mediation, outreach, regions  # noqa: F401
