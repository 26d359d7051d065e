from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from clinics.admin_history import AuditedAdmin
from clinics.models import Clinic, Invitation, Membership, Role, User
from clinics.services import LAST_ADMIN_MESSAGE
from core.admin_widgets import SafeAutocompleteMixin

# The members page refuses to leave a clinic without a clinic admin (clinics/services.py);
# so does the admin, where staff can change roles, move and delete memberships.


def _admin_count(clinic_id) -> int:
    return Membership.objects.for_clinic(clinic_id).admins().count()


def _is_last_admin(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.role == Role.CLINIC_ADMIN
        and _admin_count(membership.clinic_id) <= 1
    )


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "clinic", "role"]

    def clean(self):
        cleaned = super().clean()
        stored = (
            Membership.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        )
        stays_admin = cleaned.get("role") == Role.CLINIC_ADMIN and (
            cleaned.get("clinic") is None
            or cleaned["clinic"].pk == getattr(stored, "clinic_id", None)
        )
        if _is_last_admin(stored) and not stays_admin:
            raise ValidationError(LAST_ADMIN_MESSAGE)
        return cleaned


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        clinic = self.instance
        if clinic.pk is None or _admin_count(clinic.pk) == 0:
            return  # a new clinic, or one that has no admin yet: nothing to keep
        admins_after = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Role.CLINIC_ADMIN
        ]
        if not admins_after:
            raise ValidationError(LAST_ADMIN_MESSAGE)


class MembershipInline(SafeAutocompleteMixin, admin.StackedInline):
    # Stacked, not tabular: each field keeps its own <label> (a tabular inline labels its
    # inputs only by column header, which axe reports as unlabelled form fields).
    model = Membership
    formset = MembershipInlineFormSet
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
    form = MembershipAdminForm

    def has_delete_permission(self, request, obj=None):
        if _is_last_admin(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # A selection may hold a clinic's only admin: memberships are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "clinic", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "clinic"]
    search_fields = ["email", "clinic__name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by"]
