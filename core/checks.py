"""Deployment checks (`manage.py check --deploy`) for settings only this project needs."""

from django.conf import settings
from django.core import checks

SITE_URL_MISSING = checks.Warning(
    "SITE_URL is not set: notification, reminder and supplier-request emails would carry bare "
    "paths such as /assessments/12/ that no mail program can open, and PDF reports would print "
    "no address for 'How ExoCheck decides'.",
    hint="Set SITE_URL to the public address people open, e.g. https://exocheck.example.",
    id="exocheck.W001",
)


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs):
    # Links in emails are never built from the request's Host header (an attacker can send
    # any), so without SITE_URL there is nothing to build them from.
    return [] if settings.SITE_URL else [SITE_URL_MISSING]
