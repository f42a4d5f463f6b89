"""Posts' background jobs (run by `manage.py jobs_worker`, scheduled in settings.JOB_SCHEDULES)."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tenants.utils import get_public_schema_name, schema_context

from communities.models import Community
from posts.photos import photos_abandoned_delete

logger = logging.getLogger(__name__)


@task()
def abandoned_photos_delete(days: int = 7) -> int:
    """Delete photos uploaded at least `days` ago that never joined a post nor a submitted version,
    in every community; returns how many."""
    uploaded_before = timezone.now() - timedelta(days=max(days, 1))
    schemas = (
        Community.objects.exclude(schema_name=get_public_schema_name())
        .order_by("slug")
        .values_list("slug", "schema_name")
    )
    total = 0
    for slug, schema_name in schemas:
        with schema_context(schema_name):
            deleted = photos_abandoned_delete(uploaded_before=uploaded_before)
        if deleted:
            logger.info("%s: %d abandoned photo(s) deleted", slug, deleted)
        total += deleted
    return total
