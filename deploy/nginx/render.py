#!/usr/bin/env python3
"""Fill in deploy/nginx/kimportal.conf.template for one deployment; prints the nginx config.

    python3 deploy/nginx/render.py [ENV_FILE] > /etc/nginx/sites-available/kimportal

Values come from the environment, then ENV_FILE (the same file gunicorn and the worker read, e.g.
/etc/kimportal/env), then the defaults below (a Debian host, certbot's wildcard certificate). Only
`${NAME}` for the names below is replaced: nginx's own `$variables` stay. Standard library only.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "kimportal.conf.template"

DEFAULTS = {
    "BASE_DOMAIN": "kim.localhost",
    "UPSTREAM": "{GUNICORN_BIND}",  # where gunicorn listens
    "MEDIA_ROOT": "/var/lib/kimportal/media",
    "HTTP_LISTEN": "[::]:80 ipv6only=off",  # one socket for IPv4 and IPv6
    "HTTPS_LISTEN": "[::]:443 ipv6only=off",
    "SITE_PORT": "",  # ":8443" when https is not on 443 (as in `make prod-smoke`)
    "TLS_CERT": "/etc/letsencrypt/live/{BASE_DOMAIN}/fullchain.pem",
    "TLS_KEY": "/etc/letsencrypt/live/{BASE_DOMAIN}/privkey.pem",
    "HSTS_SECONDS": "31536000",  # the app's default with https
    "CACHE_DIR": "/var/cache/nginx/kimportal",
    "ACCESS_LOG": "/var/log/nginx/kimportal.access.log",
    "ERROR_PAGES": str(HERE / "errors"),
    # nginx's body cap is the app's (kimportal/settings.py, the same default), in bytes.
    "UPLOAD_MAX_REQUEST_BYTES": str(100 * 1024 * 1024),
}
NAMES = re.compile(r"\$\{(" + "|".join(DEFAULTS) + r")\}")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def values(env: dict[str, str], env_file: Path | None = None) -> dict[str, str]:
    found = read_env_file(env_file) if env_file else {}
    found.update({name: value for name, value in env.items() if name in DEFAULTS or name == "GUNICORN_BIND"})
    filled = {name: found.get(name, default) for name, default in DEFAULTS.items()}
    gunicorn_bind = env.get("GUNICORN_BIND") or found.get("GUNICORN_BIND") or "127.0.0.1:8000"
    return {name: value.format(GUNICORN_BIND=gunicorn_bind, **filled) for name, value in filled.items()}


def render(settings: dict[str, str]) -> str:
    return NAMES.sub(lambda match: settings[match.group(1)], TEMPLATE.read_text())


def main(argv: list[str]) -> None:
    env_file = Path(argv[0]) if argv else None
    sys.stdout.write(render(values(dict(os.environ), env_file)))


if __name__ == "__main__":
    main(sys.argv[1:])
