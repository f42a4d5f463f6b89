"""`manage.py backup` then `manage.py restore` into a new database and empty media folders give back
every row of every schema and every media file."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]


def _server() -> tuple[str, str]:
    """The test server's host (or socket folder, which DATABASE_URL's `?host=` puts in OPTIONS), port."""
    db = connection.settings_dict
    return db["HOST"] or db["OPTIONS"].get("host", ""), str(db["PORT"] or db["OPTIONS"].get("port", 5432))


def _conninfo(name: str) -> str:
    host, port = _server()
    return psycopg.conninfo.make_conninfo(
        dbname=name, host=host or None, port=port, user=connection.settings_dict["USER"]
    )


def _manage(*args: str, database: str, media: Path, succeeds: bool = True) -> str:
    """Run a management command on `database` and these media folders; its error output."""
    host, port = _server()
    url = f"postgres://{connection.settings_dict['USER']}@/{database}?host={quote(host)}&port={port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media / "media"),
        "WITHHELD_MEDIA_LOCATION": str(media / "withheld"),
        "PRIVATE_MEDIA_ROOT": str(media / "private"),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert (done.returncode == 0) == succeeds, done.stderr[-3000:]
    return done.stderr


def _every_row(name: str) -> dict[str, tuple[int, str]]:
    """{schema.table: (rows, a hash of them all)} for every table of every schema."""
    with psycopg.connect(_conninfo(name)) as db:
        tables = db.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        rows = {}
        for schema, table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
            )
            rows[f"{schema}.{table}"] = db.execute(query.format(sql.Identifier(schema, table))).fetchone()
        return rows


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_backup_restores_every_schema_and_the_media(world, tmp_path, fresh_database):
    source = connection.settings_dict["NAME"]
    photo = tmp_path / "before" / "media" / world.community_a.schema_name / "photos" / "a1" / "480.webp"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"RIFF-webp-bytes")
    hidden = tmp_path / "before" / "withheld" / world.community_a.schema_name / "photos" / "b2" / "og.jpg"
    hidden.parent.mkdir(parents=True)
    hidden.write_bytes(b"jpeg-bytes")
    decree = tmp_path / "before" / "private" / "sk" / "a1b2.pdf"  # a KIM's decree, never served
    decree.parent.mkdir(parents=True)
    decree.write_bytes(b"%PDF-1.7 sk")

    _manage("backup", str(tmp_path / "backup"), database=source, media=tmp_path / "before")
    _manage("restore", str(tmp_path / "backup"), database=fresh_database, media=tmp_path / "after")

    before, after = _every_row(source), _every_row(fresh_database)
    assert {world.community_a.schema_name, world.community_b.schema_name, "public"} <= {
        table.split(".")[0] for table in after
    }
    assert after == before
    assert before["public.accounts_user"][0] > 0
    restored = tmp_path / "after" / "media" / world.community_a.schema_name / "photos" / "a1" / "480.webp"
    assert restored.read_bytes() == b"RIFF-webp-bytes"
    assert (tmp_path / "after" / "withheld" / hidden.relative_to(tmp_path / "before" / "withheld")).exists()
    assert (tmp_path / "after" / "private" / "sk" / "a1b2.pdf").read_bytes() == b"%PDF-1.7 sk"


def test_it_refuses_to_restore_over_a_database_in_use(world, tmp_path):
    source = connection.settings_dict["NAME"]
    _manage("backup", str(tmp_path / "backup"), database=source, media=tmp_path / "before")

    refused = _manage(
        "restore", str(tmp_path / "backup"), database=source, media=tmp_path / "before", succeeds=False
    )
    assert "not empty" in refused
    assert _every_row(source)["public.accounts_user"][0] > 0  # untouched
