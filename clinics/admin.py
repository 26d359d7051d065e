from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from clinics.admin_history import AuditedAdmin
from clinics.models import Clinic, Invitation, Membership, User
from core.admin_widgets import SafeAutocompleteMixin


class MembershipInline(SafeAutocompleteMixin, admin.StackedInline):
    # Stacked, not tabular: each field keeps its own <label> (a tabular inline labels its
    # inputs only by column header, which axe reports as unlabelled form fields).
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class ExoCheckUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    # Plain labelled multi-selects instead of Django's two-box filter widget, whose search
    # icons carry ARIA attributes axe rejects (WCAG 4.1.2); the log-in dates are facts the
    # system records, shown read-only rather than as two unlabelled date/time inputs each.
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Clinic)
class ClinicAdmin(AuditedAdmin):
    # Audited: its settings (single-person sign-off above all) change who may sign what.
    list_display = ["name", "slug", "registration_number", "default_jurisdiction", "created_at"]
    search_fields = ["name", "slug", "registration_number"]
    list_filter = ["default_jurisdiction"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SafeAutocompleteMixin, AuditedAdmin):
    list_display = ["user", "clinic", "role", "created_at"]
    list_filter = ["role", "clinic"]
    search_fields = ["user__username", "user__email", "clinic__name"]
    autocomplete_fields = ["user", "clinic"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "clinic", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "clinic"]
    search_fields = ["email", "clinic__name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by"]
