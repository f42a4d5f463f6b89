"""KIM registration on the main domain: the applicant's form and status page, and the reviewers'
queue, review screen, decree file and decisions in the moderation console."""

import secrets
import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from communities import registrations
from communities.hosts import community_url
from communities.models import RegistrationRequest
from communities.requests import SignedInRequest
from kimportal.errors import ActionRefused

from . import access, selectors
from . import registrations as decisions
from .access import ReviewerRequest
from .registration_forms import RegistrationDecisionForm, RegistrationForm
from .views import reviewer_required

# --- the applicant ----------------------------------------------------------------------------------


def _render_form(request: HttpRequest, form: RegistrationForm, status: int = 200) -> HttpResponse:
    mine = (
        RegistrationRequest.objects.filter(applicant=request.user).order_by("-created_at")[:5]
        if request.user.is_authenticated
        else []
    )
    context = {"form": form, "kept": form.kept_decree, "mine": mine}
    return render(request, "moderation/registration_form.html", context, status=status)


def _form_errors(form: RegistrationForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    form.describe_errors()


@never_cache  # each visit gets its own form token
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    with_account = not request.user.is_authenticated
    if request.method == "GET":
        initial: dict = {"form_token": secrets.token_urlsafe(24)}
        if request.user.is_authenticated:
            initial |= {"contact_email": request.user.email, "contact_name": request.user.get_full_name()}
        return _render_form(request, RegistrationForm(initial=initial, with_account=with_account))
    form = RegistrationForm(request.POST, request.FILES, with_account=with_account)
    token = request.POST.get("form_token", "")
    if token and (existing := registrations.registration_by_token(token)):  # a second tap on "Kirim"
        return _after_submit(request, existing)
    if not form.is_valid() or form.decree is None:
        return _render_form(request, form, status=400)
    path, content_type, _shown = form.decree
    data = form.registration_data()
    try:
        if request.user.is_authenticated:
            registration = registrations.registration_submit(
                applicant=request.user,
                form_token=form.cleaned_data["form_token"],
                data=data,
                decree_path=path,
                decree_type=content_type,
                email_verified=request.user.email.lower() == data["contact_email"],
            )
        else:
            registration = registrations.registration_submit_new_account(
                email=data["contact_email"],
                full_name=data["contact_name"],
                password=form.cleaned_data["password1"],
                form_token=form.cleaned_data["form_token"],
                data=data,
                decree_path=path,
                decree_type=content_type,
            )
            login(request, registration.applicant, backend="django.contrib.auth.backends.ModelBackend")
    except ValidationError as error:
        _form_errors(form, error)
        return _render_form(request, form, status=400)
    return _after_submit(request, registration)


def _after_submit(request: HttpRequest, registration: RegistrationRequest) -> HttpResponse:
    if request.user.is_authenticated and registration.applicant_id == request.user.pk:
        return redirect("registration:status", public_id=registration.public_id)
    # The first tap made the account and signed in; this one's session may not know it yet.
    return render(request, "moderation/registration_sent.html", {"registration": None})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = registrations.registration_verify_email(token=token)
    except ActionRefused as refused:
        return render(request, "moderation/registration_sent.html", {"refusal": refused.message}, status=410)
    messages.success(
        request, _("Email Anda terkonfirmasi. Pendaftaran kini menunggu pemeriksaan Diskominfo.")
    )
    if request.user.is_authenticated and registration.applicant_id == request.user.pk:
        return redirect("registration:status", public_id=registration.public_id)
    return render(request, "moderation/registration_sent.html", {"verified": True})


def _own_registration(request: SignedInRequest, public_id: uuid.UUID) -> RegistrationRequest:
    registration = (
        RegistrationRequest.objects.select_related("regency__province", "community")
        .filter(public_id=public_id, applicant=request.user)
        .first()
    )
    if registration is None:
        raise Http404("No such registration of this applicant")
    return registration


def _edit_form(registration: RegistrationRequest, data=None, files=None) -> RegistrationForm:
    initial = {
        **{field: getattr(registration, field) for field in registrations.FIELDS},
        "regency": registration.regency_id,
        "province": registration.regency.province_id,
        "form_token": registration.form_token,
    }
    return RegistrationForm(data, files, initial=initial, editing=registration)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def status(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = _own_registration(request, public_id)
    form = _edit_form(registration) if registration.is_editable else None
    if request.method == "POST" and registration.is_editable:
        form = _edit_form(registration, request.POST, request.FILES)
        if form.is_valid():
            path, content_type = (form.decree[0], form.decree[1]) if form.decree else ("", "")
            try:
                registrations.registration_update(
                    registration=registration,
                    actor=request.user,
                    data=form.registration_data(),
                    decree_path=path,
                    decree_type=content_type,
                )
            except ValidationError as error:
                _form_errors(form, error)
            except ActionRefused as refused:
                messages.error(request, refused.message)
                return redirect("registration:status", public_id=public_id)
            else:
                messages.success(request, _("Perubahan pendaftaran tersimpan."))
                return redirect("registration:status", public_id=public_id)
    context = {
        "registration": registration,
        "form": form,
        "kept": form.kept_decree if form else None,
        "history": registration.events.all(),
        "site_url": community_url(registration.community) if registration.community else "",
    }
    return render(
        request, "moderation/registration_status.html", context, status=400 if form and form.errors else 200
    )


@require_POST
@login_required
def withdraw(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = _own_registration(request, public_id)
    try:
        registrations.registration_withdraw(registration=registration, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Pendaftaran ditarik."))
    return redirect("registration:status", public_id=public_id)


# --- the reviewers ----------------------------------------------------------------------------------

QUEUE_STATES = ("pending", "changes_requested", "approved", "rejected")


@reviewer_required
def queue(request: ReviewerRequest) -> HttpResponse:
    state = request.GET.get("status", "pending")
    if state not in QUEUE_STATES:
        state = "pending"
    context = {
        "rows": selectors.registration_queue(user=request.user, state=state),
        "state": state,
        "states": [(value, RegistrationRequest.State(value).label) for value in QUEUE_STATES],
    }
    return render(request, "moderation/registration_queue.html", context)


def _review_page(request: ReviewerRequest, registration: RegistrationRequest, **forms) -> HttpResponse:
    context = {
        "registration": registration,
        "duplicates": selectors.registration_duplicates(registration),
        "history": selectors.registration_history(registration),
        "changes_form": forms.get("changes_form") or RegistrationDecisionForm(prefix="changes"),
        "reject_form": forms.get("reject_form") or RegistrationDecisionForm(prefix="reject"),
    }
    return render(request, "moderation/registration_review.html", context, status=400 if forms else 200)


@reviewer_required
def review(request: ReviewerRequest, public_id: uuid.UUID) -> HttpResponse:
    return _review_page(request, access.get_registration_for_reviewer(request.user, public_id))


@reviewer_required
def decree(request: ReviewerRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """The decree file, to its reviewers only; never cached, never sniffed, never run."""
    registration = access.get_registration_for_reviewer(request.user, public_id)
    extension = "pdf" if registration.decree_type == "application/pdf" else "webp"
    response = FileResponse(
        registrations.decree_open(registration),
        content_type=registration.decree_type,
        filename=f"sk-{registration.slug}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


def _decided(request: ReviewerRequest, registration: RegistrationRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("moderation:registrations")


def _refused(
    request: ReviewerRequest, refused: ActionRefused, registration: RegistrationRequest
) -> HttpResponse:
    messages.error(request, refused.message)
    return redirect("moderation:registration", public_id=registration.public_id)


@require_POST
@reviewer_required
def approve(request: ReviewerRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = access.get_registration_for_reviewer(request.user, public_id)
    try:
        decisions.registration_approve(registration_id=registration.pk, reviewer=request.user)
    except ActionRefused as refused:
        return _refused(request, refused, registration)
    except ValidationError as error:  # the subdomain was taken meanwhile (another route to a site)
        return _refused(request, ActionRefused("; ".join(error.messages)), registration)
    return _decided(
        request,
        registration,
        _("Disetujui: %(name)s kini punya situs %(host)s.")
        % {"name": registration.name, "host": registration.host},
    )


@require_POST
@reviewer_required
def request_changes(request: ReviewerRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = access.get_registration_for_reviewer(request.user, public_id)
    form = RegistrationDecisionForm(request.POST, prefix="changes")
    if not form.is_valid():
        return _review_page(request, registration, changes_form=form)
    try:
        decisions.registration_request_changes(
            registration_id=registration.pk, reviewer=request.user, reason=form.reason
        )
    except ActionRefused as refused:
        return _refused(request, refused, registration)
    return _decided(
        request,
        registration,
        _("Permintaan perbaikan dikirim ke pemohon %(name)s.") % {"name": registration.name},
    )


@require_POST
@reviewer_required
def reject(request: ReviewerRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = access.get_registration_for_reviewer(request.user, public_id)
    form = RegistrationDecisionForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _review_page(request, registration, reject_form=form)
    try:
        decisions.registration_reject(
            registration_id=registration.pk, reviewer=request.user, reason=form.reason
        )
    except ActionRefused as refused:
        return _refused(request, refused, registration)
    return _decided(request, registration, _("Pendaftaran %(name)s ditolak.") % {"name": registration.name})
