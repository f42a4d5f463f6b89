"""The load table's floor: a bare Django view (no apps, no middleware, no database), served by the
same gunicorn command and config as the portal, from bench/. This module is its own settings."""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-floor-only"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
urlpatterns = [
    path("", lambda request: HttpResponse(b"hello")),
    path("healthz", lambda request: HttpResponse()),
]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__
application = get_wsgi_application()
