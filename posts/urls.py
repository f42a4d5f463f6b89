"""The member area, under /kelola/ on a community's subdomain: writing and previewing posts (sending
them for review is moderation.urls_member)."""

from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("tulisan/baru/", views.post_create, name="create"),
    path("tulisan/baru/simpan-otomatis/", views.post_autosave, name="autosave_new"),
    path("tulisan/<int:post_id>/", views.post_edit, name="edit"),
    path("tulisan/<int:post_id>/simpan-otomatis/", views.post_autosave, name="autosave"),
    path("tulisan/<int:post_id>/pratinjau/", views.post_preview, name="preview"),
    path("tulisan/<int:post_id>/hapus/", views.post_delete, name="delete"),
    path("foto/unggah/", views.photo_upload, name="photo_upload"),
    path("sw.js", views.service_worker, name="service_worker"),
]
