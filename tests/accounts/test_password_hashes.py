"""Passwords are stored as Argon2id; a PBKDF2 hash from before is replaced at its next sign-in."""

from django.contrib.auth.hashers import make_password

import kimportal.settings as project_settings
from accounts.models import User
from tests.conftest import PASSWORD


def test_it_hashes_new_passwords_with_argon2_first():
    # The tests themselves use a fast hasher (tests/conftest.py); the project's list is what runs.
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_upgrades_a_pbkdf2_hash_when_its_owner_signs_in(settings, world, main_client):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    User.objects.filter(pk=world.member_a.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    response = main_client.post("/akun/masuk/", {"username": world.member_a.email, "password": PASSWORD})

    assert response.status_code == 302
    stored = User.objects.get(pk=world.member_a.pk).password
    assert stored.startswith("argon2$argon2id$")
    # ... and the new hash signs in too.
    main_client.logout()
    again = main_client.post("/akun/masuk/", {"username": world.member_a.email, "password": PASSWORD})
    assert again.status_code == 302
