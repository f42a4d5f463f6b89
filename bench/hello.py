"""The floor for the load table: a bare Django "hello" app, served by the same gunicorn command and
config as the portal (`gunicorn hello:application -c kimportal/gunicorn.conf.py`, from bench/).

No middleware, no apps, no database: what is left is gunicorn, the WSGI handler and URL resolving.
This module is its own settings module.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-floor-only"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
MIDDLEWARE: list[str] = []
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("", hello), path("healthz", hello)]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__
application = get_wsgi_application()
