import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """FeedEntry moves here from moderation: its table is taken over, then renamed."""

    dependencies = [
        ('communities', '0006_pageversion'),
        ('feed', '0002_pageversion_to_communities'),
        ('moderation', '0011_feedentry_to_feed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='FeedEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('community_name', models.CharField(default='', max_length=120)),
                ('post_id', models.BigIntegerField()),
                ('slug', models.SlugField(max_length=180)),
                ('title', models.CharField(max_length=200)),
                ('excerpt', models.TextField(blank=True)),
                ('body_text', models.TextField(blank=True)),
                ('category', models.CharField(blank=True, max_length=20)),
                ('tag_slugs', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=100), blank=True, default=list, size=None)),
                ('tag_names', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=100), blank=True, default=list, size=None)),
                ('cover', models.JSONField(blank=True, default=dict)),
                ('canonical_url', models.URLField(max_length=300)),
                ('activity_date', models.DateField(blank=True, null=True)),
                ('published_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('featured', models.BooleanField(default=False)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feed_entries', to='communities.community')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='communities.province')),
                ('regency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='communities.regency')),
            ],
            options={
                'verbose_name': 'berita tayang',
                'verbose_name_plural': 'berita tayang',
                'indexes': [models.Index(fields=['province', '-published_at', '-id'], name='feed_province_recent'), models.Index(condition=models.Q(('featured', True)), fields=['province', '-published_at', '-id'], name='feed_province_featured'), models.Index(fields=['-published_at', '-id'], name='feed_recent'), models.Index(fields=['regency', '-published_at', '-id'], name='feed_regency_recent'), models.Index(fields=['community', '-published_at', '-id'], name='feed_community_recent'), django.contrib.postgres.indexes.GinIndex(fields=['tag_slugs'], name='feed_tags'), django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='feed_search')],
                'constraints': [models.UniqueConstraint(fields=('community', 'post_id'), name='feed_unique_post')],
                'db_table': 'moderation_feedentry',
            },
        )]),
        migrations.AlterModelTable(name='feedentry', table=None),
    ]
