from django.db import migrations


class Migration(migrations.Migration):
    """PageVersion belongs to communities now; its table moves in communities.0006."""

    dependencies = [
        ("feed", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PageVersion")]),
    ]
