from django.db import migrations

# A feed row (title, excerpt, ~800 characters of body, a ~1.2 KB search vector) is just over the
# 2 KB at which PostgreSQL starts toasting, so search vectors went out of line: ranking 200 search
# candidates then read ~600 extra TOAST pages, 1.4 ms of a 3.6 ms search at 100,000 posts
# (docs/benchmarks.md). Toasting only rows over a whole page keeps them inline.
TABLE = "moderation_feedentry"
BATCH = 5_000  # rows per transaction: a take-down or an edit waits for one batch, not the whole table


def rewrite_vectors(apps, schema_editor):
    """Store the vectors already written inline again, one short transaction per batch (the
    migration is not atomic). The old row versions are left for autovacuum to reuse."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {TABLE}")
        last = cursor.fetchone()[0]
        for start in range(0, last, BATCH):
            cursor.execute(
                f"UPDATE {TABLE} SET search_vector = search_vector || ''::tsvector WHERE id > %s AND id <= %s",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("moderation", "0008_report_rate_index")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)",
            f"ALTER TABLE {TABLE} RESET (toast_tuple_target)",
        ),
        migrations.RunPython(rewrite_vectors, migrations.RunPython.noop),
    ]
