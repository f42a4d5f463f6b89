"""Feed entries say whether their post has a video, so cards mark it without reading the snapshot;
existing entries take it from their live snapshot, in their community's schema."""

from django.db import migrations, models

# The tenant tables as they are named (posts is a community app: not in this app's migration state).
POSTS, REVISIONS = "posts_post", "posts_postrevision"


def videos_from_snapshots(apps, schema_editor):
    """One UPDATE per community with entries (a community has hundreds of them, not millions), each
    committed on its own: in one transaction, the locks on every community's tables would outgrow
    PostgreSQL's lock table ("out of shared memory" at 1,000 communities). A schema without the
    posts tables is left alone."""
    entries = apps.get_model("feed", "FeedEntry")._meta.db_table
    communities = apps.get_model("communities", "Community")._meta.db_table
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.schema_name FROM {communities} c"
            f" WHERE EXISTS (SELECT 1 FROM {entries} e WHERE e.community_id = c.id)"
            f" AND to_regclass(quote_ident(c.schema_name) || '.{REVISIONS}') IS NOT NULL"
            f" AND to_regclass(quote_ident(c.schema_name) || '.{POSTS}') IS NOT NULL"
        )
        found = cursor.fetchall()
    for community_id, schema_name in found:
        schema = quote(schema_name)
        schema_editor.execute(
            f"UPDATE {entries} e SET has_video = true FROM {schema}.{POSTS} p"
            f" JOIN {schema}.{REVISIONS} r ON r.id = p.live_revision_id"
            " WHERE e.community_id = %s AND p.id = e.post_id AND jsonb_typeof(r.snapshot -> 'video') = 'object'",
            [community_id],
        )


class Migration(migrations.Migration):
    atomic = False  # see videos_from_snapshots; the column is added before, in its own statement

    dependencies = [("feed", "0008_photo_hashes"), ("communities", "0009_clone_schema_plan")]

    operations = [
        migrations.AddField(
            model_name="feedentry",
            name="has_video",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(videos_from_snapshots, migrations.RunPython.noop),
    ]
