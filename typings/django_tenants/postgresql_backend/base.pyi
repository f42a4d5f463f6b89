from typing import Any

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper

class DatabaseWrapper(PostgresDatabaseWrapper):
    schema_name: str
    health_check_enabled: bool  # Django's, missing from django-stubs
    health_check_done: bool
    tenant: Any
    search_path_set_schemas: list[str] | None
    def set_tenant(self, tenant: Any, include_public: bool = ...) -> None: ...
    def set_schema_to_public(self) -> None: ...
