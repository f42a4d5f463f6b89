"""Small builders for tenant data, used where a test needs a post but is not about authoring."""

import datetime
import uuid

from django.utils.text import slugify
from django_tenants.utils import tenant_context

from moderation import services as moderation_services
from posts.models import Category, Post


def make_post(
    community, author, *, title="Kerja bakti membersihkan saluran air", submit=False, tags=(), **fields
) -> Post:
    """A complete post in the community's schema; submitted for review when `submit`."""
    values = {
        "slug": f"{slugify(title)}-{uuid.uuid4().hex[:6]}",
        "body": "<p>Warga RW 03 bergotong royong membersihkan saluran air menjelang musim hujan.</p>",
        "category": Category.KEGIATAN,
        "activity_date": datetime.date(2026, 11, 20),
        "activity_place": "Balai RW 03",
        **fields,
    }
    with tenant_context(community):
        post = Post.objects.create(author=author, title=title, **values)
        if tags:
            post.tags.set(list(tags))
        if submit:
            post = moderation_services.post_submit(post=post, actor=author)
    return post


def post_in(community, post_id: int) -> Post:
    with tenant_context(community):
        return Post.objects.select_related("live_revision").get(pk=post_id)
