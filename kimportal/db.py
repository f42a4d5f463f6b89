"""The default database connection as django-tenants extends it, typed for the apps.

django-tenants ships no type information, so `django.db.connection` is a plain BaseDatabaseWrapper
to a type checker; importing `connection` from here gives the same object with the attributes the
tenant backend adds.
"""

from typing import TYPE_CHECKING, Any, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    class TenantDatabaseWrapper(BaseDatabaseWrapper):
        schema_name: str  # the schema on the search path
        tenant: Any  # its Community, or django-tenants' FakeTenant for the public schema
        search_path_set_schemas: list[str] | None  # what the last SET search_path sent

        def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...
        def set_schema_to_public(self) -> None: ...

    connection = cast(TenantDatabaseWrapper, _connection)
else:
    connection = _connection
