"""The moderation console on the main domain: thin views, each one form and one service or selector."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feed.fastpath import SEARCH_MAX_QUERY
from kimportal.errors import ActionRefused
from kimportal.pagination import PAGE_PARAM
from notices.models import Notice
from notices.selectors import notice_source

from . import access, labels, notice_selectors, selectors, services
from .access import ReviewerRequest
from .diff import snapshot_changes
from .forms import AuditLogFilterForm, ListFilterForm, QueueFilterForm, ReasonForm, RejectForm, TakeDownForm
from .models import Label, Submission
from .notice_forms import LabelForm


def reviewer_required(view):
    """Signed in and reviewing at least one regency; everyone else gets 404 (the console is not theirs)."""

    @login_required
    @wraps(view)
    def wrapped(request: ReviewerRequest, *args, **kwargs) -> HttpResponse:  # one once this has run
        request.reviewer = access.reviewer_roles(request.user)
        if not request.reviewer.reviews:
            raise Http404("Not a reviewer")
        return view(request, *args, **kwargs)

    return wrapped


def province_admin_required(view):
    @reviewer_required
    @wraps(view)
    def wrapped(request: ReviewerRequest, *args, **kwargs) -> HttpResponse:
        if not request.reviewer.province_admin:
            raise Http404("Not a province admin")
        return view(request, *args, **kwargs)

    return wrapped


def list_pager(values: dict, cursor: str | None) -> dict:
    """Links to the next page and back to the first, keeping the filters."""
    kept = {name: value for name, value in values.items() if value and name != PAGE_PARAM}
    return {
        "next_query": "?" + urlencode({**kept, PAGE_PARAM: cursor}) if cursor else None,
        "first_query": ("?" + urlencode(kept) if kept else "?") if values.get(PAGE_PARAM) else None,
    }


def list_filters(request: ReviewerRequest, form: ListFilterForm) -> dict:
    values, ignored = form.filters()
    if ignored:
        messages.warning(
            request, _("Filter yang tidak dikenal diabaikan: %(names)s.") % {"names": ", ".join(ignored)}
        )
    return values


# --- the queue and the review screen --------------------------------------------------------------


@reviewer_required
def queue(request: ReviewerRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET, regencies=selectors.reviewed_regencies(request.user))
    values = list_filters(request, form)
    page = selectors.submission_queue(
        user=request.user,
        state=values["state"],
        regency_id=values["regency"],
        community_id=values["community"],
        after=values[PAGE_PARAM],
    )
    context = {
        "form": form,
        "state": values["state"],
        "page": page,
        **list_pager(values, page.next_cursor),
        "overdue_hours": selectors.overdue_hours(),
    }
    return render(request, "moderation/queue.html", context)


def _review_page(
    request: ReviewerRequest,
    submission: Submission,
    *,
    changes_form: ReasonForm | None = None,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    previous = selectors.previous_reviewed_submission(submission)
    context = {
        "submission": submission,
        "category": selectors.category_label(submission.snapshot["category"]),
        "overdue": submission.state == Submission.State.PENDING
        and submission.submitted_at < selectors.overdue_cutoff(),
        "history": selectors.post_history(community_id=submission.community_id, post_id=submission.post_id),
        "previous": previous,
        "changes": snapshot_changes(previous.snapshot, submission.snapshot) if previous else None,
        "photos_seen_before": selectors.photos_seen_before(submission),
        "newer": selectors.pending_version(submission)
        if submission.state == Submission.State.SUPERSEDED
        else None,
        "changes_form": changes_form or ReasonForm(prefix="changes"),
        "reject_form": reject_form or RejectForm(prefix="reject"),
        **_official_context(submission),
    }
    return render(request, "moderation/review.html", context)


def _official_context(submission: Submission) -> dict:
    """What the review screen shows of official notices: the one a re-share was written from, and
    published clarifications the submission's text resembles (includes/similar_clarifications.html)."""
    return {
        "source": notice_source(submission.snapshot.get("source_notice")),
        "similar_clarifications": notice_selectors.similar_clarifications(submission)
        if submission.state == Submission.State.PENDING
        else [],
    }


@reviewer_required
def review(request: ReviewerRequest, submission_id: int) -> HttpResponse:
    submission = access.get_submission_for_reviewer(request.user, submission_id)
    return _review_page(request, submission)


