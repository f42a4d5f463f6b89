"""One word for "password": the portal says "kata sandi", and so do Django's own forms and messages."""

import re
from pathlib import Path

import django
from django.utils import translation

from tests.conftest import PASSWORD

# "sandi" on its own (Django's Indonesian catalogue mixes "Sandi anda" with "Kata sandi Anda").
LONE_SANDI = re.compile(r"(?<!kata )(?<!kata-)\bsandi\b", re.IGNORECASE)


def test_the_login_form_says_kata_sandi(main_client):
    page = main_client.get("/akun/masuk/").content.decode()

    label = re.search(r'<label for="id_password"[^>]*>(.*?)</label>', page, re.DOTALL)
    assert label and label.group(1).strip().startswith("Kata sandi")
    assert not LONE_SANDI.search(page)


def test_djangos_password_hints_say_kata_sandi(world, client_for):
    client = client_for(user=world.member_a)

    hints = client.get("/akun/kata-sandi/ubah/").content.decode()
    refused = client.post(
        "/akun/kata-sandi/ubah/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    ).content.decode()

    assert "Kata sandi Anda harus memuat setidaknya" in hints
    assert "Kata sandi terlalu pendek" in refused
    assert "Kata sandi ini seluruhnya terdiri dari angka" in refused
    assert not LONE_SANDI.search(hints) and not LONE_SANDI.search(refused)


def test_no_translation_django_ships_says_sandi_alone():
    root = Path(django.__file__).parent
    msgids = set()
    for app in ("contrib/auth", "contrib/admin", "conf"):
        catalogue = (root / app / "locale/id/LC_MESSAGES/django.po").read_text()
        msgids |= {m for m in re.findall(r'^msgid "(.+)"$', catalogue, re.MULTILINE) if "assword" in m}
    assert len(msgids) > 20  # the catalogues were found and read

    with translation.override("id"):
        lone = sorted(text for m in msgids if LONE_SANDI.search(text := translation.gettext(m)))
    assert lone == []
