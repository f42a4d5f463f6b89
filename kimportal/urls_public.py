"""URLs of the main domain (BASE_DOMAIN): the public schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from communities import views as community_views

urlpatterns = [
    path("", community_views.province_home, name="home"),
    path("akun/", include("accounts.urls")),
    path("undangan/", include("communities.urls_invitations")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
