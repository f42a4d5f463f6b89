"""The clean-up after tests that commit for real (conftest's `committed_world`): nothing they wrote
reaches the tests after them, whichever app's table it went to."""

from django.core.mail import send_mail
from django.db import connection
from django_tasks_db.models import DBTaskResult

from communities.models import Community
from tests.conftest import truncate_every_table

# Made by migrate, not by a test, and kept on purpose; kim_clone_plan is what the community schema
# copier learnt about the template schema (communities migration 0009), no model's table.
KEPT = {"django_migrations", "django_content_type", "auth_permission", "kim_clone_plan"}


def rows_left() -> dict[str, int]:
    """Rows in every table the database has, in public and in each community's schema."""
    communities = Community.objects.exclude(schema_name="public")
    schemas = ["public", *communities.values_list("schema_name", flat=True)]
    quote = connection.ops.quote_name
    left = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE' AND table_schema = ANY(%s)",
            [schemas],
        )
        for schema, table in cursor.fetchall():
            if table not in KEPT:
                cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(table)}")
                left[f"{schema}.{table}"] = cursor.fetchone()[0]
    return {table: count for table, count in left.items() if count}


def test_truncating_leaves_no_row_in_any_table_not_even_a_queued_job(committed_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as in production
    settings.EMAIL_BACKEND = "kimportal.mail.QueuedEmailBackend"
    send_mail("Kiriman disetujui", "Tulisan Anda tayang.", None, ["anggota.a@example.id"])  # commits
    assert DBTaskResult.objects.count() == 1

    truncate_every_table()

    assert rows_left() == {}
