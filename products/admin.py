from django.contrib import admin

from clinics.admin_history import AuditedAdmin
from core.admin_widgets import SafeAutocompleteMixin
from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory


class ReferenceAdmin(AuditedAdmin):
    """Reference data: staff reword and order it; the slugs are the rules' own.

    A row cannot be added or deleted here: the set of slugs is the rules' vocabulary, and a
    system check refuses to start when the two differ. Retiring a value is "active" off.
    """

    list_display = ["name", "slug", "active", "display_order"]
    list_filter = ["active"]
    search_fields = ["name", "slug", "description"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourceCategory)
class SourceCategoryAdmin(ReferenceAdmin):
    pass


@admin.register(CellStatus)
class CellStatusAdmin(ReferenceAdmin):
    pass


@admin.register(Route)
class RouteAdmin(ReferenceAdmin):
    pass


@admin.register(EvidenceType)
class EvidenceTypeAdmin(ReferenceAdmin):
    pass


@admin.register(ExosomeProduct)
class ExosomeProductAdmin(SafeAutocompleteMixin, AuditedAdmin):
    list_display = ["name", "brand", "supplier", "clinic", "source_category", "marketed_as"]
    list_filter = ["clinic", "marketed_as", "source_category", "cell_status", "form"]
    search_fields = ["name", "brand", "supplier__legal_name", "inci"]
    autocomplete_fields = ["supplier"]
    filter_horizontal = ["intended_routes"]
    readonly_fields = ["created_at", "updated_at"]
