"""Builders for the console's tests: submissions waiting in a regency's queue, their feed entries."""

import pytest

from feed.models import FeedEntry
from moderation import services
from moderation.models import Submission
from tests.factories import make_post


@pytest.fixture
def submit(world):
    """submit(community=A, title=..., **fields) -> the waiting Submission of a new post by a member."""

    def make(community=None, title="Kerja bakti membersihkan saluran air", **fields) -> Submission:
        community = community or world.community_a
        author = world.member_a if community.pk == world.community_a.pk else world.member_b
        post = make_post(community, author, title=title, submit=True, **fields)
        return Submission.objects.select_related("community").get(
            community=community, post_id=post.pk, state=Submission.State.PENDING
        )

    return make


@pytest.fixture
def published_entry(world, submit):
    """published_entry(community=A, title=...) -> the FeedEntry of a post approved by the province admin."""

    def make(community=None, title="Kerja bakti membersihkan saluran air", **fields) -> FeedEntry:
        submission = submit(community, title=title, **fields)
        services.submission_approve(submission_id=submission.pk, editor=world.province_admin)
        return FeedEntry.objects.select_related("community").get(
            community=submission.community, post_id=submission.post_id
        )

    return make
