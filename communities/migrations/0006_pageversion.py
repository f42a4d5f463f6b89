from django.db import migrations, models


class Migration(migrations.Migration):
    """PageVersion moves here from feed: its table is taken over and renamed."""

    dependencies = [
        ("communities", "0005_last_published_at"),
        ("feed", "0002_pageversion_to_communities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PageVersion",
                    fields=[
                        ("schema_name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                        ("version", models.BigIntegerField(default=1)),
                    ],
                    options={"db_table": "feed_pageversion"},
                ),
            ]
        ),
        migrations.AlterModelTable(name="pageversion", table=None),
    ]
