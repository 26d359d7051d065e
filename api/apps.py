from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        # Writes made with a token name it in the records' own history (api/audit.py).
        from api import audit

        audit.connect()
