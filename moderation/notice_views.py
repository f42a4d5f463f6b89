"""The console's official notices ("Info Diskominfo"): publish, edit, withdraw, and how far they
went. Province admins and kabupaten/kota editors only; a notice out of reach is a 404."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kimportal.errors import ActionRefused
from kimportal.pagination import PAGE_PARAM
from notices import services
from notices.access import get_notice_for_editor
from notices.models import ClarifiedPost, Notice
from notices.selectors import clarified_posts

from . import notice_selectors
from .access import ReviewerRequest
from .forms import ListFilterForm
from .notice_forms import NoticeForm, WithdrawForm
from .views import list_filters, list_pager, reviewer_required


@reviewer_required
def notices(request: ReviewerRequest) -> HttpResponse:
    values = list_filters(request, ListFilterForm(request.GET))
    page = notice_selectors.console_notices(user=request.user, after=values[PAGE_PARAM])
    context = {"page": page, **list_pager(values, page.next_cursor)}
    return render(request, "moderation/notices.html", context)


@reviewer_required
@require_http_methods(["GET", "POST"])
def notice_create(request: ReviewerRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(actor=request.user, draft=form.draft())
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Diterbitkan: “%(title)s” kini tampil di situs KIM %(area)s.")
                % {"title": notice.title, "area": notice.area},
            )
            return redirect("moderation:notice", notice_id=notice.pk)
    return render(request, "moderation/notice_form.html", {"form": form, "notice": None})


@reviewer_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: ReviewerRequest, notice_id: int) -> HttpResponse:
    notice = get_notice_for_editor(request.user, notice_id)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user, notice=notice)
    if request.method == "POST" and not notice.is_withdrawn and form.is_valid():
        draft = form.draft()
        try:
            services.notice_update(notice_id=notice.pk, actor=request.user, draft=draft)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("Perubahan disimpan.") if draft.changed else _("Tidak ada yang berubah.")
            )
            return redirect("moderation:notice", notice_id=notice.pk)
    context = {
        "form": form,
        "notice": notice,
        "withdraw_form": WithdrawForm(),
        "history": notice_selectors.notice_history(notice),
        "clarified": clarified_posts(notice) if notice.kind == Notice.Kind.CLARIFICATION else [],
        "reach": notice_selectors.reach_by_regency(user=request.user, notice=notice),
    }
    return render(request, "moderation/notice_form.html", context)


@require_POST
@reviewer_required
def notice_withdraw(request: ReviewerRequest, notice_id: int) -> HttpResponse:
    notice = get_notice_for_editor(request.user, notice_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return redirect("moderation:notice", notice_id=notice.pk)
    try:
        services.notice_withdraw(notice_id=notice.pk, actor=request.user, reason=form.cleaned_data["reason"])
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("moderation:notice", notice_id=notice.pk)
    messages.success(request, _("“%(title)s” ditarik dari semua situs KIM.") % {"title": notice.title})
    return redirect("moderation:notices")


@require_POST
@reviewer_required
def clarification_unlink(request: ReviewerRequest, notice_id: int, link_id: int) -> HttpResponse:
    notice = get_notice_for_editor(request.user, notice_id)
    link = (
        ClarifiedPost.objects.filter(notice=notice, pk=link_id).select_related("community", "notice").first()
    )
    if link is not None:
        services.clarification_unlink(link=link, actor=request.user)
        messages.success(request, _("Tautan ke “%(title)s” dilepas.") % {"title": link.title})
    return redirect("moderation:notice", notice_id=notice.pk)


@reviewer_required
def notice_reach(request: ReviewerRequest) -> HttpResponse:
    """Per kabupaten/kota: how many KIM re-shared official notices, of how many (the reach figure)."""
    rows = notice_selectors.reach_by_regency(user=request.user)
    total = notice_selectors.Reach(
        _("Jumlah"),
        sum(r.communities for r in rows),
        sum(r.carrying for r in rows),
        sum(r.reshares for r in rows),
        sum(r.recent for r in rows),
    )
    context = {"rows": rows, "total": total, "days": notice_selectors.RECENT_DAYS}
    return render(request, "moderation/notice_reach.html", context)
