from django import template

from feed import cards
from posts import models
from posts.snapshots import srcset

register = template.Library()

register.filter("srcset", srcset)
register.filter("highlight", cards.highlight)


@register.filter
def category_label(value: str) -> str:
    return models.category_label(value)


@register.simple_tag(takes_context=True)
def entry_cards(context, entries, snippets: bool = False):
    """All the cards of a list in one call (a tag per card cost more than the cards themselves)."""
    return cards.cards_for(context["main_site_url"]).cards(entries, snippets=snippets)


@register.simple_tag(takes_context=True)
def community_lines(context, rows):
    return cards.cards_for(context["main_site_url"]).communities(rows)
