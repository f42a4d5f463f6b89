from django.db import migrations


class Migration(migrations.Migration):
    """FeedEntry belongs to feed now (feed.0003 takes its table over); no table is dropped."""

    dependencies = [
        ('moderation', '0010_submission_closed_state'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="FeedEntry")]),
    ]
