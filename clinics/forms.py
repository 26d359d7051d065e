from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for unknown user and wrong password: no account enumeration.
        "invalid_login": "That username and password do not match an active account.",
        "inactive": "This account is inactive. Ask your clinic admin.",
    }
