from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("", views.register, name="register"),
    path("register.csv", views.register_csv_download, name="register_csv"),
    path("register.xlsx", views.register_xlsx_download, name="register_xlsx"),
    path("reports.zip", views.reports_zip, name="reports_zip"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
