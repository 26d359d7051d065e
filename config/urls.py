from django.contrib import admin
from django.urls import include, path

from assessments.views.rules_page import how_exocheck_decides
from clinics import views as clinic_views

urlpatterns = [
    path("", clinic_views.dashboard, name="dashboard"),
    path("accounts/", include("clinics.urls_auth")),
    path("clinic/", include("clinics.urls_members")),
    path("suppliers/", include("suppliers.urls")),
    path("products/", include("products.urls")),
    path("assessments/", include("assessments.urls")),
    path("exports/", include("exports.urls")),
    path("how-exocheck-decides/", how_exocheck_decides, name="rules"),
    path("admin/", admin.site.urls),
]

handler403 = "clinics.views.error_403"
handler404 = "clinics.views.error_404"
handler500 = "clinics.views.error_500"
