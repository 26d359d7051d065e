from django import forms

from assessments.signing import SignatureMeaning, meanings_for


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the clinician change?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The clinician sees this comment on the assessment.",
    )


class OneTimeCodeInput(forms.TextInput):
    """A code field that is never filled in again: a code works once."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "font-monospace",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        return None


class SignOffForm(forms.Form):
    # The signature names who signed: the account's name, never typed. A typed name once let
    # "Dr Jane Smith" sign as Max Manager, whose history line said otherwise. A disabled
    # field ignores whatever is posted for it and keeps its initial value.
    signed_name = forms.CharField(
        label="Your name, as printed on the report",
        max_length=200,
        disabled=True,
        help_text=(
            "The name on your account: a signature always names who signed. If it is wrong, "
            "ask ExoCheck's staff to correct your account before you sign."
        ),
    )
    signed_role = forms.CharField(label="Your role", max_length=100, strip=True)
    meaning = forms.ChoiceField(
        label="What your signature means",
        choices=SignatureMeaning.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Reviewed: you checked the answers, evidence and findings. Approved: you also "
            "approve the product for the clinic's purchasing decision. Rejected: the clinic "
            "will not use it. Nothing is chosen for you."
        ),
    )
    statement = forms.CharField(
        label="Statement (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Printed under your signature, e.g. a condition of approval.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing needs your own password again. The record is then finalised.",
    )
    otp_code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        strip=True,
        widget=OneTimeCodeInput(),
        help_text=(
            "The 6-digit code your app shows now: the second part of your signature. "
            "Recovery codes cannot be used to sign."
        ),
    )

    def clean_otp_code(self):
        code = "".join(self.cleaned_data["otp_code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                "Enter the 6 digits your authenticator app shows now (recovery codes cannot sign)."
            )
        return code

    def __init__(self, *args, verdict: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if verdict:
            allowed = meanings_for(verdict)
            self.fields["meaning"].choices = [(m.value, m.label) for m in allowed]

    @classmethod
    def for_user(cls, user, membership, data=None, *, verdict: str = ""):
        # No meaning is preselected: the signer chooses it, from those the verdict allows.
        initial = {
            "signed_name": str(user),  # the account's name (clinics.models.User)
            "signed_role": membership.get_role_display() if membership else "",
        }
        return cls(data=data, initial=initial, verdict=verdict)
