"""The reviewers' decisions on a KIM's registration: approve, request changes, reject.

Each is atomic: it locks the request (as the applicant's withdrawal and edit do), refuses unless
it is still waiting, records a RegistrationEvent, and emails the applicant after commit. Two
reviewers at once, or a reviewer and a withdrawing applicant: whoever locks first decides, the
other is told why nothing happened.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from communities.hosts import community_url_for
from communities.models import RegistrationEvent, RegistrationRequest
from communities.registrations import community_from_registration
from kimportal.errors import ActionRefused
from kimportal.hosts import main_url, main_url_for

State = RegistrationRequest.State


def _lock_pending(registration_id: int) -> RegistrationRequest:
    registration = (
        RegistrationRequest.objects.select_for_update().select_related("applicant").get(pk=registration_id)
    )
    if registration.state != State.PENDING:
        raise ActionRefused(
            _("Pendaftaran ini sudah tidak menunggu pemeriksaan (kini: %(state)s).")
            % {"state": registration.get_state_display().lower()}
        )
    return registration


def _decide(registration: RegistrationRequest, reviewer: User, state: str, reason: str = "") -> None:
    registration.state = state
    registration.decided_at = timezone.now()
    registration.decided_by = reviewer
    registration.reason = reason
    registration.save(
        update_fields=["state", "decided_at", "decided_by", "reason", "community", "updated_at"]
    )
    RegistrationEvent.objects.create(
        request=registration,
        actor=reviewer,
        action=state,
        from_state=State.PENDING,
        to_state=state,
        reason=reason,
    )


def registration_approve(*, registration_id: int, reviewer: User) -> RegistrationRequest:
    """Create the community (cloned schema, domain, the applicant as admin) and welcome the applicant."""
    with transaction.atomic():
        registration = _lock_pending(registration_id)
        registration.community = community_from_registration(registration=registration)
        _decide(registration, reviewer, State.APPROVED)
    transaction.on_commit(lambda: applicant_welcome(registration_id=registration.pk), robust=True)
    return registration


def registration_request_changes(*, registration_id: int, reviewer: User, reason: str) -> RegistrationRequest:
    with transaction.atomic():
        registration = _lock_pending(registration_id)
        _decide(registration, reviewer, State.CHANGES_REQUESTED, reason)
    transaction.on_commit(lambda: applicant_decision(registration_id=registration.pk), robust=True)
    return registration


def registration_reject(*, registration_id: int, reviewer: User, reason: str) -> RegistrationRequest:
    with transaction.atomic():
        registration = _lock_pending(registration_id)
        _decide(registration, reviewer, State.REJECTED, reason)
    transaction.on_commit(lambda: applicant_decision(registration_id=registration.pk), robust=True)
    return registration


# --- emails ---------------------------------------------------------------------------------------


def _send(template: str, context: dict, recipient: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [recipient])


def set_password_url(user: User) -> str:
    """A one-time link to set a password (Django's reset link): works whether or not one was set."""
    path = reverse(
        "accounts:password_reset_confirm",
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return main_url(path)


def applicant_welcome(*, registration_id: int) -> None:
    registration = RegistrationRequest.objects.select_related("applicant", "community").get(
        pk=registration_id
    )
    community = registration.community
    assert community is not None  # approved
    manage_url = community_url_for(community, "posts:list")
    context = {
        "registration": registration,
        "community": community,
        "site_url": community_url_for(community, "home"),
        "sign_in_url": main_url_for("accounts:login") + "?next=" + manage_url,
        "set_password_url": set_password_url(registration.applicant),
        "profile_url": community_url_for(community, "community_manage:profile"),
        "write_url": community_url_for(community, "posts:create"),
        "members_url": community_url_for(community, "community_manage:members"),
    }
    _send("moderation/email/registration_welcome", context, registration.applicant.email)


def applicant_decision(*, registration_id: int) -> None:
    registration = RegistrationRequest.objects.select_related("applicant").get(pk=registration_id)
    context = {
        "registration": registration,
        "status_url": main_url_for("registration:status", public_id=registration.public_id),
    }
    _send("moderation/email/registration_decision", context, registration.applicant.email)
