from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def province_home(request: HttpRequest) -> HttpResponse:
    province = selectors.province_for_home(settings.HOME_PROVINCE_CODE)
    if province is None:
        raise Http404("No province data loaded")
    regencies = selectors.regencies_with_communities(province)
    return render(request, "communities/province_home.html", {"province": province, "regencies": regencies})


def community_home(request: HttpRequest) -> HttpResponse:
    community = request.community
    membership = selectors.membership_for(request.user, community)
    return render(request, "communities/community_home.html", {"membership": membership})
