from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]

    operations = [
        migrations.AddField(model_name="photo", name="withheld", field=models.BooleanField(default=False)),
    ]
