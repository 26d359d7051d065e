from django import forms
from django.contrib.auth.forms import UserCreationForm

from clinics.models import Role, User

ROLE_HELP = (
    "Clinician: suppliers, products and draft assessments. "
    "Practice manager: also review, sign-off and exports. "
    "Clinic admin: also manages members and roles."
)


class InviteMemberForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a one-time link to this address. It works for 7 days.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CLINICIAN, help_text=ROLE_HELP)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, help_text=ROLE_HELP)


class InvitationSignUpForm(UserCreationForm):
    """A new account for an invited person. The email comes from the invitation, not the form."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name"]

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        # Set before validation so the password validators can compare against it.
        self.instance.email = invitation.email
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
