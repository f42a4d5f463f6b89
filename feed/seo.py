"""Structured data for search engines and link previews."""

import json

from django.utils.safestring import SafeString, mark_safe

from .models import FeedEntry


def news_article_json_ld(entry: FeedEntry, image_url: str) -> SafeString:
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
    if image_url:
        data["image"] = [image_url]
    if entry.activity_date:
        data["contentLocation"] = {"@type": "Place", "name": str(entry.regency)}
    # Inside <script>, only "<" could end the element early; JSON allows it escaped.
    return mark_safe(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))
