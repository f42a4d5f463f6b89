"""One PostgreSQL backend's memory as one connection reads the tables of N distinct communities:
`DATABASE_URL=... python bench/backend_memory.py 100,1000,3000 [--bound K]` on a database with
communities kim-r-00000... (bench/rehearsal.py --keep makes one).

Each "request" is what Django does between requests (close_old_connections, where
DB_SCHEMAS_PER_CONNECTION recycles the connection), then the member area's reads in one community's
schema (its posts, photos, revisions and tags). After each checkpoint it prints the backend's
private memory (RssAnon from /proc, so run it on the database's machine as root or its user), and
the highest value seen, sampled every 50 communities. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_anon_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no RssAnon")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoints")
    parser.add_argument("--bound", type=int, default=0, help="DB_SCHEMAS_PER_CONNECTION (0: none)")
    args = parser.parse_args()
    os.environ["DB_SCHEMAS_PER_CONNECTION"] = str(args.bound)

    import django

    django.setup()
    from django.db import close_old_connections, connection
    from taggit.models import Tag

    from communities.models import Community
    from posts.models import Photo, Post, PostRevision

    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    rehearsed = Community.objects.filter(slug__startswith="kim-r-").order_by("slug")
    communities = list(rehearsed[: checkpoints[-1]])
    results, highest, pids, started = [], 0.0, set(), time.monotonic()
    for served, community in enumerate(communities, 1):
        close_old_connections()
        connection.set_tenant(community)
        list(Post.objects.order_by("-updated_at")[:20])
        list(Photo.objects.filter(post__isnull=True)[:12])
        list(PostRevision.objects.all()[:1])
        list(Tag.objects.all()[:10])
        pid = connection.connection.info.backend_pid
        pids.add(pid)
        if served % 50 == 0 or served in checkpoints:
            highest = max(highest, rss_anon_mb(pid))
        if served in checkpoints:
            results.append(
                {
                    "communities": served,
                    "rss_anon_mb": rss_anon_mb(pid),
                    "highest_mb": highest,
                    "backends": len(pids),
                    "seconds": round(time.monotonic() - started, 1),
                }
            )
        connection.set_schema_to_public()
    print(json.dumps({"bound": args.bound, "results": results}))


if __name__ == "__main__":
    main()
