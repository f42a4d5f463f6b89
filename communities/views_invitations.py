"""Accepting an invitation, on the main domain where accounts live."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kimportal.errors import ActionRefused

from . import selectors, services
from .forms import InvitationSignupForm
from .hosts import community_url_for
from .models import Invitation, Membership
from .requests import SignedInRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Signed in: confirm and join. Signed out: create an account here, or sign in and come back."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        reason = _("Undangan ini tidak ditemukan. Periksa lagi tautannya, atau minta undangan baru.")
        return render(request, "communities/invitation_invalid.html", {"reason": reason}, status=404)
    if not invitation.is_open:
        reason = services.invitation_refusal(invitation, request.user)
        context = {"reason": reason, "invitation": invitation}
        return render(request, "communities/invitation_invalid.html", context, status=410)
    if request.user.is_authenticated:
        return _accept_signed_in(cast(SignedInRequest, request), invitation)
    return _accept_with_new_account(request, invitation)


def _accept_signed_in(request: SignedInRequest, invitation: Invitation) -> HttpResponse:
    refusal: StrOrPromise = services.invitation_refusal(invitation, request.user)
    if request.method == "POST" and not refusal:
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ActionRefused as refused:
            refusal = refused.message
        else:
            return _welcome(request, membership)
    context = {"invitation": invitation, "refusal": refusal}
    return render(request, "communities/invitation_accept.html", context)


def _accept_with_new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = InvitationSignupForm(request.POST or None, invited_email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_new_account(
                invitation=invitation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, membership.user)
            return _welcome(request, membership)
    context = {
        "invitation": invitation,
        "form": form,
        # An invited address that already has an account only needs to sign in.
        "has_account": bool(invitation.email) and selectors.account_exists(email=invitation.email),
    }
    return render(request, "communities/invitation_accept.html", context)


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request,
        _("Selamat bergabung dengan %(community)s sebagai %(role)s.")
        % {"community": membership.community.name, "role": membership.get_role_display()},
    )
    return redirect(community_url_for(membership.community, "home"))