def _refused(request: ReviewerRequest, refused: ActionRefused, submission: Submission) -> HttpResponse:
    messages.error(request, refused.message)
    return redirect("moderation:review", submission_id=submission.pk)


@require_POST
@reviewer_required
def approve(request: ReviewerRequest, submission_id: int) -> HttpResponse:
    submission = access.get_submission_for_reviewer(request.user, submission_id)
    try:
        services.submission_approve(submission_id=submission.pk, editor=request.user)
    except ActionRefused as refused:
        return _refused(request, refused, submission)
    messages.success(
        request, _("Disetujui: “%(title)s” kini tayang.") % {"title": submission.snapshot["title"]}
    )
    return redirect("moderation:queue")


@require_POST
@reviewer_required
def request_changes(request: ReviewerRequest, submission_id: int) -> HttpResponse:
    submission = access.get_submission_for_reviewer(request.user, submission_id)
    form = ReasonForm(request.POST, prefix="changes")
    if not form.is_valid():
        return _review_page(request, submission, changes_form=form)
    try:
        services.submission_request_changes(
            submission_id=submission.pk, editor=request.user, reason=form.reason
        )
    except ActionRefused as refused:
        return _refused(request, refused, submission)
    messages.success(
        request,
        _("Permintaan perbaikan untuk “%(title)s” dikirim ke penulis.")
        % {"title": submission.snapshot["title"]},
    )
    return redirect("moderation:queue")


@require_POST
@reviewer_required
def reject(request: ReviewerRequest, submission_id: int) -> HttpResponse:
    submission = access.get_submission_for_reviewer(request.user, submission_id)
    form = RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _review_page(request, submission, reject_form=form)
    try:
        services.submission_reject(submission_id=submission.pk, editor=request.user, reason=form.reason)
    except ActionRefused as refused:
        return _refused(request, refused, submission)
    messages.success(request, _("“%(title)s” ditolak.") % {"title": submission.snapshot["title"]})
    return redirect("moderation:queue")


# --- published posts, taking down and restoring ----------------------------------------------------


