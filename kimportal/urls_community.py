"""URLs of a community's subdomain (<slug>.BASE_DOMAIN): its own schema."""

from django.conf import settings
from django.urls import include, path

from communities import views as community_views

urlpatterns = [
    path("", community_views.community_home, name="home"),
    path("kelola/komunitas/", include("communities.urls_manage")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
