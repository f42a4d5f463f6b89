from django import template

from communities import hosts

register = template.Library()


@register.simple_tag
def community_url(community, path: str = "/") -> str:
    """Absolute link to a page on a community's subdomain."""
    return hosts.community_url(community, path)


@register.simple_tag
def main_url(path: str = "/") -> str:
    return hosts.main_url(path)
