"""Security events the clinic's operator must be able to find in the logs."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in

security_log = logging.getLogger("exocheck.security")


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # %r keeps a hostile username (newlines, control characters) on one log line.
    security_log.warning(
        "Login locked out after repeated failures: username=%r ip=%s", username, ip_address
    )


def log_login(sender, request=None, user=None, **kwargs):
    ip_address = getattr(request, "axes_ip_address", None)
    security_log.info("Login: username=%r ip=%s", getattr(user, "username", None), ip_address)


def connect():
    user_locked_out.connect(log_lockout, dispatch_uid="exocheck_log_lockout")
    user_logged_in.connect(log_login, dispatch_uid="exocheck_log_login")
