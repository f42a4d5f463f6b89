"""A KIM's registration, the applicant's side: the subdomain rules, the private decree file, sending,
confirming the email, editing and withdrawing, and the community an approval makes.

The reviewers' decisions (approve, request changes, reject) are moderation's
(`moderation/registrations.py`); they lock the same row, so a decision and a withdrawal never both win.
"""

import re
import uuid
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from kimportal.errors import ActionRefused
from kimportal.hosts import main_url_for

from .models import (
    RESERVED_SLUGS,
    Community,
    EditorAssignment,
    Membership,
    RegistrationEvent,
    RegistrationRequest,
)
from .services import community_create, membership_set

SLUG_MAX = 40
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Names a KIM may not take on top of RESERVED_SLUGS: infrastructure and official-sounding names.
MORE_RESERVED = frozenset(
    {"ftp", "ns1", "ns2", "mx", "smtp", "imap", "pop", "webmail", "cdn", "assets", "blog", "dev", "test",
     "status", "help", "bantuan", "support", "login", "masuk", "daftar", "portal", "app", "m", "beta",
     "kominfo", "diskominfo", "pemerintah", "gov", "go", "id", "localhost", "root", "null"}
)  # fmt: skip
VERIFY_DAYS = 7
_VERIFY_SALT = "communities.registration.verify"
OPEN = RegistrationRequest.OPEN_STATES


@cache
def offensive_words() -> tuple[frozenset[str], frozenset[str]]:
    """(long words refused anywhere, short words refused as a whole part) from the data file."""
    path = Path(__file__).resolve().parent / "data" / "offensive-words.txt"
    words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and w[0] != "#"]
    return frozenset(w for w in words if len(w) >= 5), frozenset(w for w in words if len(w) < 5)


def _offensive(slug: str) -> bool:
    anywhere, whole = offensive_words()
    parts = set(re.split(r"[-0-9]+", slug))
    return any(word in slug for word in anywhere) or bool(parts & whole)


def slug_problem(slug: str, *, exclude: RegistrationRequest | None = None) -> str:
    """Why this subdomain cannot be asked for, in words for the applicant; '' when it can."""
    if len(slug) > SLUG_MAX:
        return _("Subdomain paling panjang %(max)d karakter; yang ini %(length)d.") % {
            "max": SLUG_MAX,
            "length": len(slug),
        }
    if len(slug) < 3:
        return _("Subdomain paling sedikit 3 karakter.")
    if not _LABEL.match(slug):
        return _(
            "Subdomain hanya boleh berisi huruf kecil a-z, angka, dan tanda hubung (-) di tengah; "
            "tanpa spasi, titik, atau huruf lain."
        )
    if slug in RESERVED_SLUGS or slug in MORE_RESERVED or slug.startswith("xn--"):
        return _("Subdomain “%(slug)s” dicadangkan untuk sistem. Pilih nama lain.") % {"slug": slug}
    if _offensive(slug):
        return _("Subdomain ini mengandung kata yang tidak pantas. Pilih nama lain.")
    if Community.objects.filter(slug=slug).exists():
        return _("Subdomain “%(slug)s” sudah dipakai KIM lain. Pilih nama lain.") % {"slug": slug}
    held = RegistrationRequest.objects.filter(slug=slug, state__in=OPEN).exclude(_stale_unverified())
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    if held.exists():
        return _("Subdomain “%(slug)s” sedang diajukan oleh pendaftar lain. Pilih nama lain.") % {
            "slug": slug
        }
    return ""


def _stale_unverified() -> Q:
    """Requests whose email was never confirmed within VERIFY_DAYS: they hold no subdomain."""
    cutoff = timezone.now() - timedelta(days=VERIFY_DAYS)
    return Q(state=RegistrationRequest.State.UNVERIFIED, created_at__lt=cutoff)


def _release_stale(slug: str) -> None:
    """Withdraw a never-confirmed request that still holds this subdomain (the link expired)."""
    RegistrationRequest.objects.filter(_stale_unverified(), slug=slug).update(
        state=RegistrationRequest.State.WITHDRAWN, updated_at=timezone.now()
    )


# --- the decree file, in private storage --------------------------------------------------------


def decree_store(content: bytes, extension: str) -> str:
    """Save a checked decree file under a random name; returns its path in the private storage."""
    return storages["private"].save(f"sk/{uuid.uuid4().hex}.{extension}", ContentFile(content))


def decree_open(registration: RegistrationRequest):
    return storages["private"].open(registration.decree_path, "rb")


