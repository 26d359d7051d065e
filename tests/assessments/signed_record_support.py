"""Helpers for the signed-record tests: sign an assessment, then rename what it points at."""

from assessments.models import Assessment
from products.models import Route
from tests.factories import code_for
from tests.reporting import make_assessment, sign

# What the plant product, its supplier and the default route are called when it is signed.
SIGNED_PRODUCT = "Green Tea Exosome Serum"
SIGNED_BRAND = "Verdant"
SIGNED_SUPPLIER = "Verdant Botanics Ltd"
SIGNED_LOT = "LOT-2026-0042"
SIGNED_ROUTE_SLUG = "topical-intact-skin"

RENAMED_PRODUCT = "Renamed Serum"
RENAMED_BRAND = "Renamed Brand"
RENAMED_SUPPLIER = "Renamed Holdings plc"
RENAMED_TRADING = "Renamed Trading Co"
RENAMED_ROUTE = "Renamed route wording"


def signed_assessment(*, clinic, product, clinician, manager) -> Assessment:
    """A plant serum assessment signed off through the real service (real PDF)."""
    assessment = make_assessment(clinic=clinic, product=product, user=clinician)
    return sign(assessment, manager, otp_code=code_for(manager))


def rename_everything(product) -> None:
    """Rename the product, its brand and its supplier, change the product's routes and
    reword the route the assessment answered: everything a signed record points at."""
    supplier = product.supplier
    supplier.legal_name = RENAMED_SUPPLIER
    supplier.trading_name = RENAMED_TRADING
    supplier.save()
    product.name = RENAMED_PRODUCT
    product.brand = RENAMED_BRAND
    product.save()
    product.intended_routes.set([Route.objects.get(slug="injection")])
    Route.objects.filter(slug=SIGNED_ROUTE_SLUG).update(name=RENAMED_ROUTE)


def renamed_values() -> tuple[str, ...]:
    return (RENAMED_PRODUCT, RENAMED_BRAND, RENAMED_SUPPLIER, RENAMED_TRADING, RENAMED_ROUTE)
