"""Reminder preferences (signed in) and the one-click unsubscribe link (no login)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from clinics.decorators import clinic_member_required
from clinics.policy import Action
from lifecycle.models import ReminderKind, ReminderPreference
from lifecycle.recheck import changed_assessments
from lifecycle.reminders import read_unsubscribe_token


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.BooleanField(
                label=f"Email me: {kind.label.lower()}",
                required=False,
                initial=ReminderPreference.emails_on(user, kind.value),
            )


def set_preference(user, kind: str, email: bool) -> None:
    ReminderPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})


@clinic_member_required(action=Action.VIEW)
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        for kind in ReminderKind:
            set_preference(request.user, kind.value, form.cleaned_data[kind.value])
        messages.success(request, "Your reminder emails are saved.")
        return redirect("lifecycle:preferences")
    return render(request, "lifecycle/preferences.html", {"form": form})


# The signed token is the credential (RFC 8058 one-click: mail clients POST without a
# CSRF token), and it can only turn off one kind of email for one user.
@csrf_exempt
def unsubscribe(request, token):
    parsed = read_unsubscribe_token(token)
    user = None
    if parsed:
        user = get_user_model().objects.filter(pk=parsed[0]).first()
    if user is None:
        return render(request, "lifecycle/unsubscribe.html", {"invalid": True})
    kind = ReminderKind(parsed[1])
    done = request.method == "POST"
    if done:
        set_preference(user, kind.value, False)
    return render(request, "lifecycle/unsubscribe.html", {"kind": kind, "done": done})


@clinic_member_required(action=Action.REVIEW)
def recheck_page(request):
    changes = changed_assessments(request.clinic)
    return render(request, "lifecycle/recheck.html", {"changes": changes})
