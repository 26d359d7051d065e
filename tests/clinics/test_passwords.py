"""Password rules (ASVS 6.2.1, 6.2.4, 6.2.9) and hashing (ASVS 11.4.2)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinics.models import Role, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def refused(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_eleven_characters_are_too_short():
    assert any("too short" in m for m in refused("kx7!mq2#vbz"))


def test_twelve_characters_are_enough():
    assert refused("kx7!mq2#vbzp") == []


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "1q2w3e4r5t6y"])
def test_common_passwords_are_refused(password):
    assert any("too common" in m for m in refused(password))


def test_all_digit_passwords_are_refused():
    assert any("entirely numeric" in m for m in refused("839201746512"))


def test_password_like_the_username_is_refused():
    user = User(username="harleyclinician", email="harley@example.org")
    assert any("too similar" in m for m in refused("harleyclinician1", user))


@pytest.mark.parametrize("length", [64, 128])
def test_long_passphrases_are_accepted_and_work(length, client):
    passphrase = ("correct horse battery staple " * 10)[:length]
    assert refused(passphrase) == []
    User.objects.create_user(username="longpass", password=passphrase)
    response = client.post(reverse("login"), {"username": "longpass", "password": passphrase})
    assert response.status_code == 302


def test_passwords_are_stored_as_argon2_hashes(settings, clinic):
    # The suite hashes with fast MD5 (config/settings.py, TESTING); this test needs the
    # production hashers, which tests/clinics/test_password_hashing.py shows start with Argon2.
    settings.PASSWORD_HASHERS = [
        h for h in settings.PASSWORD_HASHERS if not h.endswith(".MD5PasswordHasher")
    ]
    user = make_user("argonuser", clinic, Role.CLINICIAN)
    assert user.password.startswith("argon2$")
    assert PASSWORD not in user.password
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_password_change_enforces_the_rules_and_keeps_the_old_password(clinician_client):
    response = clinician_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert User.objects.get(username="clinician").check_password(PASSWORD)
