# The part of django-tenants 4.x the project uses (the package ships no type information).
from typing import Any, ClassVar

from django.db import models

class TenantMixin(models.Model):
    auto_drop_schema: ClassVar[bool]
    auto_create_schema: ClassVar[bool]
    schema_name = models.CharField(max_length=63, unique=True)
    domain_url: str | None
    def save(self, verbosity: int = ..., *args: Any, **kwargs: Any) -> None: ...
    def delete(self, force_drop: bool = ..., *args: Any, **kwargs: Any) -> Any: ...  # type: ignore[override]  # its own
    def create_schema(
        self, check_if_exists: bool = ..., sync_schema: bool = ..., verbosity: int = ...
    ) -> None: ...

class DomainMixin(models.Model):
    domain = models.CharField(max_length=253, unique=True)
    tenant: Any
    is_primary = models.BooleanField(default=True)
