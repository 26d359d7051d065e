from django.contrib import admin
from django.urls import include, path, re_path

from api import views as api_views
from api.main import api
from assessments.views.dashboard import dashboard
from assessments.views.rules_page import how_exocheck_decides

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("accounts/", include("clinics.urls_auth")),
    path("clinic/", include("clinics.urls_members")),
    path("suppliers/", include("suppliers.urls")),
    path("products/", include("products.urls")),
    path("assessments/", include("assessments.urls")),
    path("exports/", include("exports.urls")),
    path("register/", include("lifecycle.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("portal.urls")),
    path("how-exocheck-decides/", how_exocheck_decides, name="rules"),
    path("admin/", admin.site.urls),
    # The JSON API (docs/api.md): the docs page needs a session, every call a token.
    path("api/v1/docs/", api_views.docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", include("api.urls")),
    # After every API route: any other address under /api/ is a problem+json 404.
    re_path(r"^api/(?P<rest>.*)$", api_views.unknown_address, name="api_unknown"),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
