from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_reference_data(sender, using="default", **kwargs):
    from assessments.reference import sync_reference_data

    sync_reference_data(using=using)


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from assessments import checks  # noqa: F401  (registers the system check)

        post_migrate.connect(_sync_reference_data, sender=self)
