from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, tenant_context

from communities.models import Community
from posts.photos import photos_abandoned_delete


class Command(BaseCommand):
    help = (
        "Delete uploaded photos that never joined a post nor a submitted version, in every community "
        "(photos chosen in forms that were abandoned). Run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="only photos uploaded at least this many days ago (default 7)"
        )

    def handle(self, *args, days: int, **options):
        uploaded_before = timezone.now() - timedelta(days=max(days, 1))
        total = 0
        for community in Community.objects.exclude(schema_name=get_public_schema_name()).order_by("slug"):
            with tenant_context(community):
                deleted = photos_abandoned_delete(uploaded_before=uploaded_before)
            if deleted:
                self.stdout.write(f"{community.slug}: {deleted} photo(s) deleted")
            total += deleted
        self.stdout.write(f"{total} abandoned photo(s) deleted")
