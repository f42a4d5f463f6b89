"""Structured data for search engines and link previews: the one place that picks a post's preview
picture (og:image, twitter:image and JSON-LD's image)."""

import json
from typing import NamedTuple

from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from communities.hosts import absolute_url
from communities.models import Community
from posts.images import OG_HEIGHT, OG_WIDTH, og_size
from posts.snapshots import snapshot_video
from posts.videos import STILL_HEIGHT, STILL_WIDTH, still_url

from .models import FeedEntry

# The preview of a post whose only picture is a Facebook video (Facebook publishes no still): the
# page's poster (.video-poster in site.css) as a file, at the size previews are best shown.
FACEBOOK_POSTER = "img/video-poster.png"


class PreviewImage(NamedTuple):
    url: str  # absolute: WhatsApp and Facebook fetch it from their own servers
    size: tuple[int, int] | None  # the file's own (previews are laid out before it is fetched)


def post_preview_image(entry: FeedEntry, community: Community) -> PreviewImage | None:
    """The picture a shared link to a published post (`entry` with its `snapshot`) shows: its cover
    photo's preview cut; without a photo, its video's still (YouTube's, the one the page shows) or the
    portal's poster for Facebook; None without either."""
    cover = entry.cover
    if cover.get("og"):
        size = (cover.get("width"), cover.get("height"))
        return PreviewImage(absolute_url(cover["og"], community), og_size(*size) if all(size) else None)
    video = entry.snapshot.get("video")
    if video is None:
        return None
    still = still_url(snapshot_video(video))
    if still:
        return PreviewImage(still, (STILL_WIDTH, STILL_HEIGHT))
    # On the main domain: one address for every community's posts, which previewers fetch once.
    return PreviewImage(absolute_url(static(FACEBOOK_POSTER)), (OG_WIDTH, OG_HEIGHT))


def news_article_json_ld(entry: FeedEntry, image: PreviewImage | None) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": entry.title[:110],
        "description": entry.excerpt,
        "datePublished": entry.published_at.isoformat(),
        "dateModified": entry.updated_at.isoformat(),
        "mainEntityOfPage": entry.canonical_url,
        "url": entry.canonical_url,
        "author": {"@type": "Organization", "name": entry.community_name},
        "publisher": {"@type": "Organization", "name": entry.community_name},
        "keywords": entry.tag_names,
    }
    if image:
        data["image"] = [image.url]
    if entry.activity_date:
        data["contentLocation"] = {"@type": "Place", "name": str(entry.regency)}
    # Inside <script>, only "<" could end the element early; JSON allows it escaped.
    return mark_safe(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))
