from django.db import migrations

# A feed row (title, excerpt, ~800 characters of body, a ~1.2 KB search vector) is just over the
# 2 KB at which PostgreSQL starts toasting, so search vectors went out of line: ranking 200 search
# candidates then read ~600 extra TOAST pages, 1.4 ms of a 3.6 ms search at 100,000 posts
# (docs/benchmarks.md). Toasting only rows over a whole page keeps them inline. The UPDATE rewrites
# the vectors already stored (once per row; seconds per 100,000 rows).
FORWARD = """
ALTER TABLE moderation_feedentry SET (toast_tuple_target = 8160);
UPDATE moderation_feedentry SET search_vector = search_vector || ''::tsvector;
"""
BACKWARD = "ALTER TABLE moderation_feedentry RESET (toast_tuple_target);"


class Migration(migrations.Migration):
    dependencies = [("moderation", "0008_report_rate_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
