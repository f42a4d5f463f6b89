from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kimportal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty database (DATABASE_URL) and the media folders."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['made_at']} from {folder}")
