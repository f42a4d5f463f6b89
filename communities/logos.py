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
    kept = connection.search_path_set_schemas
    with schema_context(schema_name):  # no query: only where the storage says the file lives
        url = default_storage.url(name)
    # Leaving the context forgets which search path the connection sent, so the next query would
    # send it again; it is still the one sent, since nothing ran in between.
    connection.search_path_set_schemas = kept
    return url


def logo_media_path(*, schema_name: str, name: str) -> str:
    """Where the logo file `name` of the community with this schema lives in the media store,
    `<schema>/<name>` ("" without a logo): what rows that copy a community's logo keep."""
    return f"{schema_name}/{name}" if name else ""


def logo_url_of(path: str) -> str:
    """URL of a logo kept as `logo_media_path` made it ("" for "")."""
    schema_name, _slash, name = path.partition("/")
    return logo_url(schema_name=schema_name, name=name)
