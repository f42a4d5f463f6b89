"""The default database connection as django-tenants extends it, typed for the apps.

django-tenants ships no type information, so `django.db.connection` is a plain BaseDatabaseWrapper
to a type checker; importing `connection` from here gives the same object with the attributes the
tenant backend adds. `connection_for_read` is the one hand-written SQL reads use: the replica on
anonymous readers' public pages (kimportal/routers.py), else the same default connection.
"""

from typing import TYPE_CHECKING, Any, cast

from django.db import connection as _connection
from django.db import connections, router

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


def connection_named(alias: str) -> "TenantDatabaseWrapper":
    return cast("TenantDatabaseWrapper", connections[alias])


def connection_for_read(model: Any) -> "TenantDatabaseWrapper":
    """The connection the routers send the ORM's reads of `model` to, for SQL written by hand."""
    return connection_named(router.db_for_read(model))
