from django.urls import path

from assessments.views import listing

app_name = "assessments"
urlpatterns = [
    path("", listing.assessment_list, name="list"),
    path("<int:pk>/", listing.assessment_detail, name="detail"),
]
