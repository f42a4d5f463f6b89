"""The subprocess side of test_read_replica.py: `python -m tests.kimportal.replica_steps seed|drive`.

`seed` fills the primary: two communities in two kabupaten/kota, each with a member, an editor and a
published post. `drive` (with DATABASE_REPLICA_URL set too) sends the test client through the steps
below and prints, as one JSON line, each step's answer with the statements each alias ran for it.
"""

import json
import os
import sys
import time

import django

PASSWORD = "rahasia-uji-123"
MAIN, A, B = "kim.localhost", "kratonkidul.kim.localhost", "tembalang.kim.localhost"
SIDES = {"a": ("33.75", "Kraton Kidul", "kratonkidul"), "b": ("33.74", "Tembalang", "tembalang")}
NEW_POST = "Posyandu balita bulan ini"
PROBE_TITLE = "Judul baru di primary"


def seed() -> None:
    from communities import services
    from communities.models import Regency
    from moderation import services as moderation_services
    from moderation.models import Submission
    from tests.factories import make_post

    services.regions_load()
    for side, (code, name, slug) in SIDES.items():
        regency = Regency.objects.get(code=code)
        community = services.community_create(name=f"KIM {name}", slug=slug, regency=regency)
        member = services.user_get_or_create(
            email=f"anggota.{side}@example.id", full_name="Anggota", password=PASSWORD
        )
        services.membership_set(user=member, community=community, role="member")
        editor = services.user_get_or_create(
            email=f"editor.{side}@example.id", full_name="Editor", password=PASSWORD
        )
        services.editor_assign(user=editor, regency=regency)
        post = make_post(
            community, member, title=f"Kerja bakti di {name}", slug=f"kerja-bakti-{side}", submit=True
        )
        submission = Submission.objects.get(community=community, post_id=post.pk)
        moderation_services.submission_approve(submission_id=submission.pk, editor=editor)


def _server(variable: str, sql: str):
    import psycopg

    url = os.environ[variable].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as server:
        return server.execute(sql).fetchone()[0]  # type: ignore[index]


def _caught_up() -> None:
    """Wait until the standby has replayed everything the primary has written (inserted: with
    synchronous_commit off, a commit may not be written out yet)."""
    target = _server("DATABASE_URL", "SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + 10
    while not _server("DATABASE_REPLICA_URL", f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.05)


def drive() -> dict:
    from django.core.cache import caches
    from django.db import connections
    from django.test import Client

    from accounts.models import User
    from communities.models import Community
    from moderation.models import Submission
    from tests.factories import make_post

    sys.path.insert(0, "scripts")
    import pgcluster

    statements: dict[str, list[str]] = {"default": [], "replica": []}
    for alias, kept in statements.items():

        def count(execute, sql, params, many, context, kept=kept):
            kept.append(sql)
            return execute(sql, params, many, context)

        connections[alias].execute_wrappers.append(count)

    def client(host: str, email: str = "") -> Client:
        made = Client(HTTP_HOST=host)
        if email:
            made.force_login(User.objects.get(email=email))
        return made

    anonymous = {host: client(host) for host in (MAIN, A, B)}
    editor_a = {host: client(host, "editor.a@example.id") for host in (MAIN, A)}
    editor_b = client(B, "editor.b@example.id")
    seen: dict[str, dict] = {}

    def step(name: str, reader: Client, path: str, data: dict | None = None) -> None:
        caches["pages"].clear()  # every page built afresh: one from the cache reads neither server
        for kept in statements.values():
            kept.clear()
        response = reader.post(path, data) if data is not None else reader.get(path)
        seen[name] = {
            "status": response.status_code,
            "body": response.content.decode(errors="replace"),
            **{alias: list(kept) for alias, kept in statements.items()},
        }

    _caught_up()
    step("anonymous province feed", anonymous[MAIN], "/")
    step("anonymous community home", anonymous[A], "/")
    step("anonymous post page", anonymous[A], "/berita/kerja-bakti-a/")
    step("anonymous regency page", anonymous[MAIN], "/kabupaten/kota-pekalongan/")
    step("anonymous search", anonymous[MAIN], "/cari/?q=kerja+bakti")
    step("anonymous gallery", anonymous[A], "/galeri/")
    step("editor province feed", editor_a[MAIN], "/")
    step("editor community home", editor_a[A], "/")
    step("editor post page", editor_a[A], "/berita/kerja-bakti-a/")
    step("anonymous report", anonymous[A], "/berita/kerja-bakti-a/laporkan/", {"reason": "hoaks", "note": ""})

    _server("DATABASE_REPLICA_URL", "SELECT pg_wal_replay_pause()")
    while _server("DATABASE_REPLICA_URL", "SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.05)
    community_a = Community.objects.get(slug=SIDES["a"][2])
    post = make_post(community_a, User.objects.get(email="anggota.a@example.id"), title=NEW_POST, submit=True)
    waiting = Submission.objects.get(community=community_a, post_id=post.pk, state="pending")
    step("editor approves while paused", editor_a[MAIN], f"/moderasi/kiriman/{waiting.pk}/setujui/", {})
    step("anonymous community home while paused", anonymous[A], "/")
    step("anonymous province feed while paused", anonymous[MAIN], "/")
    step("anonymous other community while paused", anonymous[B], "/")
    # A change no service makes (each bumps the page versions of what readers see), so that the
    # page itself shows which server it was read from.
    with connections["default"].cursor() as cursor:
        cursor.execute("UPDATE feed_feedentry SET title = %s WHERE slug = 'kerja-bakti-b'", [PROBE_TITLE])
    step("anonymous probe while paused", anonymous[B], "/berita/kerja-bakti-b/")
    step("editor probe while paused", editor_b, "/berita/kerja-bakti-b/")

    _server("DATABASE_REPLICA_URL", "SELECT pg_wal_replay_resume()")
    _caught_up()
    step("anonymous community home after replay", anonymous[A], "/")
    step("anonymous probe after replay", anonymous[B], "/berita/kerja-bakti-b/")

    pgcluster.Cluster(os.environ["STANDBY_DIR"]).stop(remove=False)
    step("anonymous community home, standby stopped", anonymous[A], "/")
    step("anonymous post page, standby stopped", anonymous[A], "/berita/kerja-bakti-a/")
    return seen


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "seed":
        seed()
    else:
        print(json.dumps(drive()))
