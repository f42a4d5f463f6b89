import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from communities.models import Community
from communities.schemas import (
    expected_migrations,
    outdated_schemas,
    record_migrations,
    shared_only,
)
from communities.services import template_schema_ensure

# Beyond this many outdated schemas, hand them all to django-tenants' parallel executor at once.
ONE_BY_ONE_LIMIT = 20


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the community template, then only the community schemas that "
        "miss a migration (an up-to-date schema costs one row in one query, not a migrate run)."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        started = time.perf_counter()
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template_schema_ensure(verbosity=verbosity)
        schemas = list(Community.objects.order_by("pk").values_list("schema_name", flat=True))
        expected = expected_migrations()
        outdated = outdated_schemas(schemas, expected)
        # A schema that lacks only migrations of public-schema apps needs them recorded, not a migrate
        # run (a new shared migration made every schema outdated: 41 s for 1,000). One that lacks a
        # community app's migration too gets the run, which records both in dependency order.
        shared = shared_only(expected)
        to_run = outdated_schemas(outdated, expected - shared)
        record_migrations(sorted(set(outdated) - set(to_run)), shared)
        if len(to_run) > ONE_BY_ONE_LIMIT:
            call_command(
                "migrate_schemas",
                tenant=True,
                interactive=False,
                verbosity=verbosity,
                executor="multiprocessing",
            )
        else:
            for schema in to_run:
                call_command(
                    "migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=verbosity
                )
        if verbosity:
            self.stdout.write(
                f"{len(schemas)} community schemas, {len(to_run)} migrated, "
                f"{len(outdated) - len(to_run)} given the public apps' new migration records, "
                f"{time.perf_counter() - started:.2f} s in all."
            )
