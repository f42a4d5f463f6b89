from django import template

from feed import cards
from posts import models

register = template.Library()

register.filter("srcset", cards.srcset)
register.filter("highlight", cards.highlight)


@register.filter
def category_label(value: str) -> str:
    return models.category_label(value)


@register.simple_tag(takes_context=True)
def entry_card(context, entry, snippet: str = ""):
    """One card; the page's Cards renderer is made on first use and kept in the render context."""
    renderer = context.render_context.get("feed_cards")
    if renderer is None:
        renderer = context.render_context["feed_cards"] = cards.Cards(context["main_site_url"])
    return renderer.card(entry, snippet)
