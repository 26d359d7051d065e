from django import forms

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "class": "font-monospace",
}


class LoginCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={**CODE_WIDGET_ATTRS, "inputmode": "text"}),
        help_text="The 6-digit code your app shows now. Lost your phone? Enter one of your "
        "recovery codes instead (like abcd-efgh); each works once.",
    )


class ConfirmAuthenticatorForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from the app",
        max_length=10,
        strip=True,
        widget=forms.TextInput(attrs={**CODE_WIDGET_ATTRS, "inputmode": "numeric"}),
        help_text="After adding ExoCheck to the app, type the code it shows to confirm.",
    )


class RegenerateCodesForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="New recovery codes replace the old ones, which stop working at once.",
    )
