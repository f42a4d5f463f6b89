"""Reads the moderation console needs: each list is one query over the public schema, never a loop."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextField,
)
from django.db.models.fields.json import KT, KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from communities.hosts import community_url
from communities.models import Community, EditorAssignment, Regency, RegistrationEvent, RegistrationRequest
from communities.selectors import regency_by_id
from feed import selectors as feed_selectors
from feed.fastpath import SEARCH_ONLY
from feed.models import FeedEntry
from kimportal.hosts import main_url_for, site_url
from kimportal.pagination import Key, Page, queryset_page
from posts import models as posts_models
from posts import selectors as posts_selectors
from posts.snapshots import PhotoSnapshot, snapshot_cover

from .access import (
    administered_provinces,
    in_reviewable_regencies,
    reviewable_regencies,
    reviewable_registrations,
)
from .models import ModerationEvent, Report, Submission

PAGE_SIZE = 50
THUMB_WIDTH = 480
DECIDED_STATES = (
    Submission.State.APPROVED,
    Submission.State.CHANGES_REQUESTED,
    Submission.State.REJECTED,
)


# --- the queue --------------------------------------------------------------------------------


def overdue_hours() -> int:
    return settings.MODERATION_OVERDUE_HOURS


def overdue_cutoff() -> datetime:
    return timezone.now() - timedelta(hours=overdue_hours())


category_label = posts_models.category_label


def thumbnail(photos: list[PhotoSnapshot] | None, cover_id: int | None) -> dict | None:
    """The cover's smallest web rendition (480 px) with its size, for a lazy-loaded thumbnail."""
    cover = snapshot_cover(photos, cover_id)
    if not cover or not cover["srcset"]:
        return None
    width, url = next(((w, u) for w, u in cover["srcset"] if w == THUMB_WIDTH), cover["srcset"][0])
    return {"url": url, "width": width, "height": max(1, round(cover["height"] * width / cover["width"]))}


def reviewed_regencies(user: User) -> list[Regency]:
    """The kabupaten/kota this user reviews that have a community, as ordered everywhere else (one
    query for their ids; the regencies come from the regions each process keeps)."""
    with_communities = Exists(Community.objects.filter(regency=OuterRef("pk")))
    ids = reviewable_regencies(user).filter(with_communities).order_by().values_list("pk", flat=True)
    return sorted((regency_by_id(pk) for pk in ids), key=lambda regency: (regency.kind, regency.name))


def regency_of_community(community_id: int) -> int | None:
    """The kabupaten/kota of a community (None for no such community)."""
    return Community.objects.filter(pk=community_id).values_list("regency_id", flat=True).first()


def communities_in(regency_id: int) -> list[tuple[int, str]]:
    """(id, name) of one kabupaten/kota's communities, by name: what a filter offers."""
    return list(Community.objects.filter(regency_id=regency_id).order_by("name").values_list("pk", "name"))


def submission_queue(
    *,
    user: User,
    state: str,
    regency_id: int | None = None,
    community_id: int | None = None,
    after: Key | None = None,
) -> Page:
    """Submissions of the regencies this user reviews: waiting ones oldest first, history newest first.

    One query on the `submission_queue` index; the snapshot's body is not loaded, only what a row shows.
    """
    qs = (
        Submission.objects.filter(in_reviewable_regencies(user), state=state)
        .select_related("community", "author")
        .defer("snapshot")
        .annotate(
            title=KT("snapshot__title"),
            category=KT("snapshot__category"),
            photos=KeyTransform("photos", "snapshot"),
            cover_id=KeyTransform("cover_id", "snapshot"),
            overdue=ExpressionWrapper(
                Q(state=Submission.State.PENDING, submitted_at__lt=overdue_cutoff()),
                output_field=BooleanField(),
            ),
        )
    )
    if regency_id:
        qs = qs.filter(regency_id=regency_id)
    if community_id:
        qs = qs.filter(community_id=community_id)
    oldest_first = state == Submission.State.PENDING  # the queue is worked from its oldest
    page = queryset_page(qs, after, PAGE_SIZE, field="submitted_at", newest_first=not oldest_first)
    for row in page.items:
        row.thumb = thumbnail(row.photos, row.cover_id)
        row.category_label = category_label(row.category)
    return page


