from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import translation
from django_tenants.utils import get_public_schema_name

from kimportal.db import connection
from kimportal.hosts import get_subdomain_from_hostname, main_url, request_hostname, urlconf_for

from .hosts import community_for_host
from .models import Community
from .requests import PortalRequest


def activate(community: Community | None) -> None:
    """Point the connection at a community's schema (None: public).

    A persistent connection that is already there keeps its search_path: re-setting it would cost
    a `SET search_path` round trip on every request (TENANT_LIMIT_SET_CALLS sends it once).
    """
    schema = community.schema_name if community else get_public_schema_name()
    if connection.schema_name == schema and connection.search_path_set_schemas:
        connection.tenant = community or connection.tenant
    elif community is None:
        connection.set_schema_to_public()
    else:
        connection.set_tenant(community)


class CommunityHostMiddleware:
    """Point the connection at the host's schema and pick its URLconf; above all that needs either.

    The main domain serves the public schema; `<slug>.BASE_DOMAIN` its community's schema; an
    unknown subdomain a friendly 404. Any other host never gets here: ALLOWED_HOSTS answers 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:  # one once this has run
        hostname = request_hostname(request)
        subdomain = get_subdomain_from_hostname(hostname)
        request.community = None
        if subdomain is None:  # deeper subdomains pass ALLOWED_HOSTS but are not ours
            activate(None)
            return render(request, "400.html", status=400)
        if subdomain == "www":
            return HttpResponsePermanentRedirect(main_url(request.get_full_path()))
        if subdomain:
            community = community_for_host(hostname)
            if community is None:
                activate(None)
                return self.unknown_host(request, subdomain)
            community.domain_url = hostname
            activate(community)
            request.community = community
        else:
            activate(None)
        request.urlconf = urlconf_for(subdomain)
        request.tenant = connection.tenant
        return self.get_response(request)

    @staticmethod
    def unknown_host(request: HttpRequest, subdomain: str) -> HttpResponse:
        # Runs before LocaleMiddleware, so choose the reader's language here.
        translation.activate(translation.get_language_from_request(request))
        return render(request, "communities/unknown_host.html", {"subdomain": subdomain}, status=404)
