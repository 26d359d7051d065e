"""The clinic's register settings: how long a signed approval lasts before re-assessment.
Thin: the form checks the range for the reader, the service decides and records."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from clinics.decorators import clinic_member_required
from clinics.policy import Action
from lifecycle.models import MAX_INTERVAL_MONTHS, MIN_INTERVAL_MONTHS, LifecycleSettings
from lifecycle.services import set_reassessment_interval


class IntervalForm(forms.Form):
    months = forms.IntegerField(
        label="Re-assessment interval (months)",
        min_value=MIN_INTERVAL_MONTHS,
        max_value=MAX_INTERVAL_MONTHS,
        help_text=(
            f"Between {MIN_INTERVAL_MONTHS} and {MAX_INTERVAL_MONTHS} months; 12 unless you "
            "change it. An approval is valid until this long after sign-off, or until the "
            "first document it rests on expires, whichever comes first."
        ),
    )


@clinic_member_required(action=Action.MANAGE_SETTINGS)
def settings_page(request):
    current = LifecycleSettings.interval_for(request.clinic)
    form = IntervalForm(request.POST or None, initial={"months": current})
    if request.method == "POST" and form.is_valid():
        months = form.cleaned_data["months"]
        try:
            set_reassessment_interval(clinic=request.clinic, by=request.user, months=months)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Saved: approvals are now re-assessed every {months} months. The register's "
                "“valid until” dates already follow.",
            )
            return redirect("lifecycle:settings")
    return render(request, "lifecycle/settings.html", {"form": form, "current": current})
