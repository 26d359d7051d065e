"""The demo clinic and one user per role, for `manage.py seed_demo` (idempotent)."""

from django.db import transaction

from clinics.models import Clinic, Membership, Role, User

DEMO_PASSWORD = "exocheck-demo-2026"  # noqa: S105 - printed on purpose; demo only

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
    demo.update(clinic=clinic, users=users, password=DEMO_PASSWORD)
    demo["credentials"] = [
        *((username, role.label) for username, _first, _last, role in DEMO_USERS),
        ("staff", "Staff admin (reference data in /admin/)"),
    ]
