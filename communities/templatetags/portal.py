from html import escape

from django import template
from django.utils.safestring import mark_safe

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


@register.simple_tag
def select_field(field, choices) -> str:
    """A <select> for a bound field and its (value, label) choices, built in Python: widget templates
    draw each option through a template, which made long filters (the moderation queue's communities,
    the search page's kabupaten/kota) the slowest part of their pages."""
    selected = "" if field.value() in (None, "") else str(field.value())

    def option(value, label) -> str:
        mark = " selected" if str(value) == selected else ""
        return f'<option value="{escape(str(value))}"{mark}>{escape(str(label))}</option>'

    options = "".join(option(value, label) for value, label in choices)
    return mark_safe(f'<select name="{field.html_name}" id="{field.id_for_label}">{options}</select>')
