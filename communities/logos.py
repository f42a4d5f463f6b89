"""A community's logo from any host: tenant file storage keeps it in the community's own folder,
and its URL is computed for the schema the connection is on, so other hosts ask in that schema."""

from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from kimportal.db import connection

LOGO_SIDE_SHOWN = 40  # CSS px in headers and lists (the stored file is 512 px: sharp on 3x screens)


def logo_url(*, schema_name: str, name: str) -> str:
    """URL of the logo file `name` of the community with this schema ("" without a logo)."""
    if not name:
        return ""
    if connection.schema_name == schema_name:
        return default_storage.url(name)
    with schema_context(schema_name):  # no query: only where the storage says the file lives
        return default_storage.url(name)
