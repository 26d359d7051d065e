from django.contrib import admin

from clinics.admin_history import AuditedAdmin
from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory


class ReferenceAdmin(AuditedAdmin):
    """Reference data: staff edit it; slugs are stable once other records point at them."""

    list_display = ["name", "slug", "active", "display_order"]
    list_editable = ["active", "display_order"]
    list_filter = ["active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Rules and stored assessments refer to slugs: renaming one would silently re-map them.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


@admin.register(SourceCategory)
class SourceCategoryAdmin(ReferenceAdmin):
    list_display = ["name", "slug", "origin_kind", "active", "display_order"]
    list_filter = ["origin_kind", "active"]


@admin.register(CellStatus)
class CellStatusAdmin(ReferenceAdmin):
    pass


@admin.register(Route)
class RouteAdmin(ReferenceAdmin):
    pass


@admin.register(EvidenceType)
class EvidenceTypeAdmin(ReferenceAdmin):
    list_display = ["name", "slug", "reference_standard", "lot_specific", "active", "display_order"]
    list_filter = ["lot_specific", "active"]


@admin.register(ExosomeProduct)
class ExosomeProductAdmin(AuditedAdmin):
    list_display = ["name", "brand", "supplier", "clinic", "source_category", "marketed_as"]
    list_filter = ["clinic", "marketed_as", "source_category", "cell_status", "form"]
    search_fields = ["name", "brand", "supplier__legal_name", "inci"]
    autocomplete_fields = ["supplier"]
    filter_horizontal = ["intended_routes"]
    readonly_fields = ["created_at", "updated_at"]
