"""Keeping thousands of community schemas migrated without visiting the up-to-date ones."""

from django.db import connection
from django.db.migrations.loader import MigrationLoader

BATCH = 500


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration of the project: django-tenants records all of them in each schema."""
    return set(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes)


def outdated_schemas(schemas: list[str]) -> list[str]:
    """The schemas missing any migration, found with one query per BATCH schemas."""
    expected = sorted(f"{app}.{name}" for app, name in expected_migrations())
    outdated = []
    for start in range(0, len(schemas), BATCH):
        batch = schemas[start : start + BATCH]
        counts = " UNION ALL ".join(
            f"SELECT %s, count(*) FROM {connection.ops.quote_name(schema)}.django_migrations"
            " WHERE app || '.' || name = ANY(%s)"
            for schema in batch
        )
        params = [value for schema in batch for value in (schema, expected)]
        with connection.cursor() as cursor:
            cursor.execute(counts, params)
            outdated += [schema for schema, count in cursor.fetchall() if count < len(expected)]
    return outdated
