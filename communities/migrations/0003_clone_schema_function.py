"""A database function that makes a community's schema as a copy of the template's structure.

django-tenants' own clone_schema (pg-clone-schema) re-installs a 4,000-line function on every call
and then still fakes every migration; this one copies what a community schema holds (tables,
identity columns, defaults, constraints and indexes under their own names, so later migrations
find them) plus the rows of django_migrations and django_content_type, in one statement.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION public.kim_clone_schema(source text, target text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    item record;
    ddl text[] := '{}';
    statement text;
    caller_path text := current_setting('search_path');
BEGIN
    EXECUTE format('CREATE SCHEMA %I', target);
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = source ORDER BY tablename LOOP
        EXECUTE format(
            'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)',
            target, item.tablename, source, item.tablename
        );
    END LOOP;
    -- Read definitions with only the source (and public) on the search_path, so references to the
    -- source's own tables come out unqualified; replayed with the target first, they point there.
    PERFORM set_config('search_path', format('%I, public', source), true);
    FOR item IN
        SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = source AND c.contype IN ('p', 'u', 'c', 'x', 'f')
        ORDER BY c.contype = 'f', c.conname
    LOOP
        ddl := ddl || format('ALTER TABLE %s ADD CONSTRAINT %I %s', item.tbl, item.conname, item.def);
    END LOOP;
    FOR item IN
        SELECT pg_get_indexdef(i.indexrelid) AS def
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = source
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    LOOP
        -- pg_get_indexdef always names the table's schema: point it at the target.
        ddl := ddl || replace(item.def, format(' ON %I.', source), format(' ON %I.', target));
    END LOOP;
    PERFORM set_config('search_path', format('%I, public', target), true);
    FOREACH statement IN ARRAY ddl LOOP
        EXECUTE statement;
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

DROP = "DROP FUNCTION IF EXISTS public.kim_clone_schema(text, text);"


class Migration(migrations.Migration):
    dependencies = [("communities", "0002_invitation")]

    operations = [migrations.RunSQL(CREATE, DROP)]
