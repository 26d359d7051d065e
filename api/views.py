"""Web pages: the API docs (signed-in users only) and the user's API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from ninja.openapi.docs import Swagger

from api.forms import TokenForm
from api.main import api
from api.models import ApiToken
from api.problems import problem
from api.tokens import create_token, revoke_token, tokens_visible_to
from clinics.decorators import clinic_member_required
from clinics.errors import NotAllowed
from clinics.models import Membership
from clinics.policy import Action, can
from core.forms import add_service_error


def unknown_address(request, rest=""):
    """Any address under /api/ that names no endpoint: a problem+json 404 like every other
    API error, not the web pages' HTML one (docs/api.md)."""
    return problem(404, "No such address in the API: the endpoints are listed at /api/v1/docs/.")


@login_required
def docs(request):
    """Swagger UI from django-ninja's own static files (no CDN); the page needs a session,
    the calls it makes need a token (Authorize button)."""
    return Swagger(settings={"persistAuthorization": False}).render_page(request, api)


def _members(request):
    return Membership.objects.for_clinic(request.clinic).select_related("user")


@clinic_member_required(action=Action.VIEW)
def tokens(request):
    manages = can(request.membership, Action.MANAGE_MEMBERS)
    members = _members(request) if manages else None
    form = TokenForm(request.POST or None, members=members, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = create_token(clinic=request.clinic, by=request.user, **form.cleaned_data)
        except (ValidationError, NotAllowed) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Token “{created.token.name}” created. Copy it now: it is shown once."
            )
            form = TokenForm(members=members, user=request.user)
    listed = tokens_visible_to(clinic=request.clinic, user=request.user, manages=manages)
    context = {"form": form, "created": created, "tokens": listed, "manages": manages}
    # The new token is in this page only: never cached, never redisplayed.
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@clinic_member_required(action=Action.VIEW)
def revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.for_clinic(request.clinic), pk=pk)
    try:
        revoke_token(token=token, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api_tokens")
