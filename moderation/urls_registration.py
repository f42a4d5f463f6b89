"""The "Daftarkan KIM" pages on the main domain, under /daftar-kim/."""

from django.urls import path

from . import registration_views as views

app_name = "registration"

urlpatterns = [
    path("", views.register, name="register"),
    path("konfirmasi/<str:token>/", views.verify, name="verify"),
    path("<uuid:public_id>/", views.status, name="status"),
    path("<uuid:public_id>/tarik/", views.withdraw, name="withdraw"),
]
