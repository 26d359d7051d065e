from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _rule_ids(value) -> str:
    """Stored findings in a history trail: their rule ids say what changed."""
    if isinstance(value, list):
        return ", ".join(str(v.get("rule", "?")) for v in value if isinstance(v, dict)) or "none"
    return str(value)


def _sync_reference_data(sender, using="default", **kwargs):
    from assessments.reference import sync_reference_data

    sync_reference_data(using=using)


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from assessments import checks  # noqa: F401  (registers the system check)
        from core.history import register_value_formatter

        post_migrate.connect(_sync_reference_data, sender=self)
        register_value_formatter("assessments.assessment.findings", _rule_ids)
