"""System check: the reference data must hold exactly the rules' slugs (docs/domain.md §2).

Runs at start-up (runserver, migrate, check) and in CI. An extra slug would be a value the
rules cannot judge; a missing one, a value clinics cannot choose.
"""

from django.core.checks import Error, register
from django.db import connections

from assessments.reference import reference_data_mismatches


@register()
def reference_data_matches_rules(app_configs=None, **kwargs):
    if "default" not in connections:  # pragma: no cover - always configured here
        return []
    return [
        Error(
            f"Reference data differs from the rules: {mismatch}.",
            hint="Reference slugs are defined in assessments/rules/ (values.py, evidence.py); "
            "run `manage.py migrate` to create missing rows, and remove or rename rows the "
            "rules do not know.",
            id="exocheck.E001",
        )
        for mismatch in reference_data_mismatches()
    ]
