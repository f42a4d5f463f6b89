"""A community's subdomain: readers report a published post."""

from django.urls import path

from . import public_views

app_name = "reports"

urlpatterns = [
    path("berita/<slug:slug>/laporkan/", public_views.report_post, name="report"),
]
