from django import template

from communities import hosts
from communities.logos import LOGO_SIDE_SHOWN
from communities.logos import logo_url as stored_logo_url
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


@register.inclusion_tag("communities/includes/logo.html")
def community_logo(community, size: int = LOGO_SIDE_SHOWN, lazy: bool = True) -> dict:
    """The community's logo, sized (no layout shift), lazy below the fold; alt="" where its name is
    written beside it (the logo then adds nothing a screen reader should read twice)."""
    name = community.logo.name if community.logo else ""
    url = stored_logo_url(schema_name=community.schema_name, name=name)
    return {"url": url, "size": size, "lazy": lazy}
