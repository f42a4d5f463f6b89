"""Invisible characters are stripped by every form of the project (kimportal/forms.py)."""

import importlib
import importlib.util
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from communities.models import Community
from kimportal.forms import VisibleTextMixin
from kimportal.text import strip_invisible


def project_apps() -> list[str]:
    """The project's own apps (any added later too): those whose code lives in this repository."""
    root = Path(settings.BASE_DIR)
    return [config.name for config in apps.get_app_configs() if Path(config.path).parent == root]


def test_it_strips_bidi_controls_and_zero_width_characters():
    assert strip_invisible("laporan\u202egnp.exe") == "laporangnp.exe"
    assert strip_invisible("\ufeffba\u200bt\u200c\u200d\u2060ik\u2066\u2069\u200e\u200f\u00ad") == "batik"
    assert strip_invisible("Kraton Kidul — ꦏꦿꦠꦺꦴꦤ꧀ 🌾") == "Kraton Kidul — ꦏꦿꦠꦺꦴꦤ꧀ 🌾"


def project_modules():
    """Every module of the project's apps but migrations, wherever forms may be declared."""
    for app in project_apps():
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                yield importlib.import_module(info.name)


def test_every_form_of_the_project_strips_them():
    found = []
    for module in project_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
                assert issubclass(cls, VisibleTextMixin), f"{cls.__module__}.{cls.__name__}"
    assert len(found) > 15


@pytest.mark.parametrize("field", ["name", "about"])
def test_a_community_profile_keeps_only_the_visible_text(world, client_for, field):
    client = client_for(world.community_a, world.admin_a)
    page = client.get("/kelola/komunitas/").context["form"]
    data = {name: value or "" for name, value in page.initial.items() if name != "logo"}
    data[field] = "KIM Kraton\u200b Kidul \u202eBersatu"
    assert client.post("/kelola/komunitas/", data).status_code == 302
    assert getattr(Community.objects.get(pk=world.community_a.pk), field) == "KIM Kraton Kidul Bersatu"


def test_a_password_keeps_every_character(world, client_for):
    """Passwords are not text to show: whatever was typed is what counts."""
    client = client_for()
    response = client.post(
        "/akun/masuk/", {"username": world.member_a.email, "password": "rahasia\u200b-uji-123"}
    )
    assert response.status_code == 200  # the stored password has no zero-width space