def decrees_abandoned_delete(*, older_than: datetime) -> int:
    """Delete decree files no request names, stored before `older_than`: those checked for a form
    that was never sent. Returns how many."""
    storage = storages["private"]
    try:
        _folders, names = storage.listdir("sk")
    except FileNotFoundError:  # nothing uploaded yet
        return 0
    paths = {f"sk/{name}" for name in names}
    used = set(
        RegistrationRequest.objects.filter(decree_path__in=paths).values_list("decree_path", flat=True)
    )
    deleted = 0
    for path in sorted(paths - used):
        if storage.get_modified_time(path) < older_than:
            storage.delete(path)
            deleted += 1
    return deleted


# --- the applicant's steps ------------------------------------------------------------------------

FIELDS = (
    "name",
    "regency",
    "district",
    "village",
    "address",
    "decree_number",
    "decree_date",
    "contact_name",
    "contact_email",
    "contact_whatsapp",
    "slug",
)


def _event(registration: RegistrationRequest, actor: User | None, action: str, before: str, reason: str = ""):
    RegistrationEvent.objects.create(
        request=registration,
        actor=actor,
        action=action,
        from_state=before,
        to_state=registration.state,
        reason=reason,
    )


def _check_slug(slug: str, exclude: RegistrationRequest | None = None) -> None:
    if problem := slug_problem(slug, exclude=exclude):
        raise ValidationError({"slug": problem})


def registration_by_token(form_token: str) -> RegistrationRequest | None:
    return RegistrationRequest.objects.filter(form_token=form_token).first()


def registration_submit(
    *, applicant: User, form_token: str, data: dict, decree_path: str, decree_type: str, email_verified: bool
) -> RegistrationRequest:
    """Send a registration (a repeated form token returns the request the first send made).

    Preconditions: `data` holds FIELDS, validated by a form; the decree file was checked and stored.
    With an unconfirmed email the request waits for the link in the confirmation email; otherwise
    the kabupaten/kota's editors are told at once.
    """
    if existing := registration_by_token(form_token):
        return existing
    _check_slug(data["slug"])
    now = timezone.now()
    registration = RegistrationRequest(
        applicant=applicant,
        form_token=form_token,
        state=RegistrationRequest.State.PENDING if email_verified else RegistrationRequest.State.UNVERIFIED,
        decree_path=decree_path,
        decree_type=decree_type,
        consented_at=now,
        submitted_at=now if email_verified else None,
        **{field: data[field] for field in FIELDS},
    )
    try:
        with transaction.atomic():
            _release_stale(registration.slug)
            registration.save()
            _event(registration, applicant, RegistrationEvent.Action.SUBMIT, "")
    except IntegrityError as error:
        if existing := registration_by_token(form_token):  # the same form sent twice at once
            return existing
        raise ValidationError(
            {"slug": slug_problem(data["slug"]) or _("Subdomain ini baru saja diajukan.")}
        ) from error
    if email_verified:
        transaction.on_commit(lambda: editors_new_registration(registration_id=registration.pk), robust=True)
    else:
        transaction.on_commit(lambda: _send_verification(registration), robust=True)
    return registration


def registration_submit_new_account(
    *,
    email: str,
    full_name: str,
    password: str,
    form_token: str,
    data: dict,
    decree_path: str,
    decree_type: str,
) -> RegistrationRequest:
    """Create the applicant's account (password already validated) and send the registration."""
    with transaction.atomic():
        if existing := registration_by_token(form_token):
            return existing
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {
                    "contact_email": _(
                        "Email ini sudah terdaftar. Masuk dengan akun tersebut, lalu isi formulir ini."
                    )
                }
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, full_name=full_name, password=password)
        except IntegrityError:
            if existing := registration_by_token(form_token):
                return existing
            raise
        return registration_submit(
            applicant=user,
            form_token=form_token,
            data=data,
            decree_path=decree_path,
            decree_type=decree_type,
            email_verified=False,
        )


def verification_token(registration: RegistrationRequest) -> str:
    return signing.dumps(str(registration.public_id), salt=_VERIFY_SALT)


