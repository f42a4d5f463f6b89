"""Feed entries keep their post's host (the community's subdomain) and path instead of an absolute URL,
so scheme, domain and port come from the settings when a page is shown, for old entries too."""

from django.conf import settings
from django.db import migrations, models


def _tables(apps):
    return apps.get_model("feed", "FeedEntry")._meta.db_table, apps.get_model("communities", "Community")._meta.db_table


def urls_to_paths(apps, schema_editor):
    entries, communities = _tables(apps)
    schema_editor.execute(
        f"UPDATE {entries} e SET community_slug = c.slug,"
        " path = regexp_replace(e.canonical_url, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*', '')"
        f" FROM {communities} c WHERE c.id = e.community_id"
    )


def paths_to_urls(apps, schema_editor):
    entries, _communities = _tables(apps)
    schema_editor.execute(
        f"UPDATE {entries} SET canonical_url = %s || '://' || community_slug || %s || path",
        [settings.SITE_SCHEME, f".{settings.BASE_DOMAIN}{settings.SITE_PORT}"],
    )


class Migration(migrations.Migration):
    dependencies = [("feed", "0003_feedentry"), ("communities", "0006_pageversion")]

    operations = [
        migrations.AddField(
            model_name="feedentry", name="community_slug", field=models.CharField(default="", max_length=63), preserve_default=False
        ),
        migrations.AddField(
            model_name="feedentry", name="path", field=models.CharField(default="", max_length=300), preserve_default=False
        ),
        migrations.AlterField(
            model_name="feedentry", name="canonical_url", field=models.URLField(max_length=300, default="")
        ),
        migrations.RunPython(urls_to_paths, paths_to_urls),
        migrations.RemoveField(model_name="feedentry", name="canonical_url"),
    ]
