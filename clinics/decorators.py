from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from clinics import mfa
from clinics.policy import SECOND_FACTOR_PURPOSES, Action, can, needs_second_factor
from clinics.security_log import security_log


def clinic_member_required(view=None, *, action: Action = Action.VIEW):
    """Signed-in member of a clinic, allowed `action` by the role matrix.

    Anonymous → redirect to login (302); no clinic or role not allowed → 403. An action that
    needs two-factor authentication (clinics/policy.py) without a confirmed authenticator
    app → redirect to its set-up page, with a message saying why.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.membership, action):
                raise PermissionDenied
            if needs_second_factor(action) and not mfa.has_authenticator(request.user):
                return second_factor_setup(request, action)
            return view_func(request, *args, **kwargs)

        wrapped.required_action = action
        return wrapped

    if view is not None:
        return decorator(view)
    return decorator


def second_factor_setup(request, action: Action):
    """Send a user who must have two-factor authentication for `action` to set it up."""
    purpose = SECOND_FACTOR_PURPOSES.get(action, "do this")
    security_log.info(
        "Sent to two-factor set-up before %s: user=%r", action.value, request.user.username
    )
    messages.warning(
        request,
        f"Practice managers and clinic admins must turn on two-factor authentication before "
        f"they {purpose}. Set it up below: it takes a minute with an authenticator app on "
        "your phone.",
    )
    url = reverse("mfa_setup")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
