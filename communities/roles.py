"""The Diskominfo staff's reach: which kabupaten/kota an editor or a province admin answers for.

The one rule, kept here at the tenancy layer so every app above reads it the same way: moderation
(who reviews what) and notices (who publishes where)."""

from django.db.models import Q, QuerySet

from accounts.models import User

from .models import EditorAssignment, Province, ProvinceAdmin, Regency


def reviewable_regencies(user: User) -> QuerySet[Regency]:
    """Regencies whose submissions this user reviews: assigned ones, or a whole province for its admin."""
    if not user.is_authenticated:
        return Regency.objects.none()
    assigned = EditorAssignment.objects.filter(user=user).values("regency_id")
    provinces = ProvinceAdmin.objects.filter(user=user).values("province_id")
    return Regency.objects.filter(Q(pk__in=assigned) | Q(province_id__in=provinces))


def administered_provinces(user: User) -> QuerySet[Province]:
    if not user.is_authenticated:
        return Province.objects.none()
    return Province.objects.filter(admins__user=user)
