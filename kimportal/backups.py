"""Backups you can restore: the whole database (every schema, through pg_dump) and the media files, in
one folder; `manage.py backup` and `manage.py restore` drive these.

A backup folder holds `database.dump` (pg_dump's custom format), one `<name>.tar.gz` per media
folder (the public media and the withheld photos) and `manifest.json`. On object storage the media
are the bucket's to keep (versioning, replication): only folders on disk are archived here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def media_folders() -> dict[str, Path]:
    """The media folders on disk, by name: MEDIA_ROOT, and the withheld photos and the private
    files (KIM decrees) when on disk."""
    folders = {"media": Path(settings.MEDIA_ROOT)}
    for name in ("withheld", "private"):
        storage = storages[name]
        if isinstance(storage, FileSystemStorage):
            folders[name] = Path(storage.location)
    return folders


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore, of a version that can read this server: PG_BIN_DIR's, then PATH's, then
    the pgserver wheel's (development)."""
    candidates = [os.environ.get("PG_BIN_DIR", ""), *os.environ.get("PATH", "").split(os.pathsep)]
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    wanted = _server_major()
    for folder in filter(None, candidates):
        tool = Path(folder) / name
        if tool.is_file() and os.access(tool, os.X_OK):
            version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
            found = re.search(r"(\d+)(?:\.\d+)?", version)
            if found and int(found.group(1)) >= wanted:
                return str(tool)
    raise BackupError(f"No {name} of version {wanted} or newer: install PostgreSQL's client tools.")


def _connection_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    # A socket folder given as `?host=` in DATABASE_URL arrives among the OPTIONS.
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host")
    if host:
        args += ["--host", str(host)]
    port = db.get("PORT") or db.get("OPTIONS", {}).get("port")
    if port:
        args += ["--port", str(port)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args, {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}


def backup_make(folder: Path) -> dict:
    """Write a backup of the database and the media folders into `folder` (new or empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty.")
    args, env = _connection_args()
    dump = [pg_tool("pg_dump"), "--format=custom", "--file", str(folder / DUMP), *args]
    subprocess.run(dump, env=env, check=True)
    archived = []
    for name, source in media_folders().items():
        if source.is_dir():
            with tarfile.open(folder / f"{name}.tar.gz", "w:gz") as archive:
                archive.add(source, arcname=".")
            archived.append(name)
    manifest = {"made_at": timezone.now().isoformat(), "database": DUMP, "media": archived}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0] == 0


def backup_restore(folder: Path) -> dict:
    """Restore a backup into this (empty) database and its media into the media folders."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if not database_is_empty():
        raise BackupError("The database is not empty: restore into a new one.")
    args, env = _connection_args()
    restore = [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", *args]
    connection.close()  # pg_restore works alone
    subprocess.run([*restore, str(folder / manifest["database"])], env=env, check=True)
    folders = media_folders()
    for name in manifest["media"]:
        target = folders.get(name)
        if target is None:
            raise BackupError(f"This configuration has no folder for the backup's {name!r} media.")
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / f"{name}.tar.gz", "r:gz") as archive:
            archive.extractall(target, filter="data")
    return manifest
