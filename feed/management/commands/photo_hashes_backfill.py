from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django_tenants.utils import tenant_context

from communities.models import Community
from feed import services
from feed.models import FeedEntry, PhotoHash
from posts.models import Post
from posts.photos import photos_hash_missing


class Command(BaseCommand):
    help = (
        "Compute the perceptual hashes of photos stored before photos had them, then write the hashes "
        "of every published entry that has none, so review screens can show where a photo appeared "
        "before. Run once after the deploy that added them; running it again does only what is left."
    )

    def handle(self, *args, **options):
        photos = entries = 0
        for community in Community.objects.select_related("regency").order_by("pk"):
            with tenant_context(community):
                photos += photos_hash_missing()
                unhashed = FeedEntry.objects.filter(community=community).filter(
                    ~Exists(PhotoHash.objects.filter(entry=OuterRef("pk")))
                )
                by_post = {entry.post_id: entry for entry in unhashed}
                live = Post.objects.filter(pk__in=list(by_post), live_revision__isnull=False)
                for post in live.select_related("live_revision"):
                    snapshot = post.live_revision.snapshot
                    entries += bool(
                        services.entry_photo_hashes_write(
                            entry=by_post[post.pk], community=community, snapshot=snapshot
                        )
                    )
        self.stdout.write(f"photo hashes: {photos} photos hashed, {entries} published entries written")
