"""Writes of the published projection: one FeedEntry per live post. Moderation calls these to carry
out its decisions (publish, withdraw, feature); communities' changes reach them through
`communities.signals.community_changed`. Nothing else writes FeedEntry rows."""

from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.urls import reverse
from django.utils.text import Truncator, slugify

from communities.hosts import community_url
from communities.models import Community
from posts.html import plain_text
from posts.snapshots import PostSnapshot, snapshot_cover

from .models import SEARCH_CONFIG, FeedEntry

EXCERPT_WORDS = 40


def post_path(slug: str) -> str:
    """A published post's path on its community's subdomain."""
    return reverse("post", kwargs={"slug": slug}, urlconf=settings.ROOT_URLCONF)


def post_url(community: Community, slug: str) -> str:
    """The absolute URL of a published post on its community's subdomain."""
    return community_url(community, post_path(slug))


def cover_of(snapshot: PostSnapshot) -> dict:
    cover = snapshot_cover(snapshot["photos"], snapshot["cover_id"])
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


def entry_publish(
    *,
    community: Community,
    post_id: int,
    snapshot: PostSnapshot,
    published_at: datetime,
    featured: bool | None = None,
) -> FeedEntry:
    """Write (or rewrite) the public projection of an approved snapshot, with its search vector;
    `featured` None keeps an existing entry's editors' pick as it is."""
    text = plain_text(snapshot["body"])
    tags = snapshot["tags"]
    activity = snapshot["activity_date"]
    defaults = {
        "community_name": community.name,
        "regency_id": community.regency_id,
        "province_id": community.regency.province_id,
        "slug": snapshot["slug"],
        "title": snapshot["title"],
        "excerpt": Truncator(text).words(EXCERPT_WORDS),
        "body_text": text,
        "category": snapshot["category"],
        "tag_names": tags,
        "tag_slugs": [slugify(tag, allow_unicode=True) for tag in tags],
        "cover": cover_of(snapshot),
        "community_slug": community.slug,
        "path": post_path(snapshot["slug"]),
        "activity_date": date.fromisoformat(activity) if activity else None,
        "published_at": published_at,
    }
    if featured is not None:
        defaults["featured"] = featured
    entry, _created = FeedEntry.objects.update_or_create(
        community=community, post_id=post_id, defaults=defaults
    )
    FeedEntry.objects.filter(pk=entry.pk).update(
        search_vector=SearchVector(Value(snapshot["title"]), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(" ".join(tags)), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(text), weight="B", config=SEARCH_CONFIG)
    )
    _last_published_refresh_on_commit(community)
    return entry


def entry_withdraw(*, community: Community, post_id: int) -> None:
    """Take a post out of every feed and page (a take-down)."""
    FeedEntry.objects.filter(community=community, post_id=post_id).delete()
    _last_published_refresh_on_commit(community)


def entry_feature(*, community: Community, post_id: int, featured: bool) -> bool:
    """Put a published post among the editors' picks, or take it out; False if it is not published
    (an editor may have taken it down since the page was shown). The update locks the entry."""
    return FeedEntry.objects.filter(community=community, post_id=post_id).update(featured=featured) > 0


def entries_follow_community(*, community: Community, changed: set[str]) -> None:
    """Carry a community's new name or kabupaten/kota to its entries (one table per list)."""
    values: dict[str, object] = {}
    if "name" in changed:
        values["community_name"] = community.name
    if "regency" in changed:
        values["regency_id"] = community.regency_id
        values["province_id"] = community.regency.province_id
    if values:
        FeedEntry.objects.filter(community=community).update(**values)


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
