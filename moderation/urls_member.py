"""The member area's review steps, under /kelola/ on a community's subdomain (beside posts.urls)."""

from django.urls import path

from . import views_member as views

app_name = "submissions"

urlpatterns = [
    path("tulisan/baru/simpan-kirim/", views.post_save_and_submit, name="save_submit_new"),
    path("tulisan/<int:post_id>/simpan-kirim/", views.post_save_and_submit, name="save_submit"),
    path("tulisan/<int:post_id>/kirim/", views.post_submit, name="submit"),
    path("tulisan/<int:post_id>/tarik/", views.post_withdraw, name="withdraw"),
]
