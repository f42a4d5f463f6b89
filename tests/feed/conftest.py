import pytest

from moderation import services
from moderation.models import Submission
from tests.factories import make_post


@pytest.fixture
def publish(world):
    """publish(community, author, title=..., **fields) -> the post, approved by its regency's editor."""

    def make(community, author, title, **fields):
        post = make_post(community, author, title=title, submit=True, **fields)
        submission = Submission.objects.get(community=community, post_id=post.pk, state="pending")
        editor = world.editor_a if community.regency_id == world.regency_a.pk else world.editor_b
        services.submission_approve(submission_id=submission.pk, editor=editor)
        return post

    return make