# --- the review screen -------------------------------------------------------------------------


def post_history(*, community_id: int, post_id: int) -> list[ModerationEvent]:
    return list(
        ModerationEvent.objects.filter(community_id=community_id, post_id=post_id)
        .select_related("actor", "submission")
        .defer("submission__snapshot")
        .order_by("created_at", "id")
    )


def previous_reviewed_submission(submission: Submission) -> Submission | None:
    """The last earlier version an editor decided on: what a resubmission or an edit is compared to."""
    return (
        Submission.objects.filter(
            community_id=submission.community_id,
            post_id=submission.post_id,
            revision_number__lt=submission.revision_number,
            state__in=DECIDED_STATES,
        )
        .select_related("decided_by")
        .order_by("-revision_number")
        .first()
    )


def feed_entry_by_slug(*, community: Community, slug: str) -> FeedEntry | None:
    return FeedEntry.objects.filter(community=community, slug=slug).defer(*SEARCH_ONLY).first()


def pending_version(submission: Submission) -> Submission | None:
    """The version now waiting for the same post, when the author has sent a newer one."""
    return (
        Submission.objects.filter(
            community_id=submission.community_id, post_id=submission.post_id, state=Submission.State.PENDING
        )
        .exclude(pk=submission.pk)
        .only("pk")
        .first()
    )


# --- published and taken-down posts -----------------------------------------------------------


def published_entries(*, user: User, after: Key | None = None) -> Page:
    qs = (
        FeedEntry.objects.filter(in_reviewable_regencies(user))
        .select_related("community")
        .defer(*SEARCH_ONLY)
    )
    return queryset_page(qs, after, PAGE_SIZE, field="published_at")


PUBLISHED_MATCHES = 50


def published_search(*, user: User, query: str) -> tuple[list[FeedEntry], bool]:
    """Published posts of the user's kabupaten/kota matching a search, best first, with their
    communities (the feed's ranked search, scoped): for an editor looking for earlier posts on the
    same event. When no post holds every word, those holding some of them, and True."""
    regency_ids = list(reviewable_regencies(user).values_list("pk", flat=True))
    if not regency_ids:
        return [], False
    parsed = feed_selectors.search_query(query)
    found = feed_selectors.search(parsed, regency_ids=regency_ids, limit=PUBLISHED_MATCHES)
    partial = False
    words = parsed.words
    if not found and len(words) > 1:
        found = feed_selectors.search(" or ".join(words), regency_ids=regency_ids, limit=PUBLISHED_MATCHES)
        partial = bool(found)
    communities = Community.objects.in_bulk({entry.community_id for entry in found})
    for entry in found:
        entry.community = communities[entry.community_id]
    return found, partial


def _latest_title(community_ref: str = "community_id", post_ref: str = "post_id") -> Subquery:
    return Subquery(
        Submission.objects.filter(community_id=OuterRef(community_ref), post_id=OuterRef(post_ref))
        .order_by("-submitted_at")
        .annotate(title=KT("snapshot__title"))
        .values("title")[:1]
    )


def taken_down_posts(*, user: User, after: Key | None = None) -> Page:
    """Posts that are down now, each with its latest take-down (by an editor or by readers' reports).

    Down now: the post's latest event left it taken down. That is the take-down itself, or a fix
    the author sent afterwards and withdrew, or one the editor rejected.
    """
    same_post = {"community_id": OuterRef("community_id"), "post_id": OuterRef("post_id")}
    events = ModerationEvent.objects.filter(**same_post)
    take_downs = ModerationEvent.TAKE_DOWN_ACTIONS
    later_take_down = events.filter(action__in=take_downs, created_at__gt=OuterRef("created_at"))
    status_now = Subquery(events.order_by("-created_at", "-id").values("to_status")[:1])
    live = FeedEntry.objects.filter(**same_post)
    qs = (
        ModerationEvent.objects.filter(in_reviewable_regencies(user, "community__regency_id"))
        .filter(action__in=take_downs)
        .filter(~Exists(later_take_down), ~Exists(live))
        .alias(status_now=status_now)
        .filter(status_now=posts_models.Post.Status.TAKEN_DOWN)
        .select_related("community", "actor")
        .annotate(title=_latest_title())
    )
    return queryset_page(qs, after, PAGE_SIZE, field="created_at")


