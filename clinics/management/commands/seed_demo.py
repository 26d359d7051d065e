"""Create (or refresh) a demo clinic with one user per role and a few products.

Idempotent: running it again changes nothing but resets the demo passwords.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from clinics.models import Clinic, Membership, Role, User
from products.models import CellStatus, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier

DEMO_PASSWORD = "exocheck-demo-2026"  # noqa: S105 - printed on purpose; demo only

DEMO_USERS = [
    ("clinician", "Cara", "Clinician", Role.CLINICIAN),
    ("manager", "Max", "Manager", Role.PRACTICE_MANAGER),
    ("clinicadmin", "Ada", "Admin", Role.CLINIC_ADMIN),
]

DEMO_SUPPLIERS = [
    {
        "legal_name": "Verdant Botanics Ltd",
        "trading_name": "Verdant",
        "company_number": "12345678",
        "contact_email": "regulatory@verdant.example",
        "products": [
            {
                "name": "Green Tea Exosome Serum",
                "brand": "Verdant",
                "form": "serum",
                "marketed_as": "cosmetic",
                "source": "plant",
                "cell_status": "cell-free",
                "routes": ["topical-intact-skin"],
                "statement": "Exosome-like vesicles from Camellia sinensis leaf cell culture.",
                "inci": "Aqua, Glycerin, Camellia Sinensis Leaf Extract, Phenoxyethanol",
                "claims": "Brightens and hydrates skin",
            },
            {
                "name": "Centella Booster",
                "brand": "Verdant",
                "form": "skin_booster",
                "marketed_as": "cosmetic",
                "source": "plant",
                "cell_status": "cell-free",
                "routes": ["topical-compromised-skin"],
                "statement": "Centella asiatica callus culture vesicles, lyophilised.",
                "inci": "Centella Asiatica Callus Culture Extract, Trehalose",
                "claims": "For use after microneedling",
            },
        ],
    },
    {
        "legal_name": "RegenAesthetics International Ltd",
        "trading_name": "RegenAesthetics",
        "country": "South Korea",
        "contact_email": "sales@regen.example",
        "products": [
            {
                "name": "ASCE+ Skin Booster",
                "brand": "RegenAesthetics",
                "form": "lyophilised",
                "marketed_as": "cosmetic",
                "source": "human-msc-adipose",
                "cell_status": "post-culture-processed",
                "routes": ["topical-compromised-skin"],
                "statement": "Human adipose stem cell conditioned media exosomes.",
                "inci": "Human Adipocyte Conditioned Media Extract, Water",
                "claims": "Repairs acne scars\nRegenerates skin",
            },
        ],
    },
    {
        "legal_name": "Nordic Marine Bio AS",
        "country": "Norway",
        "products": [
            {
                "name": "Salmon Vesicle Mask",
                "brand": "NordicBio",
                "form": "mask",
                "marketed_as": "unknown",
                "source": "animal",
                "cell_status": "unknown",
                "routes": ["topical-intact-skin"],
                "statement": "",
                "inci": "",
                "claims": "",
            },
        ],
    },
]


class Command(BaseCommand):
    help = "Create a demo clinic with one user per role, suppliers and products (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
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
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.invalid",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(user=user, clinic=clinic, defaults={"role": role})
            users[role] = user
        staff, _ = User.objects.get_or_create(
            username="staff", defaults={"first_name": "Sam", "last_name": "Staff", "is_staff": True}
        )
        staff.is_staff = True
        staff.is_superuser = True
        staff.set_password(DEMO_PASSWORD)
        staff.save()

        for supplier_data in DEMO_SUPPLIERS:
            data = dict(supplier_data)
            products = data.pop("products")
            supplier, _ = Supplier.objects.get_or_create(
                clinic=clinic, legal_name=data.pop("legal_name"), defaults=data
            )
            for product_data in products:
                self._product(clinic, supplier, product_data)

        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready: {clinic.name}"))
        self.stdout.write("Log in at http://127.0.0.1:8000/ with any of these (password for all):")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for username, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label}")
        self.stdout.write(f"  {'staff':<12} Staff admin (reference data in /admin/)")

    def _product(self, clinic, supplier, data):
        product, created = ExosomeProduct.objects.get_or_create(
            supplier=supplier,
            name=data["name"],
            defaults={
                "clinic": clinic,
                "brand": data["brand"],
                "form": data["form"],
                "marketed_as": data["marketed_as"],
                "source_category": SourceCategory.objects.get(slug=data["source"]),
                "cell_status": CellStatus.objects.get(slug=data["cell_status"]),
                "supplier_source_statement": data["statement"],
                "inci": data["inci"],
                "claims": data["claims"],
            },
        )
        if created:
            product.intended_routes.set(Route.objects.filter(slug__in=data["routes"]))
