"""The supplier portal's records: requests and what the supplier sent (requests.py), and the
supplier's library of documents that are not lot-specific (library.py)."""

from portal.models.library import SUPPLIER_WIDE, LibraryDocument, LibraryQuerySet
from portal.models.requests import (
    DEFAULT_VALID_DAYS,
    PortalSettings,
    RequestedAssessment,
    RequestEvent,
    SupplierAnswer,
    SupplierDocument,
    SupplierRequest,
    SupplierRequestQuerySet,
    TokenThrottle,
)

__all__ = [
    "DEFAULT_VALID_DAYS",
    "SUPPLIER_WIDE",
    "LibraryDocument",
    "LibraryQuerySet",
    "PortalSettings",
    "RequestEvent",
    "RequestedAssessment",
    "SupplierAnswer",
    "SupplierDocument",
    "SupplierRequest",
    "SupplierRequestQuerySet",
    "TokenThrottle",
]
