"""Reads of the console's official-notice pages, the posts' labels, and the review screen's
"similar clarifications". Each is one or two queries over public tables, never a loop over schemas:
a notice's re-shares are counted from the published projection (FeedEntry.source_notice)."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from communities.models import Community
from communities.selectors import regency_by_id
from feed import textsearch
from feed.models import FeedEntry, SearchWord
from kimportal.pagination import Key, Page, queryset_page
from notices.access import editable_notices
from notices.models import Notice, NoticeEvent
from notices.selectors import with_regions
from posts.html import plain_text

from .access import reviewable_regencies
from .models import ModerationEvent, Submission

PAGE_SIZE = 50
RECENT_DAYS = 30


def console_notices(*, user: User, after: Key | None = None) -> Page:
    """The notices this user may edit, newest first, each with its published re-shares and the
    number of KIM that made them."""
    notices = (
        editable_notices(user)
        .defer("body", "search_vector")
        .annotate(reshare_count=Count("reshares"), kim_count=Count("reshares__community", distinct=True))
    )
    page = queryset_page(notices, after, PAGE_SIZE, field="published_at")
    page.items = with_regions(page.items)
    return page


def notice_history(notice: Notice) -> list[NoticeEvent]:
    return list(notice.events.select_related("actor").order_by("created_at", "id"))


def notice_log(*, user: User, limit: int = 50) -> list[NoticeEvent]:
    """The latest publications, edits, withdrawals and links of the notices in this user's reach."""
    return list(
        NoticeEvent.objects.filter(notice__in=editable_notices(user))
        .select_related("actor", "notice")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass
class Reach:
    """How far official notices went in one kabupaten/kota: its KIM that re-shared any, of all."""

    regency: str
    communities: int  # KIM in the kabupaten/kota
    carrying: int  # of them, those with a published re-share
    reshares: int  # published re-shares
    recent: int  # of them, published in the last RECENT_DAYS days

    @property
    def percent(self) -> int:
        return round(100 * self.carrying / self.communities) if self.communities else 0


def reach_by_regency(*, user: User, notice: Notice | None = None) -> list[Reach]:
    """Per kabupaten/kota this user reviews that has KIM: re-shares of every notice (or of one), from
    FeedEntry (two grouped queries)."""
    regencies = reviewable_regencies(user).values("pk")
    entries = FeedEntry.objects.filter(regency__in=regencies, source_notice__isnull=False)
    if notice is not None:
        entries = entries.filter(source_notice=notice)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    shared = {
        row["regency_id"]: row
        for row in entries.values("regency_id").annotate(
            reshares=Count("id"),
            carrying=Count("community_id", distinct=True),
            recent=Count("id", filter=Q(published_at__gte=since)),
        )
    }
    counts = Community.objects.filter(regency__in=regencies).values("regency_id").annotate(n=Count("id"))
    rows = []
    for row in counts:
        regency = regency_by_id(row["regency_id"])
        found = shared.get(row["regency_id"], {})
        if notice is not None and not found:
            continue
        rows.append(
            Reach(
                str(regency),
                row["n"],
                found.get("carrying", 0),
                found.get("reshares", 0),
                found.get("recent", 0),
            )
        )
    return sorted(rows, key=lambda reach: reach.regency)


# --- labels and clarifications on the console's post lists --------------------------------------


def clarification_choices(user: User) -> list[Notice]:
    """Published clarifications an editor may link posts to: those aimed at the kabupaten/kota they
    review and at their provinces, newest first (a select's worth)."""
    regencies = reviewable_regencies(user)
    provinces = regencies.values("province_id")
    notices = Notice.objects.filter(
        Q(regency__in=regencies.values("pk")) | Q(regency__isnull=True, province__in=provinces),
        kind=Notice.Kind.CLARIFICATION,
        state=Notice.State.PUBLISHED,
    ).only("title", "slug", "province", "regency", "published_at", "expires_on")
    return with_regions(notices.order_by("-published_at", "-id")[:50])


def clarification_for(user: User, notice_id: int | None) -> Notice | None:
    if not notice_id:
        return None
    return next((n for n in clarification_choices(user) if n.pk == notice_id), None)


def labels_of(rows: list, community: str = "community_id", post: str = "post_id") -> None:
    """Set `label` (its display name, '' without one) on each row: its post's latest label (one query)."""
    keys = {(getattr(row, community), getattr(row, post)) for row in rows}
    if not keys:
        return
    found: dict[tuple[int, int], str] = {}
    events = (
        ModerationEvent.objects.filter(
            community_id__in={c for c, _p in keys}, post_id__in={p for _c, p in keys}
        )
        .exclude(label="")
        .order_by("created_at", "id")
        .values_list("community_id", "post_id", "label")
    )
    for community_id, post_id, label in events:
        found[(community_id, post_id)] = label  # the latest wins
    labels = dict(ModerationEvent._meta.get_field("label").choices or [])
    for row in rows:
        value = found.get((getattr(row, community), getattr(row, post)), "")
        row.label = str(labels.get(value, value)) if value else ""


# --- the review screen: published clarifications a submission may repeat ---------------------------

SIMILAR_SHOWN = 3
# What makes a clarification similar: roots its title shares with the submission (the hoax's topic),
# and roots its title and text share in all. Measured on the demo seed: with three shared roots of
# any kind, most ordinary posts matched the demo clarification ("warga", "tidak", "isi").
SIMILAR_MIN_TITLE = 2
SIMILAR_MIN_SHARED = 3
SIMILAR_SCANNED = 1000  # the province's newest clarifications looked at: years of them
SIMILAR_CANDIDATES = 200  # of those, compared at most, newest first
SUBMISSION_TERMS = 120  # roots of the submission used, in reading order
COMMON_SHARE = 0.1  # roots used by more published posts than this share say nothing about a hoax
TEXT_READ = 4000  # characters of the submission's text read


@dataclass
class Similar:
    notice: Notice
    shared: list[str]  # the roots both use, the clarification's title's first


def _submission_terms(submission: Submission) -> list[str]:
    snapshot = submission.snapshot
    text = f"{snapshot.get('title', '')}\n{plain_text(snapshot.get('body', ''))[:TEXT_READ]}"
    terms: dict[str, None] = {}
    for word in textsearch.words_of(text):
        for term in textsearch.terms(word):
            if len(term) >= 3 and not term.isdigit():
                terms[term] = None
    return list(terms)[:SUBMISSION_TERMS]


def _without_common(terms: list[str]) -> list[str]:
    """The terms minus those most published posts use ("warga", "kegiatan"), from the vocabulary's
    counts; all of them while the portal has too few posts to tell."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [f"public.{FeedEntry._meta.db_table}"],
        )
        row = cursor.fetchone()
    published = max(int(row[0]) if row else 0, 0)
    if published < 200:
        return terms
    common = set(
        SearchWord.objects.filter(stem__in=terms, entries__gt=published * COMMON_SHARE).values_list(
            "stem", flat=True
        )
    )
    return [term for term in terms if term not in common]


# The province's newest SIMILAR_SCANNED clarifications (an index range), of which those whose title
# holds one of the roots (`:A`, the title's weight) are candidates, newest first, at most
# SIMILAR_CANDIDATES; each compared by set intersection (hashed), then the best SIMILAR_SHOWN.
_SIMILAR_SQL = f"""
WITH recent AS (
    SELECT id, published_at, search_vector FROM {Notice._meta.db_table}
    WHERE kind = %(kind)s AND state = %(state)s AND province_id = %(province)s
    ORDER BY published_at DESC, id DESC
    LIMIT %(scanned)s
)
SELECT id, in_title, shared FROM (
    SELECT n.id, n.published_at,
           ARRAY(SELECT unnest(tsvector_to_array(ts_filter(n.search_vector, '{{a}}')))
                 INTERSECT SELECT unnest(%(terms)s::text[])) AS in_title,
           ARRAY(SELECT unnest(tsvector_to_array(n.search_vector))
                 INTERSECT SELECT unnest(%(terms)s::text[])) AS shared
    FROM recent n
    WHERE n.search_vector @@ %(query)s::tsquery
    ORDER BY n.published_at DESC, n.id DESC
    LIMIT %(candidates)s
) candidate
WHERE cardinality(in_title) >= %(min_title)s AND cardinality(shared) >= %(min_shared)s
ORDER BY cardinality(in_title) + cardinality(shared) DESC, published_at DESC
LIMIT %(shown)s
"""


def similar_clarifications(submission: Submission) -> list[Similar]:
    """Published clarifications of the submission's province (any area, expired ones too: hoaxes
    come back) whose title shares at least SIMILAR_MIN_TITLE roots with the submission's title and
    text, and title and text SIMILAR_MIN_SHARED; the most shared first (a title's count twice).
    Bounded whatever the text or the number of clarifications: SUBMISSION_TERMS roots, the newest
    SIMILAR_SCANNED clarifications, SIMILAR_CANDIDATES compared; one statement (and one for the
    vocabulary on a large portal)."""
    terms = _without_common(_submission_terms(submission))
    if len(terms) < SIMILAR_MIN_SHARED:
        return []
    params: dict[str, Any] = {
        "terms": terms,
        "kind": Notice.Kind.CLARIFICATION,
        "state": Notice.State.PUBLISHED,
        "province": submission.community.regency.province_id,
        "query": " | ".join(f"{textsearch.lexeme(term)}:A" for term in terms),
        "scanned": SIMILAR_SCANNED,
        "candidates": SIMILAR_CANDIDATES,
        "min_title": SIMILAR_MIN_TITLE,
        "min_shared": SIMILAR_MIN_SHARED,
        "shown": SIMILAR_SHOWN,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SIMILAR_SQL, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    notices = {
        n.pk: n
        for n in with_regions(Notice.objects.defer("search_vector").filter(pk__in=[r[0] for r in rows]))
    }
    order = {term: n for n, term in enumerate(terms)}  # shared roots in the submission's reading order
    return [
        Similar(
            notices[pk],
            sorted(title, key=order.__getitem__) + sorted(set(shared) - set(title), key=order.__getitem__),
        )
        for pk, title, shared in rows
    ]
