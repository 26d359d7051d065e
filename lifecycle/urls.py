from django.urls import path

from lifecycle import views, views_reminders, views_settings

app_name = "lifecycle"
urlpatterns = [
    path("", views.register, name="register"),
    path("approved.csv", views.register_csv, name="register_csv"),
    path("approved.xlsx", views.register_xlsx, name="register_xlsx"),
    path("recheck/", views_reminders.recheck_page, name="recheck"),
    path("reminders/", views_reminders.preferences, name="preferences"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("unsubscribe/<str:token>/", views_reminders.unsubscribe, name="unsubscribe"),
]
