"""Notifications in the admin: read-only, for looking into "I was never told" reports.
They are written only by notifications/services.py."""

from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "clinic", "kind", "created_at", "read_at"]
    list_filter = ["kind", "clinic"]
    search_fields = ["title", "recipient__username", "recipient__email", "clinic__name"]
    list_select_related = ["recipient", "clinic"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
