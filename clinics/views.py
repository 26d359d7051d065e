from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import render

from assessments.models import Assessment
from clinics import throttle
from clinics.decorators import clinic_member_required
from products.models import ExosomeProduct
from suppliers.models import Supplier

DASHBOARD_ROWS = 8


@clinic_member_required
def dashboard(request):
    clinic = request.clinic
    assessments = Assessment.objects.for_clinic(clinic).with_related()
    context = {
        "suppliers": Supplier.objects.for_clinic(clinic).order_by("-updated_at")[:DASHBOARD_ROWS],
        "supplier_count": Supplier.objects.for_clinic(clinic).count(),
        "products": ExosomeProduct.objects.for_clinic(clinic)
        .select_related("supplier", "source_category")
        .order_by("-updated_at")[:DASHBOARD_ROWS],
        "product_count": ExosomeProduct.objects.for_clinic(clinic).count(),
        "drafts": assessments.drafts().order_by("-updated_at")[:DASHBOARD_ROWS],
        "recent_assessments": assessments.order_by("-updated_at")[:DASHBOARD_ROWS],
        "assessment_count": assessments.count(),
    }
    return render(request, "clinics/dashboard.html", context)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the failure may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is throttled like log-in and sign-off (clinics/throttle.py)."""

    def __init__(self, user, *args, ip=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.ip = ip
        self.locked_out = False

    def clean_old_password(self):
        try:
            attempt = throttle.begin(self.user, purpose="password change", ip=self.ip)
        except throttle.ReauthLocked as locked:
            self.locked_out = True
            raise ValidationError(str(locked), code="locked_out") from None
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            if attempt.failed():
                self.locked_out = True
                raise ValidationError(str(attempt.lockout()), code="locked_out") from None
            raise
        except BaseException:
            attempt.abandoned()
            raise
        attempt.succeeded()
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ip": throttle.request_ip(self.request)}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = 429
        return response
