"""The dashboard's sections, one module per kind of work (see ``guwen.reports.sections``).

Importing this package registers them, and the workload's pay sources (``figures/subsidy.py``).
"""

from guwen.reports.figures import (  # noqa: F401
    consultations,
    duty,
    evaluation,
    mediation,
    outreach,
    regions,
    subsidy,
)
