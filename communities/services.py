"""Writes for communities, regions and roles. Views and commands call these, never the ORM directly."""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from .models import (
    RESERVED_SLUGS,
    Community,
    Domain,
    EditorAssignment,
    Membership,
    Province,
    ProvinceAdmin,
    Regency,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
User = get_user_model()


def regions_load(*, regency_files: tuple[str, ...] = ("regencies-jawa-tengah.csv",)) -> int:
    """Upsert Indonesia's provinces and the given provinces' kabupaten/kota; returns regencies loaded."""
    with open(DATA_DIR / "provinces.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Province.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "slug": slugify(row["name"])}
            )
    provinces = {p.code: p for p in Province.objects.all()}
    count = 0
    for filename in regency_files:
        with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                Regency.objects.update_or_create(
                    code=row["code"],
                    defaults={
                        "province": provinces[row["province_code"]],
                        "kind": row["kind"],
                        "name": row["name"],
                        "slug": slugify(f"{row['kind']} {row['name']}"),
                    },
                )
                count += 1
    return count


def template_schema_ensure(*, verbosity: int = 0) -> None:
    """Create or migrate the schema every new community is cloned from."""
    name = settings.TENANT_BASE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def schema_name_for(slug: str) -> str:
    return "kim_" + slug.replace("-", "_")


def community_check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Subdomain “%(slug)s” tidak dapat dipakai.") % {"slug": slug}})
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Subdomain “%(slug)s” sudah dipakai.") % {"slug": slug}})


def community_create(*, name: str, slug: str, regency: Regency, **profile) -> Community:
    """Create a community whose subdomain serves at once (its schema is cloned from the template)."""
    slug = slug.strip().lower()
    community_check_slug(slug)
    community = Community(name=name, slug=slug, regency=regency, schema_name=schema_name_for(slug), **profile)
    community.full_clean()
    with transaction.atomic():
        community.save(verbosity=0)
        Domain.objects.create(tenant=community, domain=community.host, is_primary=True)
    return community


def membership_set(*, user, community: Community, role: str = Membership.Role.MEMBER) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, community=community, defaults={"role": role}
    )
    return membership


def editor_assign(*, user, regency: Regency) -> EditorAssignment:
    assignment, _created = EditorAssignment.objects.get_or_create(user=user, regency=regency)
    return assignment


def province_admin_assign(*, user, province: Province) -> ProvinceAdmin:
    role, _created = ProvinceAdmin.objects.get_or_create(user=user, province=province)
    return role


def user_get_or_create(*, email: str, full_name: str = "", password: str | None = None):
    """The account for this email, created (with an unusable password unless one is given) if new."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name or email)
    return user
