"""The portal's records in the admin, read-only: they are changed only through the portal's
services (audited)."""

from django.contrib import admin

from portal.models import LibraryDocument, SupplierRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupplierRequest)
class SupplierRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "clinic", "created_at", "expires_at", "revoked_at", "submitted_at"]
    exclude = ["token_hash"]


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "clinic", "product", "expires_on", "confirmed_at", "withdrawn_at"]
