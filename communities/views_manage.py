"""A community's management pages, for its admins, on the community's own subdomain."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kimportal.errors import ActionRefused

from . import selectors, services
from .access import community_admin_required, get_invitation_for_admin, get_member_for_admin
from .forms import CommunityProfileForm, InvitationEmailForm, InvitationLinkForm, MembershipRoleForm
from .models import Membership
from .requests import SignedInRequest


@require_http_methods(["GET", "POST"])
@community_admin_required
def profile(request: SignedInRequest, admin: Membership) -> HttpResponse:
    community = admin.community
    if request.method == "GET":
        form = CommunityProfileForm(instance=community)
        return render(request, "communities/manage/profile.html", {"form": form, "section": "profile"})
    form = CommunityProfileForm(request.POST, request.FILES, instance=community)
    if form.is_valid():
        services.community_update_profile(
            community=community,
            data=form.cleaned_data,
            logo=request.FILES.get("logo"),
            clear_logo=form.cleaned_data["logo"] is False,
        )
        messages.success(request, _("Profil komunitas tersimpan."))
        return redirect("community_manage:profile")
    return render(request, "communities/manage/profile.html", {"form": form, "section": "profile"})


@require_GET
@community_admin_required
def members(request: SignedInRequest, admin: Membership) -> HttpResponse:
    people = selectors.community_members(community=admin.community)
    admins = [m.pk for m in people if m.role == Membership.Role.ADMIN]
    context = {
        "members": people,
        "admin": admin,
        # The last admin can be neither removed nor demoted; the page shows why instead of the buttons.
        "sole_admin_id": admins[0] if len(admins) == 1 else None,
        "roles": Membership.Role.choices,
        "section": "members",
    }
    return render(request, "communities/manage/members.html", context)


def _after_losing_admin(request: SignedInRequest, member: Membership, still_admin: bool) -> HttpResponse:
    """Back to the members page, or to the community home when the admin gave up their own role."""
    if member.user_id == request.user.pk and not still_admin:
        return redirect("home")
    return redirect("community_manage:members")


@require_POST
@community_admin_required
def member_role(request: SignedInRequest, admin: Membership, membership_id: int) -> HttpResponse:
    member = get_member_for_admin(admin, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih salah satu peran yang tersedia."))
        return redirect("community_manage:members")
    try:
        member = services.membership_change_role(membership=member, role=form.cleaned_data["role"])
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("community_manage:members")
    messages.success(
        request,
        _("Peran %(name)s sekarang: %(role)s.") % {"name": member.user, "role": member.get_role_display()},
    )
    return _after_losing_admin(request, member, still_admin=member.role == Membership.Role.ADMIN)


@require_http_methods(["GET", "POST"])
@community_admin_required
def member_remove(request: SignedInRequest, admin: Membership, membership_id: int) -> HttpResponse:
    """GET asks for confirmation (a mistaken tap on a phone must not remove anyone); POST removes."""
    member = get_member_for_admin(admin, membership_id)
    if request.method == "POST":
        try:
            services.membership_remove(membership=member)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("community_manage:members")
        messages.success(request, _("%(name)s sudah dikeluarkan dari komunitas.") % {"name": member.user})
        return _after_losing_admin(request, member, still_admin=False)
    context = {"member": member, "is_self": member.user_id == request.user.pk, "section": "members"}
    return render(request, "communities/manage/member_remove.html", context)


@require_http_methods(["GET", "POST"])
@community_admin_required
def invitations(request: SignedInRequest, admin: Membership) -> HttpResponse:
    """Open invitations, and the two ways to invite: by email, or a link to share (e.g. on WhatsApp)."""
    email_form: forms.Form = InvitationEmailForm(prefix="email")
    link_form: forms.Form = InvitationLinkForm(prefix="link")
    if request.method == "POST":
        by_link = request.POST.get("kind") == "link"
        form_class, prefix = (InvitationLinkForm, "link") if by_link else (InvitationEmailForm, "email")
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    community=admin.community,
                    invited_by=request.user,
                    role=form.cleaned_data["role"],
                    email=form.cleaned_data.get("email", ""),
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                if by_link:
                    messages.success(request, _("Tautan undangan dibuat. Salin lalu bagikan tautannya."))
                else:
                    messages.success(
                        request,
                        _("Undangan dikirim ke %(email)s. Tautannya juga bisa Anda salin di bawah.")
                        % {"email": invitation.email},
                    )
                return redirect(reverse("community_manage:invitations") + f"#undangan-{invitation.pk}")
        link_form, email_form = (form, email_form) if by_link else (link_form, form)
    context = {
        "invitations": selectors.invitations_open(community=admin.community),
        "email_form": email_form,
        "link_form": link_form,
        "section": "invitations",
    }
    return render(request, "communities/manage/invitations.html", context)


@require_POST
@community_admin_required
def invitation_revoke(request: SignedInRequest, admin: Membership, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_admin(admin, invitation_id)
    try:
        services.invitation_revoke(invitation=invitation)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Undangan dibatalkan; tautannya tidak bisa dipakai lagi."))
    return redirect("community_manage:invitations")
