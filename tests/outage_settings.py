"""Settings for the portal the outage tests and bench/outage.py run under gunicorn: production's, with
static files served without a manifest (no collectstatic) and a fast password hasher."""

from kimportal.settings import *  # noqa: F403
from kimportal.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
