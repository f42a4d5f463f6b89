"""Errors every layer shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActionRefused(Exception):
    """A user's action the rules do not allow now; `message` is safe to show to that user."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(message)
        self.message = message
