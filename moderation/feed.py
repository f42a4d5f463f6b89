"""The published projection: one FeedEntry per live post, written only by moderation services."""

from datetime import date, datetime

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.utils.text import Truncator, slugify

from communities.hosts import community_url
from communities.models import Community
from posts.html import plain_text
from posts.models import snapshot_cover

from .models import FeedEntry

EXCERPT_WORDS = 40
SEARCH_CONFIG = "indonesian"


def post_path(slug: str) -> str:
    return f"/berita/{slug}/"


def cover_of(snapshot: dict) -> dict:
    cover = snapshot_cover(snapshot.get("photos"), snapshot.get("cover_id"))
    if cover is None:
        return {}
    return {
        "src": cover["src"],
        "srcset": cover["srcset"],
        "og": cover["og"],
        "width": cover["width"],
        "height": cover["height"],
        "alt": cover["caption"] or snapshot["title"],
    }


def feed_entry_upsert(
    *, community: Community, post_id: int, snapshot: dict, published_at: datetime
) -> FeedEntry:
    """Write (or rewrite) the public projection of an approved snapshot, with its search vector."""
    text = plain_text(snapshot["body"])
    tags = snapshot.get("tags") or []
    activity = snapshot.get("activity_date")
    entry, _created = FeedEntry.objects.update_or_create(
        community=community,
        post_id=post_id,
        defaults={
            "community_name": community.name,
            "regency_id": community.regency_id,
            "province_id": community.regency.province_id,
            "slug": snapshot["slug"],
            "title": snapshot["title"],
            "excerpt": Truncator(text).words(EXCERPT_WORDS),
            "body_text": text,
            "category": snapshot.get("category", ""),
            "tag_names": tags,
            "tag_slugs": [slugify(tag, allow_unicode=True) for tag in tags],
            "cover": cover_of(snapshot),
            "canonical_url": community_url(community, post_path(snapshot["slug"])),
            "activity_date": date.fromisoformat(activity) if activity else None,
            "published_at": published_at,
        },
    )
    FeedEntry.objects.filter(pk=entry.pk).update(
        search_vector=SearchVector(Value(snapshot["title"]), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(" ".join(tags)), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(text), weight="B", config=SEARCH_CONFIG)
    )
    _last_published_refresh_on_commit(community)
    return entry


def feed_entry_remove(*, community: Community, post_id: int) -> None:
    FeedEntry.objects.filter(community=community, post_id=post_id).delete()
    _last_published_refresh_on_commit(community)


def _last_published_refresh_on_commit(community: Community) -> None:
    """Community.last_published_at, what regency pages sort by, from its newest entry, once the
    change is committed: inside it, the community row would be locked after the entry, the reverse
    of a profile edit's order (a deadlock). A regency page cached in between keeps the old order
    until the next published change."""
    community_id = community.pk

    def refresh() -> None:
        newest = FeedEntry.objects.filter(community=OuterRef("pk")).order_by("-published_at", "-id")
        latest = Subquery(newest.values("published_at")[:1])
        Community.objects.filter(pk=community_id).update(last_published_at=latest)

    transaction.on_commit(refresh, robust=True)