# --- readers' reports -------------------------------------------------------------------------


REPORT_GROUPS_SHOWN = 100


def open_reports_by_post(*, user: User) -> list[dict[str, Any]]:
    """Open reports grouped per post, most reported first, with what an editor needs to act (one query)."""
    entry = FeedEntry.objects.filter(community_id=OuterRef("community_id"), post_id=OuterRef("post_id"))
    last_event = ModerationEvent.objects.filter(
        community_id=OuterRef("community_id"), post_id=OuterRef("post_id")
    ).order_by("-created_at", "-id")
    rows = (
        Report.objects.filter(in_reviewable_regencies(user), state=Report.State.OPEN)
        .values("community_id", "post_id")
        .annotate(
            community_name=F("community__name"),
            count=Count("pk"),
            reasons=ArrayAgg("reason", distinct=True, default=[]),
            notes=ArrayAgg("note", filter=~Q(note=""), default=[]),
            last_at=Max("created_at"),
            live=Exists(entry),
            path=Subquery(entry.values("path")[:1]),
            community_slug=F("community__slug"),
            title=Coalesce(Subquery(entry.values("title")[:1]), _latest_title(), output_field=TextField()),
            last_action=Subquery(last_event.values("action")[:1]),
        )
        .order_by("-count", "-last_at")[:REPORT_GROUPS_SHOWN]
    )
    labels = dict(Report.Reason.choices)
    groups = list(rows)
    for group in groups:
        group["reason_labels"] = [str(labels.get(r, r)) for r in group["reasons"]]
        group["auto_hidden"] = not group["live"] and group["last_action"] == ModerationEvent.Action.AUTO_HIDE
        group["canonical_url"] = (
            site_url(group["path"], subdomain=group["community_slug"]) if group["path"] else ""
        )
    return groups


# --- the province admin's audit log and numbers --------------------------------------------------


def province_regency_choices(user: User) -> list[tuple[int, str]]:
    regencies = Regency.objects.filter(province__in=administered_provinces(user)).order_by("kind", "name")
    return [(r.pk, str(r)) for r in regencies]


def audit_log(*, user: User, regency_id: int | None = None, after: Key | None = None) -> Page:
    qs = (
        ModerationEvent.objects.filter(community__regency__province__in=administered_provinces(user))
        .select_related("actor", "community__regency")
        .annotate(
            title=Coalesce(
                KeyTextTransform("title", "submission__snapshot"), _latest_title(), output_field=TextField()
            )
        )
    )
    if regency_id:
        qs = qs.filter(community__regency_id=regency_id)
    return queryset_page(qs, after, PAGE_SIZE, field="created_at")


@dataclass
class RegencyStats:
    regency: str
    waiting: int
    oldest_waiting: datetime | None
    decided: int
    median_hours: float | None
    p90_hours: float | None


STATS_DAYS = 30

