from django import forms

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "class": "font-monospace",
}


def code_field(*, label: str, max_length: int, inputmode: str, help_text: str):
    """A field for a typed code: kept out of autocorrect and shown monospaced, so that
    what the user types is what the app shows."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        strip=True,
        widget=forms.TextInput(attrs={**CODE_WIDGET_ATTRS, "inputmode": inputmode}),
        help_text=help_text,
    )


class LoginCodeForm(forms.Form):
    # "text": a recovery code (like abcd-efgh) is accepted here too.
    code = code_field(
        label="Code from your authenticator app",
        max_length=20,
        inputmode="text",
        help_text="The 6-digit code your app shows now. Lost your phone? Enter one of your "
        "recovery codes instead (like abcd-efgh); each works once.",
    )


class ConfirmAuthenticatorForm(forms.Form):
    code = code_field(
        label="6-digit code from the app",
        max_length=10,
        inputmode="numeric",
        help_text="After adding ExoCheck to the app, type the code it shows to confirm.",
    )


class RegenerateCodesForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="New recovery codes replace the old ones, which stop working at once.",
    )
