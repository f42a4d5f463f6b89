"""The province console in /moderasi/: communities with their figures, CSV export, archiving and
moving (province admins), and staff: kab/kota editors and province admins (province admins change
them; an editor sees their own kabupaten/kota's)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities import services as community_services
from communities.hosts import community_url
from communities.models import EditorAssignment, ProvinceAdmin, Regency
from kimportal.errors import ActionRefused
from kimportal.forms import Form

from . import access, console
from .access import ReviewerRequest
from .views import province_admin_required, reviewer_required

PAGE_SIZE = 50


def _regencies(request: ReviewerRequest) -> QuerySet[Regency]:
    """Every kabupaten/kota in the user's reach, communities or not (to appoint, to move to)."""
    return access.reviewable_regencies(request.user).order_by("kind", "name")


class CommunityFilterForm(Form):
    regency = forms.TypedChoiceField(
        label=gettext_lazy("Kabupaten/kota"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Keadaan"),
        required=False,
        choices=[
            ("", gettext_lazy("Semua")),
            ("active", gettext_lazy("Aktif (tayang dalam 90 hari)")),
            ("dormant", gettext_lazy("Tidur (tidak tayang 90 hari)")),
            ("archived", gettext_lazy("Diarsipkan")),
        ],
    )

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Semua")), *[(r.pk, str(r)) for r in regencies]]
        cast(forms.ChoiceField, self.fields["regency"]).choices = choices


class AppointForm(Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    regency = forms.TypedChoiceField(label=gettext_lazy("Kabupaten/kota"), coerce=int, required=False)

    def __init__(self, *args, regencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regencies is None:
            del self.fields["regency"]
        else:
            self.fields["regency"].required = True
            choices = [("", _("Pilih kabupaten/kota")), *[(r.pk, str(r)) for r in regencies]]
            cast(forms.ChoiceField, self.fields["regency"]).choices = choices


def _filters(request: ReviewerRequest) -> tuple[CommunityFilterForm, dict]:
    form = CommunityFilterForm(request.GET or None, regencies=_regencies(request))
    values = form.cleaned_data if form.is_valid() else {"regency": None, "status": ""}
    return form, values


@reviewer_required
def communities(request: ReviewerRequest) -> HttpResponse:
    form, values = _filters(request)
    rows = console.console_communities(
        user=request.user, regency_id=values["regency"], status=values["status"]
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    for community in page:
        community.site_url = community_url(community)  # type: ignore[attr-defined]  # for the template
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "regencies": _regencies(request),
        "dormant_days": console.DORMANT_DAYS,
    }
    return render(request, "moderation/console_communities.html", context)


@reviewer_required
def communities_csv(request: ReviewerRequest) -> HttpResponse:
    _form, values = _filters(request)
    rows = console.console_communities(
        user=request.user, regency_id=values["regency"], status=values["status"]
    )
    response = HttpResponse(console.communities_csv(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="direktori-kim-{stamp}.csv"'
    return response


@require_POST
@province_admin_required
def community_archive(request: ReviewerRequest, community_id: int) -> HttpResponse:
    community = access.get_community_for_reviewer(request.user, community_id)
    archived = request.POST.get("archived") == "1"
    community_services.community_archive(community=community, archived=archived)
    message = _("%(name)s diarsipkan.") if archived else _("%(name)s aktif kembali.")
    messages.success(request, message % {"name": community.name})
    return redirect("moderation:console_communities")


@require_POST
@province_admin_required
def community_move(request: ReviewerRequest, community_id: int) -> HttpResponse:
    community = access.get_community_for_reviewer(request.user, community_id)
    try:
        regency_id = int(request.POST.get("regency", ""))
    except ValueError:
        regency_id = 0
    regency = _regencies(request).filter(pk=regency_id).first()
    if regency is None:
        messages.error(request, _("Pilih kabupaten/kota tujuan dari daftar."))
        return redirect("moderation:console_communities")
    community_services.community_move(community=community, regency=regency)
    messages.success(
        request, _("%(name)s dipindahkan ke %(regency)s.") % {"name": community.name, "regency": regency}
    )
    return redirect("moderation:console_communities")


# --- staff ------------------------------------------------------------------------------------------


def _staff_page(request: ReviewerRequest, editor_form=None, admin_form=None) -> HttpResponse:
    regencies = _regencies(request)
    context = {
        "staff": console.console_staff(user=request.user),
        "editor_form": editor_form or AppointForm(prefix="editor", regencies=regencies),
        "admin_form": admin_form or AppointForm(prefix="admin"),
        "can_appoint": request.reviewer.province_admin,
    }
    return render(
        request, "moderation/console_staff.html", context, status=400 if editor_form or admin_form else 200
    )


@reviewer_required
def staff(request: ReviewerRequest) -> HttpResponse:
    return _staff_page(request)


@require_POST
@province_admin_required
def editor_appoint(request: ReviewerRequest) -> HttpResponse:
    regencies = _regencies(request)
    form = AppointForm(request.POST, prefix="editor", regencies=regencies)
    if not form.is_valid():
        return _staff_page(request, editor_form=form)
    regency = regencies.get(pk=form.cleaned_data["regency"])
    try:
        console.editor_appoint(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            regency=regency,
            appointed_by=request.user,
        )
    except ActionRefused as refused:
        form.add_error("email", refused.message)
        return _staff_page(request, editor_form=form)
    messages.success(
        request, _("Undangan editor dikirim ke %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("moderation:console_staff")


@require_POST
@province_admin_required
def editor_remove(request: ReviewerRequest, assignment_id: int) -> HttpResponse:
    assignment = (
        EditorAssignment.objects.filter(pk=assignment_id, regency__in=_regencies(request))
        .select_related("user", "regency")
        .first()
    )
    if assignment is None:
        raise Http404("No such editor for this admin")
    console.editor_remove(assignment=assignment)
    messages.success(
        request,
        _("%(who)s bukan lagi editor %(regency)s.")
        % {"who": assignment.user.email, "regency": assignment.regency},
    )
    return redirect("moderation:console_staff")


@require_POST
@province_admin_required
def admin_appoint(request: ReviewerRequest) -> HttpResponse:
    form = AppointForm(request.POST, prefix="admin")
    if not form.is_valid():
        return _staff_page(request, admin_form=form)
    province = access.administered_provinces(request.user).first()
    assert province is not None  # a province admin
    try:
        console.province_admin_appoint(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            province=province,
            appointed_by=request.user,
        )
    except ActionRefused as refused:
        form.add_error("email", refused.message)
        return _staff_page(request, admin_form=form)
    messages.success(
        request, _("Undangan admin provinsi dikirim ke %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("moderation:console_staff")


@require_POST
@province_admin_required
def admin_remove(request: ReviewerRequest, role_id: int) -> HttpResponse:
    role = (
        ProvinceAdmin.objects.filter(pk=role_id, province__in=access.administered_provinces(request.user))
        .select_related("user")
        .first()
    )
    if role is None:
        raise Http404("No such province admin for this admin")
    try:
        console.province_admin_remove(role=role, removed_by=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(who)s bukan lagi admin provinsi.") % {"who": role.user.email})
    return redirect("moderation:console_staff")
