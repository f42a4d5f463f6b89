from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.models import Community
from moderation.exports import community_export


class Command(BaseCommand):
    help = "Write one community's profile, members, posts (JSON and HTML) and photos into a zip."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("zip", type=Path)

    def handle(self, *args, slug: str, zip: Path, **options):
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            raise CommandError(f"No community {slug!r}.")
        count = community_export(community=community, path=zip)
        self.stdout.write(f"Exported {community.name}: {count} posts into {zip}")
