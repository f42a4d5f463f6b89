"""A private PostgreSQL cluster in a temporary folder, from Debian's server binaries (`apt-get install
postgresql`), listening on a free loopback port: the capacity rehearsal's (bench/rehearsal.py), and
the read-replica test's primary and its streaming standby (tests/kimportal/test_read_replica.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from prodstack import free_port

_DEBIAN_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
# PG_BIN names another folder of server binaries; else Debian's newest; None when there is none.
PG_BIN: Path | None = Path(os.environ["PG_BIN"]) if os.environ.get("PG_BIN") else (_DEBIAN_BINS or [None])[-1]
INSTALL_HINT = "needs PostgreSQL's server binaries (initdb, pg_ctl): apt-get install postgresql"


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def pg_bin(name: str) -> str:
    if PG_BIN is None:
        raise RuntimeError(INSTALL_HINT)
    return str(PG_BIN / name)


class Cluster:
    """A new cluster in a temporary folder (initdb, or `standby_of` another), or the one a kept run
    left in `folder`. Trusts every local connection: loopback and tests only."""

    prefix = "kim-pg-"

    def __init__(self, folder: str | None = None, *, standby_of: Cluster | None = None) -> None:
        self.dir = Path(folder or tempfile.mkdtemp(prefix=self.prefix))
        if folder:
            self.port = int((self.dir / "port").read_text())
            return
        self.port = free_port()
        (self.dir / "port").write_text(str(self.port))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        if standby_of is None:
            as_postgres([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"])
        else:
            # -R: the copy starts as a standby that streams from its source (standby.signal and
            # primary_conninfo); -X stream: with the WAL written meanwhile.
            source = f"host=127.0.0.1 port={standby_of.port} user=postgres"
            copy = [pg_bin("pg_basebackup"), "-d", source, "-D", str(self.data)]
            as_postgres([*copy, "-R", "-X", "stream", "-c", "fast"])

    @property
    def data(self) -> Path:
        return self.dir / "data"

    def start(self, options: str = "") -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -p {self.port} {options}"
        )
        self.pg_ctl("-w", "-l", str(self.dir / "log"), "-o", options, "start")

    def pg_ctl(self, *args: str) -> None:
        as_postgres([pg_bin("pg_ctl"), "-D", str(self.data), *args])

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, name: str, sql: str) -> str:
        out = subprocess.run(
            [pg_bin("psql"), "-XAtq", self.url(name), "-c", sql], check=True, capture_output=True, text=True
        )
        return out.stdout.strip()

    def stop(self, remove: bool = True) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)
