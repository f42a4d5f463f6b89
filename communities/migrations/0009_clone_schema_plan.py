"""kim_clone_schema reads the template's definitions once per template version, not once per copy.

Reading them costs scans of pg_class and pg_constraint, which have no index by schema: 50 ms of a
65 ms copy at 1,000 communities, and growing with every community (about 0.5 s at 10,000). The
function now keeps what it read in `public.kim_clone_plan`, keyed by the template's migration
records, so a copy costs the same at 10,000 communities as at 10, and a migrated template is read
again on its next copy.
"""

import importlib

from django.db import migrations

CREATE = r"""
CREATE TABLE IF NOT EXISTS public.kim_clone_plan (
    source text PRIMARY KEY,
    version text NOT NULL,
    tables text[] NOT NULL,
    ddl text[] NOT NULL
);

CREATE OR REPLACE FUNCTION public.kim_clone_schema(source text, target text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    plan public.kim_clone_plan;
    current_version text;
    item record;
    statement text;
    caller_path text := current_setting('search_path');
BEGIN
    EXECUTE format('SELECT count(*) || '':'' || coalesce(max(id), 0) FROM %I.django_migrations', source)
        INTO current_version;
    SELECT * INTO plan FROM public.kim_clone_plan p WHERE p.source = kim_clone_schema.source;
    IF plan IS NULL OR plan.version IS DISTINCT FROM current_version THEN
        plan := ROW(source, current_version, '{}', '{}');
        SELECT coalesce(array_agg(tablename ORDER BY tablename), '{}') INTO plan.tables
        FROM pg_tables WHERE schemaname = source;
        -- Read definitions with only the source (and public) on the search_path, so references to
        -- the source's own tables come out unqualified; replayed with the target first, they point
        -- there.
        PERFORM set_config('search_path', format('%I, public', source), true);
        FOR item IN
            SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = source AND c.contype IN ('p', 'u', 'c', 'x', 'f')
            ORDER BY c.contype = 'f', c.conname
        LOOP
            plan.ddl := plan.ddl || format('ALTER TABLE %s ADD CONSTRAINT %I %s', item.tbl, item.conname, item.def);
        END LOOP;
        FOR item IN
            SELECT pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = source
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
        LOOP
            -- pg_get_indexdef always names the table's schema; kim_clone_schema points it at the target.
            plan.ddl := plan.ddl || item.def;
        END LOOP;
        PERFORM set_config('search_path', caller_path, true);
        INSERT INTO public.kim_clone_plan VALUES (plan.*)
        ON CONFLICT ON CONSTRAINT kim_clone_plan_pkey DO UPDATE
        SET version = excluded.version, tables = excluded.tables, ddl = excluded.ddl;
    END IF;

    EXECUTE format('CREATE SCHEMA %I', target);
    FOREACH statement IN ARRAY plan.tables LOOP
        EXECUTE format(
            'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)',
            target, statement, source, statement
        );
    END LOOP;
    PERFORM set_config('search_path', format('%I, public', target), true);
    FOREACH statement IN ARRAY plan.ddl LOOP
        EXECUTE replace(statement, format(' ON %I.', source), format(' ON %I.', target));
    END LOOP;
    EXECUTE format(
        'INSERT INTO %I.django_migrations (app, name, applied) SELECT app, name, applied FROM %I.django_migrations',
        target, source
    );
    EXECUTE format(
        'INSERT INTO %I.django_content_type (id, app_label, model) SELECT id, app_label, model FROM %I.django_content_type',
        target, source
    );
    EXECUTE format(
        'SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(id), 0) + 1, false) FROM %I.django_content_type',
        target || '.django_content_type', 'id', target
    );
    PERFORM set_config('search_path', caller_path, true);
END
$fn$;
"""

# Back to 0003's function, which reads the template on every copy.
DROP = (
    importlib.import_module("communities.migrations.0003_clone_schema_function").CREATE
    + "DROP TABLE IF EXISTS public.kim_clone_plan;"
)


class Migration(migrations.Migration):
    dependencies = [("communities", "0008_community_archived_at")]

    operations = [migrations.RunSQL(CREATE, DROP)]
