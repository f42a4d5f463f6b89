from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import fastpath


@dataclass(frozen=True)
class ReviewCount:
    reviewer: bool
    waiting: int


def review_count(request: HttpRequest) -> dict:
    """How many submissions wait for this reviewer, for the header; on the main domain only.

    No query for anonymous visitors, and one (when the header reads it) for a signed-in user.
    """
    user = getattr(request, "user", None)
    if getattr(request, "community", None) is not None or user is None or not user.is_authenticated:
        return {}
    return {"review_count": SimpleLazyObject(lambda: ReviewCount(*fastpath.pending_count(user)))}
