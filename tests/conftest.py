"""Shared test world: two communities in two regencies, built once per session, and personas.

Schemas are expensive, so the world is made once (`django_db_setup`); each test runs in a
transaction that is rolled back, so what a test writes never reaches the next one.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import setup_databases, teardown_databases

from accounts.models import User
from communities import services
from communities.hosts import forget_local_hosts
from communities.models import Community, Membership, Province, Regency

PASSWORD = "rahasia-uji-123"


@dataclass
class World:
    province: Province
    regency_a: Regency  # Kota Pekalongan
    regency_b: Regency  # Kota Semarang
    community_a: Community  # KIM Kraton Kidul, in regency A
    community_b: Community  # KIM Tembalang, in regency B
    member_a: User
    admin_a: User
    member_b: User
    admin_b: User
    editor_a: User
    editor_b: User
    province_admin: User
    outsider: User


def _person(email: str, name: str) -> User:
    return services.user_get_or_create(email=email, full_name=name, password=PASSWORD)


def build_world() -> World:
    services.regions_load()
    regency_a = Regency.objects.get(code="33.75")
    regency_b = Regency.objects.get(code="33.74")
    community_a = services.community_create(name="KIM Kraton Kidul", slug="kratonkidul", regency=regency_a)
    community_b = services.community_create(name="KIM Tembalang", slug="tembalang", regency=regency_b)
    world = World(
        province=regency_a.province,
        regency_a=regency_a,
        regency_b=regency_b,
        community_a=community_a,
        community_b=community_b,
        member_a=_person("anggota.a@example.id", "Siti Anggota"),
        admin_a=_person("pengelola.a@example.id", "Budi Pengelola"),
        member_b=_person("anggota.b@example.id", "Dewi Anggota"),
        admin_b=_person("pengelola.b@example.id", "Agus Pengelola"),
        editor_a=_person("editor.a@example.id", "Rina Editor"),
        editor_b=_person("editor.b@example.id", "Hendra Editor"),
        province_admin=_person("provinsi@example.id", "Sri Provinsi"),
        outsider=_person("warga@example.id", "Warga Biasa"),
    )
    services.membership_set(user=world.member_a, community=community_a)
    services.membership_set(user=world.admin_a, community=community_a, role=Membership.Role.ADMIN)
    services.membership_set(user=world.member_b, community=community_b)
    services.membership_set(user=world.admin_b, community=community_b, role=Membership.Role.ADMIN)
    services.editor_assign(user=world.editor_a, regency=regency_a)
    services.editor_assign(user=world.editor_b, regency=regency_b)
    services.province_admin_assign(user=world.province_admin, province=world.province)
    return world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        # pytest-django creates the test database only for tests that use `db`; the concurrency
        # tests commit for real and must not, so run on their own they would get none.
        own = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        services.template_schema_ensure()
        build_world()
    yield
    if own is not None:
        with django_db_blocker.unblock():
            teardown_databases(own, verbosity=0)


@pytest.fixture
def world(db) -> World:
    """The session's world, read fresh for each test (so in-memory edits never leak)."""
    users = {u.email: u for u in User.objects.all()}
    return World(
        province=Province.objects.get(code="33"),
        regency_a=Regency.objects.get(code="33.75"),
        regency_b=Regency.objects.get(code="33.74"),
        community_a=Community.objects.get(slug="kratonkidul"),
        community_b=Community.objects.get(slug="tembalang"),
        member_a=users["anggota.a@example.id"],
        admin_a=users["pengelola.a@example.id"],
        member_b=users["anggota.b@example.id"],
        admin_b=users["pengelola.b@example.id"],
        editor_a=users["editor.a@example.id"],
        editor_b=users["editor.b@example.id"],
        province_admin=users["provinsi@example.id"],
        outsider=users["warga@example.id"],
    )


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts on the public schema with an empty cache (the host cache included)."""
    for cache in caches.all():
        cache.clear()
    forget_local_hosts()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


def host_of(community: Community | None = None) -> str:
    return community.host if community else settings.BASE_DOMAIN


@pytest.fixture
def client_for():
    """client_for(community=None, user=None, **extra) -> a test client talking to that host."""

    def make(community: Community | None = None, user: User | None = None, **extra) -> Client:
        client = Client(HTTP_HOST=host_of(community), **extra)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def main_client(client_for) -> Client:
    return client_for()
