"""Run a command against the project's database: DATABASE_URL when set, else a private PostgreSQL.

    python scripts/devdb.py run -- <command...>   # start or reuse the server, then exec the command
    python scripts/devdb.py url                   # print the URL the project would use
    python scripts/devdb.py stop                  # stop the private server (its data stays)

The private server comes from the `pgserver` wheel and lives in `.pgdata/` (git-ignored). It keeps
running between commands so `make test` after `make run` does not pay for a start-up.
"""

import os
import sys
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / ".pgdata"
DATABASE_NAME = "kimportal"


def private_database_url() -> str:
    # pgserver keeps its lock file in the XDG runtime folder and warns loudly when none is set.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(0 rows)" in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"


def ensure_database(url: str) -> None:
    """Create the database DATABASE_URL names if the server does not have it yet."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres")).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        ensure_database(os.environ["DATABASE_URL"])
        return os.environ["DATABASE_URL"]
    return private_database_url()


def stop() -> None:
    if not (PGDATA / "postmaster.pid").exists():
        print("The private PostgreSQL is not running.")
        return
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=PGDATA, user=user)
    print("Stopped the private PostgreSQL in .pgdata/.")


def main(argv: list[str]) -> None:
    match argv:
        case ["url"]:
            print(database_url())
        case ["stop"]:
            stop()
        case ["run", "--", *command] if command:
            os.environ["DATABASE_URL"] = database_url()
            sys.stdout.flush()
            os.execvp(command[0], command)
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
