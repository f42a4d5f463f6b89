"""Demo posts (moderation.demo): every state, photos, published ones in the feed; safe to run twice."""

import io
from collections import Counter

from django_tenants.utils import tenant_context

from feed.models import FeedEntry
from moderation.demo import STATES, demo_posts_seed
from moderation.models import Submission
from posts.models import Post


def test_it_seeds_every_state_with_photos_and_only_once(world):
    out = io.StringIO()

    made = demo_posts_seed(stdout=out)

    assert made == 2 * len(STATES)  # the test world has two of the six demo communities
    assert "KIM Kraton Kidul" in out.getvalue() and "KIM Tembalang" in out.getvalue()
    for community in (world.community_a, world.community_b):
        with tenant_context(community):
            posts = list(Post.objects.prefetch_related("photos"))
            statuses = Counter(post.status for post in posts)
            assert all(1 <= len(post.photos.all()) <= 3 for post in posts)
            assert all(photo.caption for post in posts for photo in post.photos.all())
            assert all(post.title and post.body and post.category for post in posts)
        assert statuses == {"published": 2, "changes_requested": 1, "submitted": 1, "draft": 1}
        assert FeedEntry.objects.filter(community=community).count() == 2
        assert Submission.objects.filter(community=community, state="pending").count() == 1
    with tenant_context(world.community_a):
        sent_back = Post.objects.get(status="changes_requested")
    assert "keterangan" in sent_back.feedback

    assert demo_posts_seed() == 0
