"""On a community's subdomain: a reader reports a published post."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from communities.requests import CommunityRequest
from kimportal.clients import client_network
from kimportal.errors import ActionRefused

from . import selectors, services
from .forms import ReportForm


@require_http_methods(["GET", "POST"])
def report_post(request: CommunityRequest, slug: str) -> HttpResponse:
    entry = selectors.feed_entry_by_slug(community=request.community, slug=slug)
    if entry is None:
        raise Http404("No such published post")
    form = ReportForm(request.POST or None)
    if form.is_valid():
        try:
            services.report_create(
                community=request.community,
                post_id=entry.post_id,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                client_key=client_network(request),
                reader=request.user if request.user.is_authenticated else None,
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            return render(request, "moderation/report_done.html", {"entry": entry})
    return render(request, "moderation/report_form.html", {"form": form, "entry": entry})
