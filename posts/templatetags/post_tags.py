"""Display helpers for post snapshots (posts.snapshots.PostSnapshot)."""

import datetime

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from posts import models
from posts.html import sanitize
from posts.snapshots import PhotoSnapshot, PostSnapshot, VideoSnapshot, snapshot_cover, snapshot_video, srcset
from posts.videos import STILL_HEIGHT, STILL_WIDTH, embed_url, still_srcset, still_url

register = template.Library()
register.filter("srcset", srcset)


@register.filter
def category_label(value: str) -> str:
    return models.category_label(value)


@register.filter
def iso_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@register.filter
def tag_slug(name: str) -> str:
    """The tag's URL part, as the feed stores it (FeedEntry.tag_slugs)."""
    return slugify(name, allow_unicode=True)


@register.filter
def clean_html(value: str) -> SafeString:
    """The body as HTML; sanitised again on the way out, in case a stored body predates a rule."""
    return mark_safe(sanitize(value))  # noqa: S308 - nh3 output is safe by construction


@register.filter
def storage_url(name: str | None) -> str:
    """URL of a file in the current community's storage (computed in this schema)."""
    return default_storage.url(name) if name else ""


@register.filter
def cover_first(snapshot: PostSnapshot) -> list[PhotoSnapshot]:
    """The snapshot's photos with the cover first, the rest in their order."""
    photos = snapshot["photos"]
    cover = snapshot_cover(photos, snapshot["cover_id"])
    return sorted(photos, key=lambda photo: photo is not cover)


@register.inclusion_tag("posts/includes/video.html")
def video_facade(video: VideoSnapshot, title: str, lazy: bool = True) -> dict:
    """A snapshot's video as a still picture (or Facebook's poster) that links to it; video.js turns
    it into the player when tapped."""
    parsed = snapshot_video(video)
    return {
        "video": video,
        "title": title,
        "lazy": lazy,
        "embed": embed_url(parsed),
        "still": still_url(parsed),
        "stills": srcset([list(still) for still in still_srcset(parsed)]),
        "still_size": (STILL_WIDTH, STILL_HEIGHT),
        "provider": "YouTube" if video["provider"] == "youtube" else "Facebook",
    }
