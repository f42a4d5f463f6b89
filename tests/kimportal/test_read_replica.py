"""A real streaming replica: anonymous readers' public pages read it, everyone else and every write the
primary; a page whose version the replica has not replayed yet is read from the primary.

Starts a private PostgreSQL primary and a standby streaming from it (`pg_basebackup -R`, Debian's
binaries through scripts/pgcluster.py), migrates and seeds the primary (two communities in two
kabupaten/kota, published posts), then drives the portal with Django's test client in a subprocess
whose settings name both (DATABASE_URL, DATABASE_REPLICA_URL), counting each alias's statements.
"""

import json
import shutil
import subprocess
import sys
import tempfile

import pytest

from tests.kimportal.replica_steps import NEW_POST, PROBE_TITLE
from tests.servers import PY, ROOT, portal_env

sys.path.insert(0, str(ROOT / "scripts"))
import pgcluster  # noqa: E402

pytestmark = pytest.mark.skipif(pgcluster.PG_BIN is None, reason=pgcluster.INSTALL_HINT)

# Fast and throw-away: nothing here needs to survive a crash.
NO_SYNC = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
STEPS = [PY, "-m", "tests.kimportal.replica_steps"]


@pytest.fixture(scope="module")
def pages():
    """What the portal answered at each step of replica_steps.drive, on a primary and its standby."""
    clusters: list[pgcluster.Cluster] = []
    media = tempfile.mkdtemp(prefix="kim-replica-media-")
    try:
        primary = pgcluster.Cluster()
        clusters.append(primary)
        primary.start(f"-c wal_level=replica {NO_SYNC}")
        standby = pgcluster.Cluster(standby_of=primary)
        clusters.append(standby)
        standby.start(NO_SYNC)
        primary.psql("postgres", "CREATE DATABASE kim")
        env = portal_env(primary.url("kim"), media_root=media)
        for command in ([PY, "manage.py", "migrate_portal", "-v", "0"], [*STEPS, "seed"]):
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
        env = {**env, "DATABASE_REPLICA_URL": standby.url("kim"), "STANDBY_DIR": str(standby.dir)}
        done = subprocess.run([*STEPS, "drive"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        yield json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        for cluster in reversed(clusters):
            if (cluster.data / "postmaster.pid").exists():
                cluster.pg_ctl("-m", "immediate", "-w", "stop")
            shutil.rmtree(cluster.dir, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)


def only_page_versions(statements: list[str]) -> bool:
    """Only which version the host's pages are at was read (the page cache's and the lag rule's
    question; a host's first request reads its community with it), after the tenant's search path."""
    return all("communities_pageversion" in sql or sql.startswith("SET search_path") for sql in statements)


@pytest.mark.parametrize(
    "step",
    [
        "anonymous province feed",
        "anonymous community home",
        "anonymous post page",
        "anonymous regency page",
        "anonymous search",
        "anonymous gallery",
    ],
)
def test_it_reads_anonymous_public_pages_from_the_replica(pages, step):
    page = pages[step]

    assert page["status"] == 200
    assert not only_page_versions(page["replica"])
    assert only_page_versions(page["default"]), page["default"]


@pytest.mark.parametrize("step", ["editor province feed", "editor community home", "editor post page"])
def test_it_reads_signed_in_users_pages_from_the_primary(pages, step):
    page = pages[step]

    assert page["status"] == 200 and "Kerja bakti di Kraton Kidul" in page["body"]
    assert page["replica"] == [] and page["default"]


@pytest.mark.parametrize("step", ["anonymous report", "editor approves while paused"])
def test_it_sends_every_write_to_the_primary(pages, step):
    page = pages[step]

    assert page["status"] in (200, 302)
    assert page["replica"] == []
    assert any(sql.lstrip().upper().startswith(("INSERT", "UPDATE")) for sql in page["default"])


def test_a_page_the_replica_has_not_caught_up_with_is_read_from_the_primary(pages):
    home, feed, other = (
        pages["anonymous community home while paused"],
        pages["anonymous province feed while paused"],
        pages["anonymous other community while paused"],
    )

    # The approval bumped the versions of the main domain and of the community: the paused replica
    # has not replayed them, so those pages show the new post, read from the primary.
    for page in (home, feed):
        assert NEW_POST in page["body"]
        assert only_page_versions(page["replica"]) and not only_page_versions(page["default"])
    # The other community's pages did not change, and are still read from the replica.
    assert other["status"] == 200 and not only_page_versions(other["replica"])


def test_the_paused_replica_serves_anonymous_readers_and_the_editor_reads_the_primary(pages):
    anonymous, editor = pages["anonymous probe while paused"], pages["editor probe while paused"]

    assert "Kerja bakti di Tembalang" in anonymous["body"] and PROBE_TITLE not in anonymous["body"]
    assert PROBE_TITLE in editor["body"]


def test_once_replayed_anonymous_readers_see_the_changes_from_the_replica(pages):
    home, probe = pages["anonymous community home after replay"], pages["anonymous probe after replay"]

    assert NEW_POST in home["body"] and not only_page_versions(home["replica"])
    assert only_page_versions(home["default"])
    assert PROBE_TITLE in probe["body"] and not only_page_versions(probe["replica"])


@pytest.mark.parametrize(
    "step", ["anonymous community home, standby stopped", "anonymous post page, standby stopped"]
)
def test_with_the_replica_down_anonymous_pages_come_from_the_primary(pages, step):
    page = pages[step]

    assert page["status"] == 200 and "Kerja bakti di Kraton Kidul" in page["body"]
    assert not only_page_versions(page["default"])
