"""Writes for communities, regions and roles. Views and commands call these, never the ORM directly."""

import csv
import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_exists
from PIL import Image, ImageOps

from accounts import throttle
from accounts.models import User
from kimportal.db import connection
from kimportal.errors import ActionRefused
from kimportal.hosts import main_url

from .models import (
    PROFILE_FIELDS,
    RESERVED_SLUGS,
    Community,
    Domain,
    EditorAssignment,
    Invitation,
    Membership,
    Province,
    ProvinceAdmin,
    Regency,
)
from .pages import pages_changed
from .selectors import regions_forget
from .signals import community_changed

DATA_DIR = Path(__file__).resolve().parent / "data"


def regions_load(*, regency_files: tuple[str, ...] = ("regencies-jawa-tengah.csv",)) -> int:
    """Upsert Indonesia's provinces and the given provinces' kabupaten/kota; returns regencies loaded."""
    with open(DATA_DIR / "provinces.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Province.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "slug": slugify(row["name"])}
            )
    provinces = {p.code: p for p in Province.objects.all()}
    count = 0
    for filename in regency_files:
        with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                Regency.objects.update_or_create(
                    code=row["code"],
                    defaults={
                        "province": provinces[row["province_code"]],
                        "kind": row["kind"],
                        "name": row["name"],
                        "slug": slugify(f"{row['kind']} {row['name']}"),
                    },
                )
                count += 1
    regions_forget()  # this process's copy of the reference data
    return count


def template_schema_ensure(*, verbosity: int = 0) -> None:
    """Create or migrate the schema every new community is cloned from."""
    name = settings.COMMUNITY_TEMPLATE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def schema_name_for(slug: str) -> str:
    return "kim_" + slug.replace("-", "_")


def community_check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Subdomain “%(slug)s” tidak dapat dipakai.") % {"slug": slug}})
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Subdomain “%(slug)s” sudah dipakai.") % {"slug": slug}})


def community_create(*, name: str, slug: str, regency: Regency, **profile) -> Community:
    """Create a community whose subdomain serves at once (its schema is cloned from the template)."""
    slug = slug.strip().lower()
    community_check_slug(slug)
    community = Community(name=name, slug=slug, regency=regency, schema_name=schema_name_for(slug), **profile)
    community.full_clean()
    return community_insert(community=community)


def community_insert(*, community: Community) -> Community:
    """Save a new, validated community with its domain and cloned schema (the Django admin's add
    form ends here too). Precondition: the slug passed `community_check_slug`."""
    community.schema_name = schema_name_for(community.slug)
    with transaction.atomic():
        community.save(verbosity=0)
        Domain.objects.create(tenant=community, domain=community.host, is_primary=True)
        pages_changed(community)  # the directory and the regency page list communities
    return community


def community_move(*, community: Community, regency: Regency) -> Community:
    """Put a community under another kabupaten/kota (an operator's correction). Its submissions,
    reports and published posts carry their regency (each regency's queue and feed read it
    directly), so they move with it, in one transaction: the old regency's editors lose them, the
    new one's get them."""
    with transaction.atomic():
        community.regency = regency
        community.save(update_fields=["regency"])  # also drops the cached host answers
        community_edited(community=community, changed=["regency"])
    return community


def community_archive(*, community: Community, archived: bool) -> Community:
    """Archive (the site says so and takes no new posts; what was published stays) or unarchive."""
    with transaction.atomic():
        community = Community.objects.select_for_update().get(pk=community.pk)
        if bool(community.archived_at) == archived:
            return community
        community.archived_at = timezone.now() if archived else None
        community.save(update_fields=["archived_at"])  # also drops the cached host answers
        community_edited(community=community, changed=["archived_at"])
    return community


def community_edited(*, community: Community, changed: list[str]) -> None:
    """Carry an edit of the community's row (saved already, here or in the Django admin) to the
    copies the portal keeps: the rows above that carry its name, logo or kabupaten/kota, cached
    pages."""
    with transaction.atomic():
        # The address: searchable place names; the logo: feed cards.
        copied = {"name", "logo", "address", "regency"} & set(changed)
        if copied:
            community_changed.send(sender=Community, community=community, changed=copied)
        pages_changed(community)  # the directory and the regency pages list communities


