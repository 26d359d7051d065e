from django import forms
from django.utils import timezone

from api.models import Scope
from api.tokens import MAX_LIFETIME_DAYS, default_expiry
from clinics.models import User
from core.widgets import DateInput


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use it, e.g. “Stock system”. The audit trail shows this name.",
    )
    scope = forms.ChoiceField(
        label="Scope", choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect
    )
    expires_on = forms.DateField(
        label="Expires on",
        widget=DateInput(),
        help_text=f"At most {MAX_LIFETIME_DAYS} days from today; 90 days unless you choose.",
    )

    def __init__(self, *args, members=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = default_expiry(timezone.localdate())
        if members is not None:
            # Clinic admins may make a token for another member, e.g. a service account.
            self.fields["for_user"] = forms.ModelChoiceField(
                label="For",
                queryset=_users_of(members, exclude=user),
                required=False,
                empty_label="Me",
                help_text="A clinic admin can make a token for another member of the clinic, "
                "such as an account kept for a stock system.",
            )


def _users_of(members, *, exclude):
    ids = members.exclude(user=exclude).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("username")
