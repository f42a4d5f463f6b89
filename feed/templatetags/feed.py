from django import template

from feed import cards

register = template.Library()

register.filter("srcset", cards.srcset)
register.filter("highlight", cards.highlight)


@register.filter
def category_label(value: str) -> str:
    return str(cards.CATEGORY_LABELS.get(value, value))


@register.simple_tag(takes_context=True)
def entry_card(context, entry, snippet: str = ""):
    return cards.entry_card(entry, context["main_site_url"], snippet)