@reviewer_required
def published(request: ReviewerRequest) -> HttpResponse:
    """Published posts, newest first; with `q`, those matching a search, best first."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_QUERY]  # no NUL in text
    context: dict = {
        "query": query,
        "can_feature": access.is_province_admin(request.user),
        **_label_context(request),
    }
    if query:
        context["entries"], context["partial"] = selectors.published_search(user=request.user, query=query)
    else:
        values = list_filters(request, ListFilterForm(request.GET))
        page = selectors.published_entries(user=request.user, after=values[PAGE_PARAM])
        context.update({"entries": page.items, **list_pager(values, page.next_cursor)})
    notice_selectors.labels_of(context["entries"])
    return render(request, "moderation/published.html", context)


def _label_context(request: ReviewerRequest) -> dict:
    """What the label and take-down forms of a list offer: the labels, and the clarifications."""
    return {
        "label_choices": Label.choices,
        "clarifications": notice_selectors.clarification_choices(request.user),
    }


@require_POST
@reviewer_required
def feature(request: ReviewerRequest, entry_id: int) -> HttpResponse:
    entry = access.get_feed_entry_for_reviewer(request.user, entry_id)
    featured = request.POST.get("featured") == "1"
    try:
        services.feed_entry_feature(entry=entry, admin=request.user, featured=featured)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("moderation:published")
    message = (
        _("“%(title)s” kini berita pilihan.") if featured else _("“%(title)s” bukan lagi berita pilihan.")
    )
    messages.success(request, message % {"title": entry.title})
    return redirect("moderation:published")


@require_POST
@reviewer_required
def take_down(request: ReviewerRequest, entry_id: int) -> HttpResponse:
    entry = access.get_feed_entry_for_reviewer(request.user, entry_id)
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return redirect("moderation:published")
    try:
        labels.post_take_down_labelled(
            community=entry.community,
            post_id=entry.post_id,
            editor=request.user,
            reason=form.cleaned_data["reason"],
            label=form.cleaned_data["label"],
            clarification=_clarification(request, form),
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("moderation:published")
    messages.success(request, _("“%(title)s” diturunkan.") % {"title": entry.title})
    return redirect("moderation:taken_down")


def _clarification(request: ReviewerRequest, form: TakeDownForm | LabelForm) -> Notice | None:
    """The clarification the form names, if it is one this editor may link posts to."""
    return notice_selectors.clarification_for(request.user, form.cleaned_data.get("clarification"))


# Where a label was given from: the list to go back to.
_LABEL_BACK = {"tayang": "moderation:published", "diturunkan": "moderation:taken_down"}


@require_POST
@reviewer_required
def label(request: ReviewerRequest, community_id: int, post_id: int) -> HttpResponse:
    """Label a published or taken-down post (and link the clarification that answers it)."""
    community = access.get_community_for_reviewer(request.user, community_id)
    back = _LABEL_BACK.get(request.POST.get("back", ""), "moderation:published")
    form = LabelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        labels.post_label(
            community=community,
            post_id=post_id,
            editor=request.user,
            label=form.cleaned_data["label"],
            clarification=_clarification(request, form),
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("Label disimpan."))
    return redirect(back)


@reviewer_required
def taken_down(request: ReviewerRequest) -> HttpResponse:
    values = list_filters(request, ListFilterForm(request.GET))
    page = selectors.taken_down_posts(user=request.user, after=values[PAGE_PARAM])
    notice_selectors.labels_of(page.items)
    context = {"page": page, **list_pager(values, page.next_cursor), **_label_context(request)}
    return render(request, "moderation/taken_down.html", context)


# Where a restore was asked from: the tab to go back to.
_RESTORE_BACK = {"laporan": "moderation:reports", "diturunkan": "moderation:taken_down"}


@require_POST
@reviewer_required
def restore(request: ReviewerRequest, community_id: int, post_id: int) -> HttpResponse:
    community = access.get_community_for_reviewer(request.user, community_id)
    back = _RESTORE_BACK.get(request.POST.get("back", ""), "moderation:taken_down")
    try:
        services.post_reinstate(community=community, post_id=post_id, editor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("Tulisan ditayangkan kembali."))
    return redirect(back)


# --- readers' reports -----------------------------------------------------------------------------


@reviewer_required
def reports(request: ReviewerRequest) -> HttpResponse:
    groups = selectors.open_reports_by_post(user=request.user)
    return render(request, "moderation/reports.html", {"groups": groups, **_label_context(request)})


@require_POST
@reviewer_required
def reports_resolve(request: ReviewerRequest, community_id: int, post_id: int) -> HttpResponse:
    community = access.get_community_for_reviewer(request.user, community_id)
    services.reports_resolve(community=community, post_id=post_id, editor=request.user)
    messages.success(request, _("Laporan ditandai selesai; tulisan tetap seperti sekarang."))
    return redirect("moderation:reports")


@require_POST
@reviewer_required
def reports_take_down(request: ReviewerRequest, community_id: int, post_id: int) -> HttpResponse:
    community = access.get_community_for_reviewer(request.user, community_id)
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return redirect("moderation:reports")
    try:
        labels.post_take_down_labelled(
            community=community,
            post_id=post_id,
            editor=request.user,
            reason=form.cleaned_data["reason"],
            label=form.cleaned_data["label"],
            clarification=_clarification(request, form),
            reports=True,
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("moderation:reports")
    messages.success(request, _("Tulisan diturunkan dan laporannya ditandai selesai."))
    return redirect("moderation:reports")


# --- the audit log (province admins) and the numbers (each reviewer's reach) -----------------------------


@province_admin_required
def audit_log(request: ReviewerRequest) -> HttpResponse:
    form = AuditLogFilterForm(request.GET, regencies=selectors.province_regency_choices(request.user))
    values = list_filters(request, form)
    page = selectors.audit_log(user=request.user, regency_id=values["regency"], after=values[PAGE_PARAM])
    context = {
        "form": form,
        "page": page,
        **list_pager(values, page.next_cursor),
        "registration_events": selectors.registration_log(user=request.user),
        "notice_events": notice_selectors.notice_log(user=request.user),
    }
    return render(request, "moderation/audit_log.html", context)


@reviewer_required
def stats(request: ReviewerRequest) -> HttpResponse:
    context = {"rows": selectors.review_stats(user=request.user), "days": selectors.STATS_DAYS}
    return render(request, "moderation/stats.html", context)
