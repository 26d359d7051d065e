from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics and members"

    def ready(self):
        from clinics import history_guard, security_log

        history_guard.connect()
        security_log.connect()
