from django import template

from communities.logos import logo_url_of
from feed import fastpath
from posts import models
from posts.snapshots import srcset

register = template.Library()

register.filter("srcset", srcset)
register.filter("highlight", fastpath.highlight)
register.filter("logo_url", logo_url_of)  # bench/fastpaths.py's plain cards
register.simple_tag(fastpath.select_html, name="select_field")


@register.filter
def category_label(value: str) -> str:
    return models.category_label(value)


@register.simple_tag
def entry_cards(entries, snippets: bool = False):
    """All the cards of a list in one call (a tag per card cost more than the cards themselves)."""
    return fastpath.cards_for().cards(entries, snippets=snippets)


@register.simple_tag
def community_lines(rows):
    return fastpath.cards_for().communities(rows)
