"""The countries a supplier can be registered in: the ISO 3166-1 list, from django-countries.

A supplier keeps the country's English name (as it always has, "United Kingdom"), not the
two-letter code: the name is what the supplier page, the dashboard, the exports and the PDF
report print, and rows recorded before the list existed keep their value unchanged. The list
only governs what a person can choose; a name recorded before it (or renamed in a later
release of the list, e.g. "Turkey" → "Türkiye") is kept on that supplier and still offered
when it is edited, so saving an unrelated change never loses it. A name the library gets
wrong in English ("Naoero" for Nauru) is corrected by COUNTRIES_OVERRIDE in config/settings.py.
"""

from functools import cache

from django.utils import translation
from django_countries import countries


@cache
def country_names() -> tuple[str, ...]:
    """Every ISO 3166-1 country, by its English name, in alphabetical order."""
    with translation.override("en"):
        return tuple(str(country.name) for country in countries)


def country_choices(current: str = "") -> list[tuple[str, str]]:
    """Choices for a supplier's country; `current` (a stored value not on the list) is kept."""
    names = country_names()
    choices = [("", "— Choose a country —")]
    if current and current not in names:
        choices.append((current, f"{current} (as recorded before)"))
    return choices + [(name, name) for name in names]