_STATS_SQL = """
SELECT r.kind, r.name,
       count(s.id) FILTER (WHERE s.state = 'pending') AS waiting,
       min(s.submitted_at) FILTER (WHERE s.state = 'pending') AS oldest_waiting,
       count(s.id) FILTER (WHERE s.state <> 'pending') AS decided,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.decided_at - s.submitted_at))
           FILTER (WHERE s.state <> 'pending') / 3600 AS median_hours,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.decided_at - s.submitted_at))
           FILTER (WHERE s.state <> 'pending') / 3600 AS p90_hours
FROM {regency} r
LEFT JOIN {submission} s ON s.regency_id = r.id AND (
    s.state = 'pending' OR (s.state = ANY(%(decided_states)s) AND s.decided_at >= %(since)s)
)
WHERE (r.province_id IN (SELECT province_id FROM {province_admin} WHERE user_id = %(user_id)s)
       OR r.id IN (SELECT regency_id FROM {editor_assignment} WHERE user_id = %(user_id)s))
  AND (s.id IS NOT NULL OR EXISTS (SELECT 1 FROM {community} c WHERE c.regency_id = r.id))
GROUP BY r.id, r.kind, r.name
ORDER BY r.kind, r.name
"""


def review_stats(*, user: User) -> list[RegencyStats]:
    """Per kabupaten/kota the user reviews (an editor's own, a province admin's whole province):
    waiting now, and time to a decision (30 days).

    One aggregate query; regencies without communities and without submissions are left out.
    """
    from communities.models import ProvinceAdmin

    sql = _STATS_SQL.format(
        regency=Regency._meta.db_table,
        submission=Submission._meta.db_table,
        province_admin=ProvinceAdmin._meta.db_table,
        editor_assignment=EditorAssignment._meta.db_table,
        community=Community._meta.db_table,
    )
    params: dict[str, Any] = {
        "decided_states": [str(s) for s in DECIDED_STATES],
        "since": timezone.now() - timedelta(days=STATS_DAYS),
        "user_id": user.pk,
    }
    kinds = dict(Regency.Kind.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            RegencyStats(f"{kinds.get(kind, kind)} {name}", waiting, oldest, decided, median, p90)
            for kind, name, waiting, oldest, decided, median, p90 in cursor.fetchall()
        ]


# --- the reminder digest ----------------------------------------------------------------------


def overdue_by_regency() -> dict[int, list[Submission]]:
    """Every overdue waiting submission, grouped by regency (one query)."""
    rows = (
        Submission.objects.filter(state=Submission.State.PENDING, submitted_at__lt=overdue_cutoff())
        .select_related("community", "author", "regency")
        .defer("snapshot")
        .annotate(title=KT("snapshot__title"))
        .order_by("regency_id", "submitted_at", "pk")
    )
    grouped: dict[int, list[Submission]] = {}
    for row in rows:
        grouped.setdefault(row.regency_id, []).append(row)
    return grouped


def editor_emails_by_regency(regency_ids) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    assignments = (
        EditorAssignment.objects.filter(regency_id__in=regency_ids, user__is_active=True)
        .order_by("user__email")
        .values_list("regency_id", "user__email")
    )
    for regency_id, email in assignments:
        grouped.setdefault(regency_id, []).append(email)
    return grouped


# --- KIM registrations ------------------------------------------------------------------------

SIMILAR_NAME = 0.8  # difflib ratio of two normalised names above which they are worth a second look
_NAME_NOISE = re.compile(r"\b(kim|komunitas informasi masyarakat)\b|[^a-z0-9]+")


def registration_queue(*, user: User, state: str = "pending") -> list[RegistrationRequest]:
    """The registrations this user reviews in one state, oldest sent first (one query)."""
    return list(
        reviewable_registrations(user)
        .filter(state=state)
        .select_related("regency")
        .order_by("submitted_at", "id")[:200]
    )


@dataclass(frozen=True)
class Duplicate:
    kind: str  # what matched, for the reviewer
    name: str
    regency: str
    url: str  # the community's site, or the other request's review screen
    state: str


def _bare_name(name: str) -> str:
    """ "KIM Kraton Kidul" and "Kraton-Kidul" compare equal: no "KIM", no spaces or punctuation."""
    return _NAME_NOISE.sub("", name.lower())


def similar_names(a: str, b: str) -> bool:
    a, b = _bare_name(a), _bare_name(b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME)


