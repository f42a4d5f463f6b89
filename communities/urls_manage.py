"""Community management, on the community's subdomain under /kelola/komunitas/ (admins only)."""

from django.urls import path

from . import views_manage as views

app_name = "community_manage"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("anggota/", views.members, name="members"),
    path("anggota/<int:membership_id>/peran/", views.member_role, name="member_role"),
    path("anggota/<int:membership_id>/keluarkan/", views.member_remove, name="member_remove"),
    path("undangan/", views.invitations, name="invitations"),
    path("undangan/<int:invitation_id>/batalkan/", views.invitation_revoke, name="invitation_revoke"),
]
