"""URLs of the main domain (BASE_DOMAIN): the public schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from taggit.models import Tag

from kimportal.views import health, language

# Tags live in each community's schema, which the main domain's admin never reads: its pages failed.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)

urlpatterns = [
    path("", include("feed.urls")),
    path("akun/", include("accounts.urls")),
    path("undangan/", include("communities.urls_invitations")),
    path("bahasa/<str:code>/", language, name="language"),
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
    path("moderasi/", include("moderation.urls")),
]

if settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
