"""Who may review what: the one place that decides an editor's reach."""

from django.db.models import Q, QuerySet
from django.http import Http404

from communities.models import EditorAssignment, ProvinceAdmin, Regency

from .models import Submission


def reviewable_regencies(user) -> QuerySet[Regency]:
    """Regencies whose submissions this user reviews: assigned ones, or a whole province for its admin."""
    if not user.is_authenticated:
        return Regency.objects.none()
    assigned = EditorAssignment.objects.filter(user=user).values("regency_id")
    provinces = ProvinceAdmin.objects.filter(user=user).values("province_id")
    return Regency.objects.filter(Q(pk__in=assigned) | Q(province_id__in=provinces))


def is_reviewer(user) -> bool:
    return reviewable_regencies(user).exists()


def is_province_admin(user) -> bool:
    return user.is_authenticated and ProvinceAdmin.objects.filter(user=user).exists()


def can_review_regency(user, regency_id: int) -> bool:
    return reviewable_regencies(user).filter(pk=regency_id).exists()


def get_submission_for_reviewer(user, submission_id: int) -> Submission:
    """The submission if this user reviews its regency; 404 otherwise (also for URL guessing)."""
    submission = (
        Submission.objects.select_related("community__regency__province", "author", "decided_by")
        .filter(pk=submission_id, regency__in=reviewable_regencies(user))
        .first()
    )
    if submission is None:
        raise Http404("No such submission for this reviewer")
    return submission
