from django import template

from communities import hosts

register = template.Library()


@register.simple_tag(takes_context=True)
def community_url(context, community, path: str = "/") -> str:
    """Absolute link to a page on a community's subdomain, keeping the current port."""
    return hosts.community_url(community, path, context.get("request"))


@register.simple_tag(takes_context=True)
def main_url(context, path: str = "/") -> str:
    return hosts.main_url(path, context.get("request"))
