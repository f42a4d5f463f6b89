from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communities.models import Regency
from moderation.exports import community_import


class Command(BaseCommand):
    help = "Create a community from a zip made by community_export (in this or another portal)."

    def add_arguments(self, parser):
        parser.add_argument("zip", type=Path)
        parser.add_argument("--slug", help="its subdomain here (default: the one it had)")
        parser.add_argument("--regency", help="kabupaten/kota code here (default: the one it had)")

    def handle(self, *args, zip: Path, slug: str | None, regency: str | None, **options):
        target = Regency.objects.filter(code=regency).first() if regency else None
        if regency and target is None:
            raise CommandError(f"No kabupaten/kota {regency!r}.")
        try:
            community = community_import(path=zip, slug=slug, regency=target)
        except (ValueError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {community.name} at {community.host}")
