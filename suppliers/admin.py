from django.contrib import admin

from clinics.admin_history import AuditedAdmin
from suppliers.models import Supplier


@admin.register(Supplier)
class SupplierAdmin(AuditedAdmin):
    list_display = [
        "legal_name",
        "trading_name",
        "clinic",
        "country",
        "contact_email",
        "updated_at",
    ]
    list_filter = ["clinic", "country"]
    search_fields = [
        "legal_name",
        "trading_name",
        "company_number",
        "contact_name",
        "contact_email",
    ]
    readonly_fields = ["created_at", "updated_at"]
