"""Keeping thousands of community schemas migrated without visiting the up-to-date ones."""

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

BATCH = 500


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration of the project: django-tenants records all of them in each schema."""
    return set(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes)


def shared_only(migrations: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of `migrations` whose apps live only in the public schema. In a community schema the
    tenant router skips their operations, so a migrate run there would only record them."""
    tenant_apps = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    return {(app, name) for app, name in migrations if app not in tenant_apps}


def outdated_schemas(schemas: list[str], migrations: set[tuple[str, str]] | None = None) -> list[str]:
    """The schemas missing any of `migrations` (default: all), found with one query per BATCH schemas."""
    expected = sorted(
        f"{app}.{name}" for app, name in (expected_migrations() if migrations is None else migrations)
    )
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


def record_migrations(schemas: list[str], migrations: set[tuple[str, str]]) -> None:
    """Mark `migrations` applied in each schema where they are not yet, as a migrate run would."""
    names = sorted(migrations)
    with connection.cursor() as cursor:
        for schema in schemas:
            table = f"{connection.ops.quote_name(schema)}.django_migrations"
            cursor.execute(
                f"INSERT INTO {table} (app, name, applied)"
                " SELECT m.app, m.name, now() FROM unnest(%s::varchar[], %s::varchar[]) AS m(app, name)"
                f" WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.app = m.app AND d.name = m.name)",
                [[app for app, _ in names], [name for _, name in names]],
            )
