"""Errors every layer shares."""


class ActionRefused(Exception):
    """A user's action the rules do not allow now; `message` is safe to show to that user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
