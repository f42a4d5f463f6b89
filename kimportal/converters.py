"""URL converters shared by both hosts' URLconfs."""

from django.urls import register_converter


class TagConverter:
    """A tag's slug as posts store it (slugify with allow_unicode): letters of any script, digits,
    hyphens and underscores. Anything else (a NUL byte, say) never reaches a query: 404."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TagConverter, "tag")
