import time

from django.core.management.base import BaseCommand

from feed import services, textsearch


class Command(BaseCommand):
    help = (
        "Rebuild the search index of the entries an older stemmer version made, in small batches while "
        "the site serves (the old index answers until each entry is done), then the vocabulary. Run "
        "after a deploy that changed feed.textsearch.STEMMER_VERSION."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="entries per batch")
        parser.add_argument("--pause", type=float, default=0.0, help="seconds between batches")
        parser.add_argument("--all", action="store_true", help="rebuild every entry, whatever its version")

    def handle(self, *args, batch: int, pause: float, all: bool, **options):
        done, last = 0, 0
        started = time.monotonic()
        while (step := services.entries_reindex(after_id=last, batch=batch, everything=all)) is not None:
            last, count = step
            done += count
            if pause:
                time.sleep(pause)
        words = services.vocabulary_rebuild()
        notices = services.notices_reindex(everything=all)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"search index: stemmer version {textsearch.STEMMER_VERSION}, {done} entries rebuilt, "
            f"{words} words in the vocabulary, {notices} notices, {elapsed:.1f} s"
        )
