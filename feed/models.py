from django.db import models


class PageVersion(models.Model):
    """The version of one host's cached pages (schema name: "public" for the main domain).

    Bumped in the same transaction as the change it announces, and read by every cached request, so
    every worker and every web node drops a page the moment its content changes, whatever the cache
    backend (a per-process local-memory cache included).
    """

    schema_name = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.schema_name} v{self.version}"