def membership_set(*, user: User, community: Community, role: str = Membership.Role.MEMBER) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, community=community, defaults={"role": role}
    )
    return membership


def editor_assign(*, user: User, regency: Regency) -> EditorAssignment:
    assignment, _created = EditorAssignment.objects.get_or_create(user=user, regency=regency)
    return assignment


def province_admin_assign(*, user: User, province: Province) -> ProvinceAdmin:
    role, _created = ProvinceAdmin.objects.get_or_create(user=user, province=province)
    return role


def user_get_or_create(*, email: str, full_name: str = "", password: str | None = None):
    """The account for this email, created (with an unusable password unless one is given) if new."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name or email)
    return user


# --- community management by its admins ------------------------------------------------------------


LOGO_SIDE = 512  # Shown at most ~128 CSS px wide; 512 px stays sharp on 3x screens.


def _logo_webp(upload: UploadedFile) -> ContentFile:
    """The logo re-encoded small, upright and without metadata (no phone GPS leaks via a logo)."""
    upload.seek(0)
    with Image.open(upload) as source:
        source.draft("RGB", (LOGO_SIDE, LOGO_SIDE))  # JPEG: decode at reduced scale, much faster
        image = ImageOps.exif_transpose(source)
        image.thumbnail((LOGO_SIDE, LOGO_SIDE))
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=88, method=4)
    return ContentFile(out.getvalue(), name="logo.webp")


def community_update_profile(
    *, community: Community, data: dict, logo: UploadedFile | None = None, clear_logo: bool = False
) -> Community:
    """Save the public profile fields (and a new or removed logo); the host and page caches drop it.

    Precondition: `data` was validated by a form; `logo` is a checked image. Runs with the connection
    on the community's own schema (django-tenants refuses to save a tenant from another one).
    """
    changed = [field for field in PROFILE_FIELDS if field in data]
    for field in changed:
        setattr(community, field, data[field])
    # From the row, not the instance: a ModelForm has already put the upload on the instance.
    previous_logo = Community.objects.filter(pk=community.pk).values_list("logo", flat=True).get()
    if logo is not None:
        webp = _logo_webp(logo)
        community.logo.save(webp.name, webp, save=False)
        changed.append("logo")
    elif clear_logo and previous_logo:
        community.logo = ""
        changed.append("logo")
    with transaction.atomic():
        community.save(update_fields=changed)
        # Anonymous readers' cached pages (this community's and the main domain's) show the old profile.
        community_edited(community=community, changed=changed)
    if "logo" in changed and previous_logo:
        community.logo.storage.delete(previous_logo)
    return community


def _invitation_send(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "community": invitation.community,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display(),
        "url": main_url(invitation.get_absolute_url()),
    }
    subject = render_to_string("communities/email/invitation_subject.txt", context).strip()
    body = render_to_string("communities/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


INVITATION_EMAIL = "invitation_email"


def _invitation_email_allowed(*, email: str, invited_by: User | None) -> None:
    """Refuse past INVITATION_EMAIL_LIMITS: per inviter (counted as the "client"), per address."""
    limits = throttle.limits_from(settings.INVITATION_EMAIL_LIMITS)
    wait = throttle.wait_seconds(
        INVITATION_EMAIL, account=email, client=f"user:{invited_by.pk if invited_by else ''}", limits=limits
    )
    if wait:
        minutes = -(-wait // 60)
        raise ActionRefused(
            ngettext(
                "Terlalu banyak undangan lewat email. Coba lagi dalam %(minutes)d menit, "
                "atau bagikan tautan undangan.",
                "Terlalu banyak undangan lewat email. Coba lagi dalam %(minutes)d menit, "
                "atau bagikan tautan undangan.",
                minutes,
            )
            % {"minutes": minutes}
        )


def invitation_create(
    *, community: Community, invited_by: User | None, role: str, email: str = ""
) -> Invitation:
    """Invite someone by email (sent after commit) or, with no email, make a shareable link.

    Inviting an address again replaces its older unused invitation, so only the newest link works.
    """
    email = email.strip().lower()
    # An admin's mails are limited; the portal's own (an approved registration) are not.
    limited = bool(email) and invited_by is not None
    if limited:
        _invitation_email_allowed(email=email, invited_by=invited_by)
    with transaction.atomic():
        if email:
            if Membership.objects.filter(community=community, user__email__iexact=email).exists():
                raise ActionRefused(
                    _("%(email)s sudah menjadi anggota komunitas ini. Ubah perannya di halaman Anggota.")
                    % {"email": email}
                )
            Invitation.objects.select_for_update().filter(
                community=community, email=email, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    community=community, email=email, role=role, invited_by=invited_by
                )
        except IntegrityError as error:  # the same address invited twice at the same instant
            raise ActionRefused(_("Undangan untuk alamat ini baru saja dibuat.")) from error
        if limited:
            throttle.record(
                INVITATION_EMAIL,
                account=email,
                client=f"user:{invited_by.pk}",  # type: ignore[union-attr]  # limited: an inviter
                keep_seconds=max(seconds for _count, seconds, _per in settings.INVITATION_EMAIL_LIMITS),
            )
        if email:
            # robust: a mail server outage is logged, not a 500; the admin can still copy the link.
            transaction.on_commit(lambda: _invitation_send(invitation), robust=True)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ActionRefused(_("Undangan ini sudah tidak berlaku."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_refusal(invitation: Invitation, user: User | AnonymousUser) -> str:
    """Why this user may not accept this invitation now, or '' when they may."""
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        return _("Undangan ini sudah dipakai. Setiap undangan hanya berlaku satu kali.")
    if state == Invitation.State.REVOKED:
        return _("Undangan ini sudah dibatalkan oleh pengelola komunitas.")
    if state == Invitation.State.EXPIRED:
        return _("Undangan ini sudah kedaluwarsa.")
    if invitation.email and user.is_authenticated and user.email.lower() != invitation.email:
        return _(
            "Undangan ini untuk %(invited)s, sedangkan Anda masuk sebagai %(current)s. "
            "Keluar, lalu masuk atau daftar dengan %(invited)s."
        ) % {"invited": invitation.email, "current": user.email}
    return ""


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Use the invitation: the user joins (an existing admin is never demoted by it)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)
        refusal = invitation_refusal(invitation, user)
        if refusal:
            raise ActionRefused(refusal)
        membership = (
            Membership.objects.select_for_update().filter(user=user, community=invitation.community).first()
        )
        if membership is None:
            membership = Membership.objects.create(
                user=user, community=invitation.community, role=invitation.role
            )
        elif invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
            membership.role = Membership.Role.ADMIN
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_accept_new_account(
    *, invitation: Invitation, email: str, full_name: str, password: str
) -> Membership:
    """Create the account (password already validated) and accept the invitation with it, atomically."""
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ActionRefused(_("Email ini sudah terdaftar. Silakan masuk dengan akun tersebut."))
        user = User.objects.create_user(email=email, full_name=full_name, password=password)
        return invitation_accept(invitation=invitation, user=user)


def _admins_locked(community: Community) -> list[int]:
    """Lock the community's admin memberships (so two admins cannot demote each other at once)."""
    return list(
        Membership.objects.select_for_update()
        .filter(community=community, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )


def _last_admin_refused() -> ActionRefused:
    return ActionRefused(
        _("Komunitas harus punya setidaknya satu pengelola. Jadikan anggota lain pengelola terlebih dahulu.")
    )


def membership_remove(*, membership: Membership) -> None:
    with transaction.atomic():
        admins = _admins_locked(membership.community)
        if admins == [membership.pk]:
            raise _last_admin_refused()
        Membership.objects.filter(pk=membership.pk).delete()


def membership_change_role(*, membership: Membership, role: str) -> Membership:
    with transaction.atomic():
        admins = _admins_locked(membership.community)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role != Membership.Role.ADMIN and admins == [membership.pk]:
            raise _last_admin_refused()
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    return membership