def registration_verify_email(*, token: str) -> RegistrationRequest:
    """The confirmation link was followed: the request joins its kabupaten/kota's queue."""
    try:
        public_id = signing.loads(token, salt=_VERIFY_SALT, max_age=timedelta(days=VERIFY_DAYS))
    except signing.BadSignature as error:
        raise ActionRefused(_("Tautan konfirmasi ini tidak berlaku atau sudah kedaluwarsa.")) from error
    with transaction.atomic():
        registration = RegistrationRequest.objects.select_for_update().filter(public_id=public_id).first()
        if registration is None:
            raise ActionRefused(_("Tautan konfirmasi ini tidak berlaku atau sudah kedaluwarsa."))
        if registration.state != RegistrationRequest.State.UNVERIFIED:
            return registration  # followed twice: nothing more to do
        registration.state = RegistrationRequest.State.PENDING
        registration.submitted_at = timezone.now()
        registration.save(update_fields=["state", "submitted_at", "updated_at"])
        _event(
            registration,
            registration.applicant,
            RegistrationEvent.Action.VERIFY,
            RegistrationRequest.State.UNVERIFIED,
        )
        transaction.on_commit(lambda: editors_new_registration(registration_id=registration.pk), robust=True)
    return registration


def _lock(registration: RegistrationRequest) -> RegistrationRequest:
    return RegistrationRequest.objects.select_for_update().get(pk=registration.pk)


def registration_update(
    *,
    registration: RegistrationRequest,
    actor: User,
    data: dict,
    decree_path: str = "",
    decree_type: str = "",
) -> RegistrationRequest:
    """The applicant's edit while the request waits or changes were asked; the latter sends it again."""
    with transaction.atomic():
        registration = _lock(registration)
        if not registration.is_editable:
            raise ActionRefused(_("Pendaftaran ini sudah diputuskan dan tidak dapat diubah lagi."))
        _check_slug(data["slug"], exclude=registration)
        _release_stale(data["slug"])
        before = registration.state
        for field in FIELDS:
            setattr(registration, field, data[field])
        old_path = ""
        if decree_path:
            old_path, registration.decree_path, registration.decree_type = (
                registration.decree_path,
                decree_path,
                decree_type,
            )
        resent = before == RegistrationRequest.State.CHANGES_REQUESTED
        if resent:
            registration.state = RegistrationRequest.State.PENDING
            registration.submitted_at = timezone.now()
        registration.save()
        _event(registration, actor, RegistrationEvent.Action.EDIT, before)
        if old_path:
            transaction.on_commit(lambda: storages["private"].delete(old_path), robust=True)
        if resent:
            transaction.on_commit(
                lambda: editors_new_registration(registration_id=registration.pk), robust=True
            )
    return registration


def registration_withdraw(*, registration: RegistrationRequest, actor: User) -> RegistrationRequest:
    """The applicant takes the request back; refused once decided (whoever locks the row first wins)."""
    with transaction.atomic():
        registration = _lock(registration)
        if registration.state not in OPEN:
            raise ActionRefused(
                _("Pendaftaran ini sudah %(state)s dan tidak dapat ditarik lagi.")
                % {"state": registration.get_state_display().lower()}
            )
        before = registration.state
        registration.state = RegistrationRequest.State.WITHDRAWN
        registration.save(update_fields=["state", "updated_at"])
        _event(registration, actor, RegistrationEvent.Action.WITHDRAW, before)
    return registration


def community_from_registration(*, registration: RegistrationRequest) -> Community:
    """The approved request's community, its domain and cloned schema, with the applicant as its admin.

    Precondition: inside the decision's transaction, the request locked.
    """
    community = community_create(
        name=registration.name,
        slug=registration.slug,
        regency=registration.regency,
        address=registration.address,
        phone=registration.contact_whatsapp,
        email=registration.contact_email,
    )
    membership_set(user=registration.applicant, community=community, role=Membership.Role.ADMIN)
    return community


# --- emails (after commit) ------------------------------------------------------------------------


def _send(template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, recipients)


def _send_verification(registration: RegistrationRequest) -> None:
    context = {
        "registration": registration,
        "url": main_url_for("registration:verify", token=verification_token(registration)),
        "days": VERIFY_DAYS,
    }
    _send("communities/email/registration_verify", context, [registration.applicant.email])


def editors_new_registration(*, registration_id: int) -> None:
    """Tell the kabupaten/kota's editors that a KIM waits for them."""
    registration = RegistrationRequest.objects.select_related("regency").get(pk=registration_id)
    recipients = list(
        EditorAssignment.objects.filter(regency_id=registration.regency_id, user__is_active=True)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    context = {
        "registration": registration,
        "review_url": main_url_for("moderation:registration", public_id=registration.public_id),
    }
    _send("communities/email/registration_new", context, recipients)
