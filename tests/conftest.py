"""Shared test world: two communities in two regencies, built once per session, and personas.

Schemas are expensive, so the world is made once (`django_db_setup`); each test runs in a
transaction that is rolled back, so what a test writes never reaches the next one. Tests that must
commit for real use `committed_world`, which empties every table and builds the world again after.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import override_settings, setup_databases, teardown_databases
from django.utils import translation
from django_tenants.routers import TenantSyncRouter

from accounts.models import User
from communities import services
from communities.hosts import forget_local_hosts
from communities.models import Community, Membership, Province, Regency
from moderation import services as moderation_services
from moderation.models import Submission
from notices import fastpath as notices_fastpath
from tests.factories import make_post

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


PROVINCE = "33"  # Jawa Tengah
# side: (regency code, community name, community slug)
PLACES = {
    "a": ("33.75", "KIM Kraton Kidul", "kratonkidul"),
    "b": ("33.74", "KIM Tembalang", "tembalang"),
}


@dataclass(frozen=True)
class Persona:
    attribute: str  # the World field
    email: str
    name: str
    role: str  # a Membership.Role in the side's community, "editor" of its regency, "province_admin"
    where: str = ""  # "a" or "b"; "" for the province admin and the outsider


PERSONAS = (
    Persona("member_a", "anggota.a@example.id", "Siti Anggota", "member", "a"),
    Persona("admin_a", "pengelola.a@example.id", "Budi Pengelola", "admin", "a"),
    Persona("member_b", "anggota.b@example.id", "Dewi Anggota", "member", "b"),
    Persona("admin_b", "pengelola.b@example.id", "Agus Pengelola", "admin", "b"),
    Persona("editor_a", "editor.a@example.id", "Rina Editor", "editor", "a"),
    Persona("editor_b", "editor.b@example.id", "Hendra Editor", "editor", "b"),
    Persona("province_admin", "provinsi@example.id", "Sri Provinsi", "province_admin"),
    Persona("outsider", "warga@example.id", "Warga Biasa", ""),
)


def build_world() -> World:
    """Create the regions, both communities and every persona with its role."""
    services.regions_load()
    regencies = {side: Regency.objects.get(code=code) for side, (code, _name, _slug) in PLACES.items()}
    communities = {
        side: services.community_create(name=name, slug=slug, regency=regencies[side])
        for side, (_code, name, slug) in PLACES.items()
    }
    province = Province.objects.get(code=PROVINCE)
    users = {
        p.attribute: services.user_get_or_create(email=p.email, full_name=p.name, password=PASSWORD)
        for p in PERSONAS
    }
    for p in PERSONAS:
        user = users[p.attribute]
        if p.role in Membership.Role.values:
            services.membership_set(user=user, community=communities[p.where], role=p.role)
        elif p.role == "editor":
            services.editor_assign(user=user, regency=regencies[p.where])
        elif p.role == "province_admin":
            services.province_admin_assign(user=user, province=province)
    return load_world()


def load_world() -> World:
    """The world as stored now, read fresh (so in-memory edits of one test never reach another)."""
    users = {u.email: u for u in User.objects.filter(email__in=[p.email for p in PERSONAS])}
    return World(
        province=Province.objects.get(code=PROVINCE),
        regency_a=Regency.objects.get(code=PLACES["a"][0]),
        regency_b=Regency.objects.get(code=PLACES["b"][0]),
        community_a=Community.objects.get(slug=PLACES["a"][2]),
        community_b=Community.objects.get(slug=PLACES["b"][2]),
        **{p.attribute: users[p.email] for p in PERSONAS},
    )


def truncate_every_table() -> None:
    """Empty the table of every model the app registry knows: tenant apps' in each community's
    schema, shared apps' in public. Content types and permissions stay: migrate made them, not a
    test, and ContentType's process-wide cache would point at rows that were gone."""
    quote = connection.ops.quote_name
    # Placed by django-tenants' own rule, which also knows an app listed by its AppConfig's path
    # (the job queue's, whose name alone is in neither list): the tables are where migrate put them.
    in_list = TenantSyncRouter().app_in_list

    def tables(schema: str, app_names: list[str]) -> list[str]:
        return [
            f"{quote(schema)}.{quote(model._meta.db_table)}"
            for config in apps.get_app_configs()
            if in_list(config.label, app_names)
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model not in (ContentType, Permission)
        ]

    connection.set_schema_to_public()
    names = tables("public", settings.SHARED_APPS)
    for schema in Community.objects.exclude(schema_name="public").values_list("schema_name", flat=True):
        names += tables(schema, settings.TENANT_APPS)
    with connection.cursor() as cursor:
        # CASCADE: the template schema's empty tables refer to public ones (a post's author).
        cursor.execute(f"TRUNCATE {', '.join(names)} CASCADE")


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
    """The session's world, read fresh for each test."""
    return load_world()


@pytest.fixture
def committed_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world for tests whose writes commit (races between connections), without the rolled
    back transaction of `db`; afterwards every table is emptied and the world built again."""
    with django_db_blocker.unblock():
        yield load_world()
        connection.set_schema_to_public()
        truncate_every_table()
        build_world()


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts on the public schema with an empty cache (the host cache included), in the
    default language (a request in English leaves its language active in the thread)."""
    for cache in caches.all():
        cache.clear()
    forget_local_hosts()
    notices_fastpath.forget()  # each process keeps its areas' notices (notices/fastpath.py)
    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    connection.set_schema_to_public()


@pytest.fixture
def no_page_cache(settings):
    """Build every page afresh, for tests of what pages show (test_page_cache.py tests the cache)."""
    settings.PAGE_CACHE = False


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


@pytest.fixture
def publish(world, django_capture_on_commit_callbacks):
    """publish(community, author, title=..., **fields) -> the post, approved by its regency's editor
    (and what the approval does once committed: cached pages dropped, the last published time)."""

    def make(community, author, title, **fields):
        post = make_post(community, author, title=title, submit=True, **fields)
        submission = Submission.objects.get(community=community, post_id=post.pk, state="pending")
        editor = world.editor_a if community.regency_id == world.regency_a.pk else world.editor_b
        with django_capture_on_commit_callbacks(execute=True):
            moderation_services.submission_approve(submission_id=submission.pk, editor=editor)
        return post

    return make


@pytest.fixture(scope="session", autouse=True)
def _email_through_the_job_queue():
    """Every email in the tests goes the production way, through the queue (kimportal/mail.py), but
    its job runs at once (the immediate backend) into Django's test outbox: no worker needed.
    tests/kimportal/test_jobs.py runs the database queue and a real worker."""
    with override_settings(
        EMAIL_BACKEND="kimportal.mail.QueuedEmailBackend",
        EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield
