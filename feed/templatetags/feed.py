from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def srcset(renditions) -> str:
    """[[480, url], [960, url]] -> 'url 480w, url 960w'."""
    return ", ".join(f"{url} {width}w" for width, url in renditions or [])


@register.filter
def highlight(snippet: str) -> str:
    """Escape a search snippet, then turn its \\x02…\\x03 markers into <mark>."""
    return mark_safe(escape(snippet or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


@register.filter
def category_label(value: str) -> str:
    from posts.models import Category

    return Category(value).label if value in Category.values else value
