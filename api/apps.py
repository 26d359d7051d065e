from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        # Writes made with a token name it in the records' own history (api/audit.py).
        from api import audit, problems
        from core.input_guard import answer_refusals_under

        audit.connect()
        # A NUL in an API address is refused as on the pages, but as problem+json.
        answer_refusals_under("/api/", problems.unreadable_address)
