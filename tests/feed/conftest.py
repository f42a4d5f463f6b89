import pytest

from moderation import services
from moderation.models import Submission
from tests.factories import make_post


@pytest.fixture
def publish(world, django_capture_on_commit_callbacks):
    """publish(community, author, title=..., **fields) -> the post, approved by its regency's editor
    (and what the approval does once committed, such as the community's last published time)."""

    def make(community, author, title, **fields):
        post = make_post(community, author, title=title, submit=True, **fields)
        submission = Submission.objects.get(community=community, post_id=post.pk, state="pending")
        editor = world.editor_a if community.regency_id == world.regency_a.pk else world.editor_b
        with django_capture_on_commit_callbacks(execute=True):
            services.submission_approve(submission_id=submission.pk, editor=editor)
        return post

    return make
