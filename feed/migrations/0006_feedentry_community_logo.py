"""Feed entries keep their community's logo (its place in the media store, `<schema>/<name>`), so
cards show it without a query per card; existing entries take it from their community."""

from django.db import migrations, models


def logos_from_communities(apps, schema_editor):
    entries = apps.get_model("feed", "FeedEntry")._meta.db_table
    communities = apps.get_model("communities", "Community")._meta.db_table
    schema_editor.execute(
        f"UPDATE {entries} e SET community_logo = c.schema_name || '/' || c.logo"
        f" FROM {communities} c WHERE c.id = e.community_id AND c.logo <> ''"
    )


class Migration(migrations.Migration):
    dependencies = [("feed", "0005_search_stemmed"), ("communities", "0008_community_archived_at")]

    operations = [
        migrations.AddField(
            model_name="feedentry",
            name="community_logo",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(logos_from_communities, migrations.RunPython.noop),
    ]
