"""Who may review what: scoped lookups over the one reach rule (communities.roles), re-exported here."""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Lookup, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from communities.models import Community, ProvinceAdmin, RegistrationRequest
from communities.requests import SignedInRequest
from communities.roles import administered_provinces as administered_provinces
from communities.roles import reviewable_regencies
from feed.models import FeedEntry

from .models import Submission


class _AnyOfArray(Lookup):
    lookup_name = "any_of_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def in_reviewable_regencies(user: User, field: str = "regency_id") -> Lookup:
    """The same rule as an index-friendly filter: `<field> = ANY(ARRAY(SELECT ...))`.

    PostgreSQL computes the array once, then scans a `(regency, state, ...)` index per regency; with
    a plain `IN (SELECT ...)` (an OR inside) it guesses, and scans every waiting row of the portal.
    """
    return _AnyOfArray(F(field), Subquery(reviewable_regencies(user).order_by().values("pk")))


def is_province_admin(user: User) -> bool:
    return user.is_authenticated and ProvinceAdmin.objects.filter(user=user).exists()


def can_review_regency(user: User, regency_id: int) -> bool:
    return reviewable_regencies(user).filter(pk=regency_id).exists()


def get_submission_for_reviewer(user: User, submission_id: int) -> Submission:
    """The submission if this user reviews its regency; 404 otherwise (also for URL guessing)."""
    submission = (
        Submission.objects.select_related("community__regency__province", "author", "decided_by")
        .filter(pk=submission_id, regency__in=reviewable_regencies(user))
        .first()
    )
    if submission is None:
        raise Http404("No such submission for this reviewer")
    return submission


@dataclass(frozen=True)
class ReviewerRoles:
    reviews: bool  # reviews at least one regency (an editor, or a province admin)
    province_admin: bool


class ReviewerRequest(SignedInRequest):
    """A request in the moderation console (moderation.views.reviewer_required)."""

    reviewer: ReviewerRoles


def reviewer_roles(user: User) -> ReviewerRoles:
    """Both roles in one query (the console's tabs depend on them)."""
    if not user.is_authenticated:
        return ReviewerRoles(reviews=False, province_admin=False)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            reviews=Exists(reviewable_regencies(user)),
            province_admin=Exists(ProvinceAdmin.objects.filter(user=user)),
        )
        .values("reviews", "province_admin")
        .first()
    )
    return ReviewerRoles(**row) if row else ReviewerRoles(reviews=False, province_admin=False)


def reviewable_communities(user: User) -> QuerySet[Community]:
    return Community.objects.filter(regency__in=reviewable_regencies(user))


def get_community_for_reviewer(user: User, community_id: int) -> Community:
    """The community if this user reviews its regency; 404 otherwise."""
    community = (
        reviewable_communities(user).select_related("regency__province").filter(pk=community_id).first()
    )
    if community is None:
        raise Http404("No such community for this reviewer")
    return community


def get_feed_entry_for_reviewer(user: User, entry_id: int) -> FeedEntry:
    entry = (
        FeedEntry.objects.select_related("community__regency__province")
        .filter(pk=entry_id, regency__in=reviewable_regencies(user))
        .first()
    )
    if entry is None:
        raise Http404("No such published post for this reviewer")
    return entry


def reviewable_registrations(user: User) -> QuerySet[RegistrationRequest]:
    """Registrations of the kabupaten/kota this user reviews (the same reach as submissions)."""
    return RegistrationRequest.objects.filter(regency__in=reviewable_regencies(user))


def get_registration_for_reviewer(user: User, public_id: uuid.UUID) -> RegistrationRequest:
    """The registration if this user reviews its kabupaten/kota; 404 otherwise."""
    registration = (
        reviewable_registrations(user)
        .select_related("regency__province", "applicant", "decided_by", "community")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        raise Http404("No such registration for this reviewer")
    return registration
