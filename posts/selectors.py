"""Reads of posts that more than one view needs."""

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform

from accounts.models import User
from communities.models import Membership

from .models import Photo, Post


def posts_for_member(user: User, membership: Membership) -> QuerySet[Post]:
    """The member's own posts, or all the community's posts for an admin; newest change first."""
    posts = (
        Post.objects.select_related("author")
        .annotate(photo_count=Count("photos"), live_slug=KeyTextTransform("slug", "live_revision__snapshot"))
        .order_by("-updated_at", "-id")
    )
    if membership.role != Membership.Role.ADMIN:
        posts = posts.filter(author=user)
    return posts.defer("body")


def unsent_draft(user: User, post_id: int) -> Post | None:
    """The user's own post with this id if it is a draft that was never sent for review."""
    drafts = Post.objects.select_related("cover").filter(
        pk=post_id, author=user, status=Post.Status.DRAFT, live_revision=None
    )
    return drafts.exclude(revisions__isnull=False).first()


def unattached_photos(user: User, ids: list[int]) -> list[Photo]:
    """The user's own uploads among `ids` that belong to no post yet (other ids are ignored)."""
    if not ids:
        return []
    return list(Photo.objects.filter(pk__in=ids, post=None, uploaded_by=user).order_by("id"))


def parse_ids(value: str) -> list[int]:
    """ "3,5,x" -> [3, 5]: ids from a hidden field, anything else dropped."""
    return [int(part) for part in (value or "").split(",") if part.strip().isdigit()][:50]


def photo_hashes(*, schema_name: str, photo_ids: list[int]) -> dict[int, tuple[int, int]]:
    """The perceptual hashes (whole, centre) of these photos of a community, those that have them.

    The schema is named in the query, so this works wherever the connection points (a moderation
    view on the main domain, feed's writer inside or outside a tenant context)."""
    if not photo_ids:
        return {}
    schema = connection.ops.quote_name(schema_name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, phash, phash_centre FROM {schema}.{Photo._meta.db_table}"
            " WHERE id = ANY(%s) AND phash IS NOT NULL AND phash_centre IS NOT NULL",
            [photo_ids],
        )
        return {photo_id: (whole, centre) for photo_id, whole, centre in cursor.fetchall()}
