"""Clinic members: the clinic admin's pages, and the invited person's one-time link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clinics import services
from clinics.decorators import clinic_member_required
from clinics.errors import NotAllowed
from clinics.forms_members import ChangeRoleForm, InvitationSignUpForm, InviteMemberForm
from clinics.middleware import ACTIVE_CLINIC_SESSION_KEY
from clinics.models import Invitation, Membership
from clinics.policy import Action, can
from clinics.security_log import security_log
from clinics.throttle import request_ip
from core.history import history_entries, history_for

# The token moves from the URL to the session at once, so it never sits in the address bar,
# the browser history or a Referer header while the person fills in the form.
INVITATION_SESSION_KEY = "invitation_token"


def absolute_url(request, path: str) -> str:
    """A link for an email: SITE_URL when configured, never a Host header it overrides."""
    if settings.SITE_URL:
        return f"{settings.SITE_URL.rstrip('/')}{path}"
    # Development fallback; the Host header was validated against ALLOWED_HOSTS.
    return request.build_absolute_uri(path)


def _clinic_members(request):
    return Membership.objects.for_clinic(request.clinic).select_related("user")


@clinic_member_required(action=Action.MANAGE_MEMBERS)
def member_list(request):
    clinic = request.clinic
    context = {
        "members": _clinic_members(request).order_by("user__username"),
        "invitations": Invitation.objects.for_clinic(clinic).pending().select_related("invited_by"),
        "history_records": history_entries(
            Membership.history.filter(clinic=clinic), subject_field="user"
        ),
        "history_title": "Membership history",
    }
    return render(request, "clinics/members/list.html", context)


@clinic_member_required(action=Action.MANAGE_MEMBERS)
def member_invite(request):
    form = InviteMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_member(
                clinic=request.clinic,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                build_link=lambda token: absolute_url(
                    request, reverse("members:invitation", args=[token])
                ),
            )
        except (services.MembershipError, NotAllowed) as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works once, "
                f"until {invitation.expires_at:%d %b %Y}.",
            )
            return redirect("members:list")
    return render(request, "clinics/members/invite.html", {"form": form})


@clinic_member_required(action=Action.MANAGE_MEMBERS)
def member_detail(request, pk):
    membership = get_object_or_404(_clinic_members(request), pk=pk)
    form = ChangeRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(
                by=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except (services.MembershipError, NotAllowed) as error:
            form.add_error("role", str(error))
        else:
            messages.success(
                request, f"{membership.user} is now {membership.get_role_display().lower()}."
            )
            return redirect(_after_role_change(request, membership))
    context = {
        "member": membership,
        "form": form,
        "is_self": membership.user_id == request.user.pk,
        "history_records": history_for(membership),
    }
    return render(request, "clinics/members/detail.html", context)


def _after_role_change(request, membership) -> str:
    """Back to the member's page, unless the admin just gave up managing members themselves:
    that page would now answer 403 under the success message, so the dashboard instead."""
    if membership.user_id == request.user.pk and not can(membership, Action.MANAGE_MEMBERS):
        return reverse("dashboard")
    return reverse("members:detail", args=[membership.pk])


@require_POST
@clinic_member_required(action=Action.MANAGE_MEMBERS)
def member_remove(request, pk):
    membership = get_object_or_404(_clinic_members(request), pk=pk)
    try:
        services.remove_member(by=request.user, membership=membership)
    except (services.MembershipError, NotAllowed) as error:
        messages.error(request, str(error))
        return redirect("members:detail", pk=membership.pk)
    messages.success(request, f"{membership.user} no longer has access to {request.clinic}.")
    if membership.user_id == request.user.pk:
        return redirect("dashboard")
    return redirect("members:list")


@require_POST
@clinic_member_required(action=Action.MANAGE_MEMBERS)
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.for_clinic(request.clinic).pending(), pk=pk)
    services.revoke_invitation(by=request.user, invitation=invitation)
    messages.success(request, f"Invitation for {invitation.email} withdrawn.")
    return redirect("members:list")


@require_GET
def invitation_open(request, token):
    """The emailed link. Valid → keep the token in the session and continue without it."""
    try:
        services.find_invitation(token)
    except services.InvitationInvalid:
        return _invalid_invitation(request)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("members:accept_invitation")


def invitation_accept(request):
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = services.find_invitation(token)
    except services.InvitationInvalid:
        return _invalid_invitation(request)

    form = None
    if request.user.is_authenticated:
        if not services.is_invited_account(invitation, request.user):
            return _wrong_account(request, invitation)
        if request.method == "POST":
            return _accept(
                request, lambda: services.accept_invitation(token=token, user=request.user)
            )
    else:
        form = InvitationSignUpForm(request.POST or None, invitation=invitation)
        if request.method == "POST" and form.is_valid():
            return _accept(
                request,
                lambda: services.accept_invitation_as_new_user(
                    token=token, user=form.save(commit=False)
                ),
            )
    context = {"invitation": invitation, "form": form}
    return render(request, "registration/accept_invitation.html", context)


def _wrong_account(request, invitation):
    """Signed in, but not as the invited address: refuse, and say who the link is for."""
    security_log.warning(
        "Invitation refused, signed in as another account: user=%r ip=%s invitation=%s "
        "clinic=%s method=%s",
        request.user.get_username(),
        request_ip(request),
        invitation.pk,
        invitation.clinic_id,
        request.method,
    )
    context = {
        "invitation": invitation,
        "wrong_account": True,
        "message": services.wrong_account_message(invitation),
    }
    return render(request, "registration/accept_invitation.html", context, status=403)


def _accept(request, action):
    try:
        membership = action()
    except services.InvitationForSomeoneElse as error:
        # Only if the account's email changed between the page and the POST.
        return _wrong_account(request, error.invitation)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("members:accept_invitation")
    request.session.pop(INVITATION_SESSION_KEY, None)
    if not request.user.is_authenticated:
        # The person just proved the link and chose a password: no second log-in needed.
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    # Joining a clinic makes it the active one.
    request.session[ACTIVE_CLINIC_SESSION_KEY] = membership.clinic_id
    messages.success(
        request,
        f"Welcome to {membership.clinic}. You joined as {membership.get_role_display().lower()}.",
    )
    return redirect("dashboard")


def _invalid_invitation(request):
    context = {"invalid": True, "message": services.INVALID_INVITATION_MESSAGE}
    return render(request, "registration/accept_invitation.html", context, status=404)
