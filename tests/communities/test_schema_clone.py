"""A community's schema is a copy of the template: same tables, columns, constraints and indexes."""

import io

from django.conf import settings
from django.core.management import call_command
from django.db import connection


def structure(schema: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, is_identity"
            " FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint c"
            " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %s ORDER BY 2",
            [schema],
        )
        constraints = [(table.split(".")[-1], name, kind) for table, name, kind in cursor.fetchall()]
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes WHERE schemaname = %s ORDER BY 1",
            [f"{schema}.", schema],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY 1, 2')
        migrations = cursor.fetchall()
    return {"columns": columns, "constraints": constraints, "indexes": indexes, "migrations": migrations}


def test_a_community_schema_matches_the_template(world):
    template = structure(settings.COMMUNITY_TEMPLATE_SCHEMA)
    community = structure(world.community_a.schema_name)

    assert template["columns"] and template["indexes"] and template["migrations"]
    assert community == template


def test_a_cloned_schema_holds_posts_that_point_at_public_users(world):
    from tests.factories import make_post

    first = make_post(world.community_a, world.member_a)
    other = make_post(world.community_b, world.member_b)

    assert first.author_id == world.member_a.pk and other.author_id == world.member_b.pk


def test_only_schemas_missing_a_migration_are_outdated(world):
    from communities.schemas import outdated_schemas

    schemas = [world.community_a.schema_name, world.community_b.schema_name]
    assert outdated_schemas(schemas) == []

    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{world.community_b.schema_name}".django_migrations'
            " WHERE app = 'posts' AND name = '0001_initial'"
        )

    assert outdated_schemas(schemas) == [world.community_b.schema_name]


def test_a_schema_missing_only_a_public_app_migration_gets_it_recorded_without_a_migrate_run(world):
    from communities.schemas import outdated_schemas

    schemas = [world.community_a.schema_name, world.community_b.schema_name]
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{world.community_b.schema_name}".django_migrations'
            " WHERE app = 'moderation' AND name = '0009_feedentry_inline_search_vector'"
        )
    assert outdated_schemas(schemas) == [world.community_b.schema_name]

    out = io.StringIO()
    call_command("migrate_portal", verbosity=1, stdout=out)

    assert outdated_schemas(schemas) == []
    assert " 0 migrated, 1 given the public apps' new migration records" in out.getvalue()


def test_a_copy_after_the_template_changed_carries_the_change(world):
    """kim_clone_schema keeps what it read of the template until the template's migrations change."""
    from communities.services import community_create

    template = settings.COMMUNITY_TEMPLATE_SCHEMA
    first = community_create(name="KIM Salinan Satu", slug="salinan-satu", regency=world.community_a.regency)
    with connection.cursor() as cursor:  # what a new migration of the template would do
        cursor.execute(f'CREATE INDEX posts_post_title_probe ON "{template}".posts_post (title)')
        cursor.execute(
            f'INSERT INTO "{template}".django_migrations (app, name, applied)'
            " VALUES ('posts', '9999_probe', now())"
        )

    second = community_create(name="KIM Salinan Dua", slug="salinan-dua", regency=world.community_a.regency)

    assert "posts_post_title_probe" not in dict(structure(first.schema_name)["indexes"])
    assert structure(second.schema_name) == structure(template)
