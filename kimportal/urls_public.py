"""URLs of the main domain (BASE_DOMAIN): the public schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from taggit.models import Tag

from kimportal.views import health, language, media_patterns, ready

handler500 = "kimportal.views.server_error"

# Tags live in each community's schema, which the main domain's admin never reads: its pages failed.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)

urlpatterns = [
    path("", include("feed.urls")),
    path("akun/", include("accounts.urls")),
    path("undangan/", include("communities.urls_invitations")),
    path("daftar-kim/", include("moderation.urls_registration")),
    path("bahasa/<str:code>/", language, name="language"),
    path("healthz", health, name="health"),
    path("readyz", ready, name="ready"),
    path("admin/", admin.site.urls),
    path("moderasi/", include("moderation.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += media_patterns()
