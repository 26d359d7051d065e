"""Demo suppliers and products for `manage.py seed_demo` (idempotent)."""

from products.models import CellStatus, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier

DEMO_SUPPLIERS = [
    {
        "legal_name": "Verdant Botanics Ltd",
        "trading_name": "Verdant",
        "country": "United Kingdom",
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
            {
                "name": "Aloe Calm Mist",
                "brand": "Verdant",
                "form": "serum",
                "marketed_as": "cosmetic",
                "source": "plant",
                "cell_status": "cell-free",
                "routes": ["topical-intact-skin"],
                "statement": "Aloe barbadensis leaf vesicles, ultrafiltered.",
                "inci": "Aloe Barbadensis Leaf Juice\nGlycerin\nSodium Benzoate",
                "claims": "Soothes and calms",
            },
            {
                "name": "Ginseng Renewal Ampoule",
                "brand": "Verdant",
                "form": "serum",
                "marketed_as": "cosmetic",
                "source": "plant",
                "cell_status": "post-culture-processed",
                "routes": ["topical-intact-skin"],
                "statement": "Panax ginseng callus culture secretome.",
                "inci": "Panax Ginseng Callus Culture Extract, Aqua",
                "claims": "Revitalises tired skin",
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


def _product(clinic, supplier, data):
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


def seed(demo: dict) -> None:
    clinic = demo["clinic"]
    for supplier_data in DEMO_SUPPLIERS:
        data = dict(supplier_data)
        products = data.pop("products")
        supplier, _ = Supplier.objects.get_or_create(
            clinic=clinic, legal_name=data.pop("legal_name"), defaults=data
        )
        for product_data in products:
            _product(clinic, supplier, product_data)
