"""URLs of a community's subdomain (<slug>.BASE_DOMAIN): its own schema."""

from django.conf import settings
from django.urls import include, path

from kimportal.views import health, language, media_patterns, ready

handler500 = "kimportal.views.server_error"

urlpatterns = [
    path("kelola/komunitas/", include("communities.urls_manage")),
    path("kelola/", include("posts.urls")),
    path("kelola/", include("moderation.urls_member")),
    path("bahasa/<str:code>/", language, name="language"),
    path("healthz", health, name="health"),
    path("readyz", ready, name="ready"),
    path("", include("feed.urls_community")),
    path("", include("moderation.urls_community")),
]

if settings.SERVE_MEDIA:
    urlpatterns += media_patterns()
