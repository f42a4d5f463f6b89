from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kimportal.backups import BackupError, backup_make


class Command(BaseCommand):
    help = "Back up the whole database (every schema) and the media files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_make(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = ", ".join(manifest["media"]) or "no"
        self.stdout.write(f"Backed up the database and {media} media into {folder}")
