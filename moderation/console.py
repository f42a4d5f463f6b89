"""The province console: its reads (communities with their activity figures, staff) and its writes
(appointing and removing kab/kota editors and province admins, by email).

Reach follows moderation.access: a province admin sees every kabupaten/kota of the province, an
editor their own; only province admins change staff, archive or move communities.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from communities import services as community_services
from communities.hosts import community_url
from communities.models import Community, EditorAssignment, Membership, Province, ProvinceAdmin, Regency
from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from kimportal.hosts import main_url_for

from .access import administered_provinces, reviewable_regencies
from .models import Submission
from .registrations import set_password_url

DORMANT_DAYS = 90
FILTERS = ("active", "dormant", "archived")


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("community").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def console_communities(
    *, user: User, regency_id: int | None = None, status: str = ""
) -> QuerySet[Community]:
    """The communities this user oversees, with their figures (one query, a subquery per figure)."""
    now = timezone.now()
    dormant_since = now - timedelta(days=DORMANT_DAYS)
    communities = Community.objects.filter(regency__in=reviewable_regencies(user)).exclude(
        schema_name="public"
    )
    if regency_id:
        communities = communities.filter(regency_id=regency_id)
    if status == "archived":
        communities = communities.filter(archived_at__isnull=False)
    elif status == "active":
        communities = communities.filter(archived_at__isnull=True, last_published_at__gte=dormant_since)
    elif status == "dormant":
        communities = communities.filter(archived_at__isnull=True).filter(
            Q(last_published_at__isnull=True) | Q(last_published_at__lt=dormant_since)
        )
    entries = FeedEntry.objects.filter(community=OuterRef("pk"))
    return (
        communities.select_related("regency")
        .annotate(
            members=_count(Membership.objects.filter(community=OuterRef("pk"))),
            published_30=_count(entries.filter(published_at__gte=now - timedelta(days=30))),
            published_90=_count(entries.filter(published_at__gte=dormant_since)),
            waiting=_count(
                Submission.objects.filter(community=OuterRef("pk"), state=Submission.State.PENDING)
            ),
        )
        .order_by("regency__name", "name")
    )


def communities_csv(communities: QuerySet[Community]) -> str:
    """The directory with its figures, for Diskominfo's reports (opens in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Nama"),
            _("Subdomain"),
            _("Situs"),
            _("Kabupaten/kota"),
            _("Anggota"),
            _("Tayang 30 hari"),
            _("Tayang 90 hari"),
            _("Terakhir tayang"),
            _("Menunggu pemeriksaan"),
            _("Diarsipkan"),
        ]
    )
    for c in communities.iterator(chunk_size=500):
        writer.writerow(
            [
                c.name,
                c.slug,
                community_url(c),
                str(c.regency),
                c.members,  # type: ignore[attr-defined]  # annotated by console_communities
                c.published_30,  # type: ignore[attr-defined]  # as above
                c.published_90,  # type: ignore[attr-defined]  # as above
                timezone.localtime(c.last_published_at).strftime("%Y-%m-%d %H:%M")
                if c.last_published_at
                else "",
                c.waiting,  # type: ignore[attr-defined]  # as above
                timezone.localtime(c.archived_at).strftime("%Y-%m-%d") if c.archived_at else "",
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class Staff:
    editors: list[EditorAssignment]
    admins: list[ProvinceAdmin]


def console_staff(*, user: User) -> Staff:
    editors = EditorAssignment.objects.filter(regency__in=reviewable_regencies(user)).select_related(
        "user", "regency"
    )
    admins = ProvinceAdmin.objects.filter(province__in=administered_provinces(user)).select_related(
        "user", "province"
    )
    return Staff(list(editors.order_by("regency__name", "user__email")), list(admins.order_by("user__email")))


# --- appointing staff ---------------------------------------------------------------------------


def _invite(user: User, role: str, where: str, appointed_by: User) -> None:
    context = {
        "user": user,
        "role": role,
        "where": where,
        "appointed_by": appointed_by,
        "console_url": main_url_for("moderation:queue"),
        "sign_in_url": main_url_for("accounts:login") + "?next=" + main_url_for("moderation:queue"),
        "set_password_url": "" if user.has_usable_password() else set_password_url(user),
    }
    with translation.override("id"):
        subject = " ".join(render_to_string("moderation/email/staff_invite_subject.txt", context).split())
        body = render_to_string("moderation/email/staff_invite.txt", context)
    send_mail(subject, body, None, [user.email])


def editor_appoint(*, email: str, full_name: str, regency: Regency, appointed_by: User) -> EditorAssignment:
    """Make this address (a new account if need be) an editor of the kabupaten/kota; they get an email."""
    with transaction.atomic():
        user = community_services.user_get_or_create(email=email.strip().lower(), full_name=full_name)
        if EditorAssignment.objects.filter(user=user, regency=regency).exists():
            raise ActionRefused(
                _("%(email)s sudah menjadi editor %(regency)s.") % {"email": user.email, "regency": regency}
            )
        assignment = community_services.editor_assign(user=user, regency=regency)
        transaction.on_commit(
            lambda: _invite(user, _("editor Diskominfo"), str(regency), appointed_by), robust=True
        )
    return assignment


def editor_remove(*, assignment: EditorAssignment) -> None:
    EditorAssignment.objects.filter(pk=assignment.pk).delete()


def province_admin_appoint(
    *, email: str, full_name: str, province: Province, appointed_by: User
) -> ProvinceAdmin:
    with transaction.atomic():
        user = community_services.user_get_or_create(email=email.strip().lower(), full_name=full_name)
        if ProvinceAdmin.objects.filter(user=user, province=province).exists():
            raise ActionRefused(_("%(email)s sudah menjadi admin provinsi.") % {"email": user.email})
        role = community_services.province_admin_assign(user=user, province=province)
        transaction.on_commit(
            lambda: _invite(user, _("admin Diskominfo provinsi"), province.name, appointed_by), robust=True
        )
    return role


def province_admin_remove(*, role: ProvinceAdmin, removed_by: User) -> None:
    with transaction.atomic():
        admins = list(ProvinceAdmin.objects.select_for_update().filter(province_id=role.province_id))
        if role.user_id == removed_by.pk:
            raise ActionRefused(_("Anda tidak dapat mencabut peran admin Anda sendiri."))
        if len(admins) <= 1:
            raise ActionRefused(_("Provinsi harus punya setidaknya satu admin."))
        ProvinceAdmin.objects.filter(pk=role.pk).delete()
