from django.urls import path

from clinics import views_members as views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("members/invite/", views.member_invite, name="invite"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/remove/", views.member_remove, name="remove"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="revoke_invitation"),
    path("invitations/accept/", views.invitation_accept, name="accept_invitation"),
    path("invitations/<slug:token>/", views.invitation_open, name="invitation"),
]