def registration_duplicates(registration: RegistrationRequest) -> list[Duplicate]:
    """Communities and other requests that may be the same KIM: the same desa in the same
    kabupaten/kota, a similar name there, or the same contact (anywhere). Two queries; names are
    compared in Python (difflib) among one kabupaten/kota's, a few hundred at most, because the
    bundled development PostgreSQL has no pg_trgm."""
    found: list[Duplicate] = []
    same_contact = Q(contact_email__iexact=registration.contact_email) | Q(
        contact_whatsapp=registration.contact_whatsapp
    )
    others = (
        RegistrationRequest.objects.exclude(pk=registration.pk)
        .exclude(state=RegistrationRequest.State.WITHDRAWN)
        .filter(Q(regency=registration.regency_id) | same_contact)
        .select_related("regency")
        .only("public_id", "name", "village", "contact_email", "contact_whatsapp", "state", "regency")
    )
    for other in others:
        if (
            other.regency_id == registration.regency_id
            and other.village.lower() == registration.village.lower()
        ):
            kind = _("desa/kelurahan sama")
        elif other.contact_email.lower() == registration.contact_email.lower() or (
            other.contact_whatsapp == registration.contact_whatsapp
        ):
            kind = _("narahubung sama")
        elif other.regency_id == registration.regency_id and similar_names(other.name, registration.name):
            kind = _("nama mirip")
        else:
            continue
        url = main_url_for("moderation:registration", public_id=other.public_id)
        found.append(Duplicate(kind, other.name, str(other.regency), url, other.get_state_display()))
    communities = (
        Community.objects.exclude(registration=registration)
        .filter(
            Q(regency=registration.regency_id)
            | Q(email__iexact=registration.contact_email)
            | Q(phone=registration.contact_whatsapp)
        )
        .select_related("regency")
        .only("name", "slug", "email", "phone", "regency")
    )
    for community in communities:
        if community.email.lower() == registration.contact_email.lower() or (
            community.phone == registration.contact_whatsapp
        ):
            kind = _("narahubung sama")
        elif community.regency_id == registration.regency_id and similar_names(
            community.name, registration.name
        ):
            kind = _("nama mirip")
        else:
            continue
        found.append(
            Duplicate(
                kind, community.name, str(community.regency), community_url(community), _("Sudah punya situs")
            )
        )
    return found


def registration_log(*, user: User, limit: int = 50) -> list[RegistrationEvent]:
    """The latest registration decisions and withdrawals in this user's reach (the audit log)."""
    actions = [
        RegistrationEvent.Action.APPROVE,
        RegistrationEvent.Action.REQUEST_CHANGES,
        RegistrationEvent.Action.REJECT,
        RegistrationEvent.Action.WITHDRAW,
    ]
    return list(
        RegistrationEvent.objects.filter(action__in=actions, request__in=reviewable_registrations(user))
        .select_related("actor", "request__regency")
        .order_by("-created_at", "-id")[:limit]
    )


def registration_history(registration: RegistrationRequest) -> list[RegistrationEvent]:
    return list(registration.events.select_related("actor"))


# --- hoax cues: where the submitted photos appeared before ---------------------------------------


PHOTO_MATCHES_SHOWN = 5  # a photo many KIM carried: the oldest few say enough


def photos_seen_before(
    submission: Submission,
) -> list[tuple[PhotoSnapshot, list[feed_selectors.PhotoMatch], int]]:
    """The submission's photos that match photos published before it was sent: each with its oldest
    matches (any community; never the post's own live version) and how many more there are. A
    taken-down post has no feed entry, so its photos are not listed: their files are withheld."""
    photos = submission.snapshot["photos"]
    hashes = posts_selectors.photo_hashes(
        schema_name=submission.community.schema_name, photo_ids=[photo["id"] for photo in photos]
    )
    matches = feed_selectors.photos_seen_before(
        hashes, before=submission.submitted_at, community=submission.community, post_id=submission.post_id
    )
    return [
        (photo, found[:PHOTO_MATCHES_SHOWN], max(0, len(found) - PHOTO_MATCHES_SHOWN))
        for photo in photos
        if (found := matches.get(photo["id"]))
    ]
