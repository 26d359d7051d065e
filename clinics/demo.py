"""The demo clinic and one user per role, for `manage.py seed_demo` (idempotent)."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics import mfa
from clinics.models import Clinic, Membership, Role, User

DEMO_PASSWORD = "exocheck-demo-2026"  # noqa: S105 - printed on purpose; demo only

# Two-factor authentication for the demo's practice manager and clinic admin: fixed,
# published base32 secrets (add them to an authenticator app, or run
# `python manage.py demo_totp manager` for the current code). Demo only, never real.
DEMO_TOTP_SECRETS = {
    "manager": "EXOCHECKDEMOMANAGERTOTPNOTSECRET",
    "clinicadmin": "EXOCHECKDEMOADMINTOTPNOTASECRET2",
}

DEMO_USERS = [
    ("clinician", "Cara", "Clinician", Role.CLINICIAN),
    ("manager", "Max", "Manager", Role.PRACTICE_MANAGER),
    ("clinicadmin", "Ada", "Admin", Role.CLINIC_ADMIN),
]


@transaction.atomic
def seed(demo: dict) -> None:
    clinic, _ = Clinic.objects.get_or_create(
        slug="demo-clinic",
        defaults={
            "name": "Demo Aesthetics Clinic",
            "address": "1 Example Street\nLondon\nW1A 1AA",
            "registration_number": "1-000000001",
        },
    )
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.invalid"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, clinic=clinic, defaults={"role": role})
        users[username] = user
    staff, _ = User.objects.get_or_create(
        username="staff", defaults={"first_name": "Sam", "last_name": "Staff", "is_staff": True}
    )
    staff.is_staff = True
    staff.is_superuser = True
    staff.set_password(DEMO_PASSWORD)
    staff.save()
    for username, secret in DEMO_TOTP_SECRETS.items():
        _demo_device(users[username], secret)
    demo.update(clinic=clinic, users=users, password=DEMO_PASSWORD)
    demo["credentials"] = [
        *(
            (username, role.label + (" + two-factor code" if username in DEMO_TOTP_SECRETS else ""))
            for username, _first, _last, role in DEMO_USERS
        ),
        ("staff", "Staff admin (reference data in /admin/)"),
    ]
    demo.setdefault("notes", []).extend(
        [
            "Two-factor authentication (demo secrets: never use them for a real account). Add "
            "the secret to an authenticator app, or print the current code with "
            "`python manage.py demo_totp USERNAME`:",
            *(f"  {username:<12} {secret}" for username, secret in DEMO_TOTP_SECRETS.items()),
        ]
    )


def _demo_device(user, secret: str) -> TOTPDevice:
    """The demo user's one authenticator app, with the published secret (idempotent)."""
    key = mfa.hex_from_base32(secret)
    TOTPDevice.objects.filter(user=user).exclude(name=mfa.DEVICE_NAME, key=key).delete()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=mfa.DEVICE_NAME, key=key, defaults={"confirmed": True}
    )
    return device


def is_demo_device(device: TOTPDevice) -> bool:
    return device.key in {mfa.hex_from_base32(secret) for secret in DEMO_TOTP_SECRETS.values()}


def signing_code(user) -> str:
    """A code the demo's seeding can sign with: the current one, accepted again even if used
    a moment ago (the demo signs several assessments within one 30-second step)."""
    device = mfa.authenticator(user)
    if device is None or not is_demo_device(device):
        raise ValueError(f"{user} has no demo authenticator app")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return mfa.current_code(device)
