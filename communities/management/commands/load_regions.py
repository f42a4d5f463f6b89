from django.core.management.base import BaseCommand

from communities.services import regions_load


class Command(BaseCommand):
    help = "Load Indonesia's provinces and Jawa Tengah's kabupaten/kota (idempotent)."

    def handle(self, *args, **options):
        count = regions_load()
        self.stdout.write(self.style.SUCCESS(f"Loaded provinces and {count} kabupaten/kota."))
