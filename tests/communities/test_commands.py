from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from communities.models import Community, Invitation, RegistrationRequest


def test_create_community_makes_a_working_subdomain(world):
    out = StringIO()
    call_command(
        "create_community", "KIM Sapuro", "sapuro", "33.75", "--admin-email", "ketua@sapuro.id", stdout=out
    )

    assert "http://sapuro.kim.localhost/" in out.getvalue()
    response = Client(HTTP_HOST="sapuro.kim.localhost").get("/")
    assert response.status_code == 200
    assert b"KIM Sapuro" in response.content
    community = Community.objects.get(slug="sapuro")
    # The admin joins by accepting the emailed invitation (tests/onboarding/test_fixes.py).
    assert Invitation.objects.get(community=community).email == "ketua@sapuro.id"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["KIM Dua", "kratonkidul", "33.75"], "sudah dipakai"),
        (["KIM Www", "www", "33.75"], "tidak dapat dipakai"),
        (["KIM Salah", "Bukan Slug!", "33.75"], "huruf kecil"),
        (["KIM Entah", "entah", "99.99"], "No kabupaten/kota"),
    ],
)
def test_create_community_refuses_bad_input_clearly(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_community", *args, stdout=StringIO())


def test_seed_demo_creates_every_role_and_prints_the_logins(world, settings, tmp_path):
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    settings.STORAGES = {**settings.STORAGES, "private": private}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # a second run changes nothing

    printed = out.getvalue()
    assert "http://kratonkidul.kim.localhost/" in printed
    for email in (
        "anggota@kratonkidul.demo",
        "pengelola@kratonkidul.demo",
        "editor@kotapekalongan.demo",
        "admin@jatengprov.demo",
    ):
        assert email in printed
    assert Community.objects.filter(regency__code__in=["33.75", "33.74", "33.26", "33.02"]).count() >= 6
    pekalongan = Community.objects.get(slug="kratonkidul")
    assert pekalongan.regency.name == "Pekalongan" and pekalongan.regency.kind == "kota"
    assert Client(HTTP_HOST="baturraden.kim.localhost").get("/").status_code == 200
    waiting = RegistrationRequest.objects.get()  # one, however many runs
    assert (
        waiting.state == "pending" and waiting.regency.code == "33.75" and "A registration waits" in printed
    )
