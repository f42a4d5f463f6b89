from django.core.management.base import BaseCommand

from posts.tasks import abandoned_photos_delete


class Command(BaseCommand):
    help = (
        "Delete uploaded photos that never joined a post nor a submitted version, in every community "
        "(photos chosen in forms that were abandoned), now. The worker also does it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="only photos uploaded at least this many days ago (default 7)"
        )

    def handle(self, *args, days: int, **options):
        total = abandoned_photos_delete.call(days=days)
        self.stdout.write(f"{total} abandoned photo(s) deleted")
