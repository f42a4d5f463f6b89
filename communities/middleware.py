from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import translation

from .hosts import community_for_host, get_subdomain_from_hostname, main_url


class CommunityHostMiddleware:
    """Point the connection at the host's schema and pick its URLconf; first in the stack.

    The main domain serves the public schema; `<slug>.BASE_DOMAIN` its community's schema; an
    unknown subdomain a friendly 404. Any other host never gets here: ALLOWED_HOSTS answers 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()
        hostname = request.get_host().split(":", 1)[0].lower()
        subdomain = get_subdomain_from_hostname(hostname)
        request.community = None
        if subdomain is None:  # deeper subdomains pass ALLOWED_HOSTS but are not ours
            return render(request, "400.html", status=400)
        if subdomain == "www":
            return HttpResponsePermanentRedirect(main_url(request.get_full_path(), request))
        if subdomain:
            community = community_for_host(hostname)
            if community is None:
                return self.unknown_host(request, subdomain)
            community.domain_url = hostname
            connection.set_tenant(community)
            request.community = community
            request.urlconf = settings.ROOT_URLCONF
        else:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        request.tenant = connection.tenant
        return self.get_response(request)

    @staticmethod
    def unknown_host(request: HttpRequest, subdomain: str) -> HttpResponse:
        # Runs before LocaleMiddleware, so choose the reader's language here.
        translation.activate(translation.get_language_from_request(request))
        return render(request, "communities/unknown_host.html", {"subdomain": subdomain}, status=404)
