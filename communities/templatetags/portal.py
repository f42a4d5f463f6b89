from django import template

from communities import hosts
from kimportal.hosts import main_url as main_site_url
from kimportal.hosts import main_url_for as main_site_url_for

register = template.Library()


@register.simple_tag
def community_url(community, path: str = "/") -> str:
    """Absolute link to a page on a community's subdomain."""
    return hosts.community_url(community, path)


@register.simple_tag
def main_url(path: str = "/") -> str:
    return main_site_url(path)


@register.simple_tag
def main_url_for(viewname: str, **kwargs) -> str:
    """Absolute link to a named page of the main domain, from any host ({% url %} names a page of
    the request's own host)."""
    return main_site_url_for(viewname, **kwargs)
