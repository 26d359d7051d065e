from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from clinics.policy import Action, can


def clinic_member_required(view=None, *, action: Action = Action.VIEW):
    """Signed-in member of a clinic, allowed `action` by the role matrix.

    Anonymous → redirect to login (302); no clinic or role not allowed → 403.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.membership, action):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        wrapped.required_action = action
        return wrapped

    if view is not None:
        return decorator(view)
    return decorator
