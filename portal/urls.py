from django.urls import path

from portal.views import clinic, library, review, supplier

app_name = "portal"
urlpatterns = [
    # The clinic's pages.
    path("portal/requests/", clinic.request_list, name="requests"),
    path(
        "portal/assessments/<int:pk>/request/",
        clinic.new_for_assessment,
        name="new_for_assessment",
    ),
    path("portal/suppliers/<int:pk>/request/", clinic.new_for_supplier, name="new_for_supplier"),
    path("portal/suppliers/<int:pk>/library/", clinic.library, name="library"),
    path("portal/library/<int:pk>/retire/", library.retire, name="retire_library"),
    path("portal/requests/<int:pk>/", review.request_detail, name="request"),
    path("portal/requests/<int:pk>/revoke/", clinic.revoke, name="revoke"),
    path("portal/requests/<int:pk>/follow-up/", clinic.follow_up_request, name="follow_up"),
    path("portal/documents/<int:pk>/open/", review.open_file, name="open_file"),
    path("portal/documents/<int:pk>/confirm/", review.confirm, name="confirm"),
    path("portal/answers/<int:pk>/apply/", review.apply, name="apply"),
    path("portal/settings/", clinic.settings_page, name="settings"),
    # The supplier's pages: the link is the only key (portal/views/access.py).
    path("supplier/<str:token>/", supplier.page, name="supplier"),
    path("supplier/<str:token>/answers/", supplier.answers, name="supplier_answers"),
    path(
        "supplier/<str:token>/documents/<int:item_pk>/<slug:slug>/",
        supplier.upload,
        name="supplier_upload",
    ),
    path(
        "supplier/<str:token>/library/<int:item_pk>/<int:library_pk>/",
        supplier.reuse,
        name="supplier_reuse",
    ),
    path(
        "supplier/<str:token>/remove/<int:document_pk>/",
        supplier.remove,
        name="supplier_remove",
    ),
]
