"""Media on S3-compatible object storage (django-storages), laid out as on disk: one folder per schema."""

from storages.backends.s3 import S3Storage

from kimportal.db import connection


class TenantS3Storage(S3Storage):
    """Each community's files under `<schema>/` (like the tenant file storage's media/<schema>/), with
    public, unsigned URLs: a published snapshot keeps the URLs made when it was approved, so they must
    not expire (AWS_QUERYSTRING_AUTH=False in settings)."""

    def _normalize_name(self, name: str) -> str:
        return super()._normalize_name(f"{connection.schema_name}/{name}")
