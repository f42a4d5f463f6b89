"""Invitation acceptance, on the main domain under /undangan/."""

from django.urls import path

from . import views_invitations as views

app_name = "invitations"

urlpatterns = [
    path("<slug:token>/", views.invitation_accept, name="accept"),
]
