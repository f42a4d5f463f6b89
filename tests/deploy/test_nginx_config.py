"""The nginx config in deploy/nginx: valid as nginx itself reads it, and in step with the app.

The proxy's behaviour end to end (media, micro-cache, 413 and 503 pages) is driven by
`make prod-smoke`; these checks are the fast ones that run with every `make test`.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
import render  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def rendered(tmp_path: Path, **overrides: str) -> str:
    import trustme

    cert = trustme.CA().issue_cert("kim.id", "*.kim.id")
    cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    settings = {
        "BASE_DOMAIN": "kim.id",
        "TLS_CERT": str(tmp_path / "cert.pem"),
        "TLS_KEY": str(tmp_path / "key.pem"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "ACCESS_LOG": str(tmp_path / "access.log"),
        **overrides,
    }
    return render.render(render.values(settings))


@pytest.mark.skipif(
    NGINX is None, reason="nginx not found: install it with `apt-get install nginx` (.ci/run does)"
)
def test_the_rendered_config_passes_nginx_own_check(tmp_path):
    (tmp_path / "kimportal.conf").write_text(
        rendered(tmp_path, HTTP_LISTEN="127.0.0.1:1", HTTPS_LISTEN="127.0.0.1:2")
    )
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; events {{}} http {{ include /etc/nginx/mime.types; {temp} "
        f"include {tmp_path}/kimportal.conf; }}"
    )
    log = str(tmp_path / "error.log")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", log],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_placeholder_is_filled_and_the_wildcard_host_is_served(tmp_path):
    config = rendered(tmp_path)
    assert not re.search(r"\$\{[A-Z_]+\}", config)
    assert "server_name kim.id *.kim.id;" in config
    assert "return 301 https://$host$request_uri;" in config  # no port on a real deployment
    assert "listen [::]:443 ipv6only=off ssl http2;" in config


def body_cap(config: str) -> int:
    cap = re.search(r"client_max_body_size (\d+);", config)
    assert cap is not None
    return int(cap.group(1))


def test_the_body_cap_is_the_apps_so_a_form_with_several_photos_gets_through(tmp_path, settings):
    """Without JavaScript every photo comes with the form: nginx must let through every body the app
    accepts, or the member loses the form to a proxy's page (it once stopped at one photo, 21 MB)."""
    assert body_cap(rendered(tmp_path)) == settings.UPLOAD_MAX_REQUEST_BYTES == 100 * 1024 * 1024
    assert body_cap(rendered(tmp_path)) >= 4 * settings.UPLOAD_MAX_FILE_BYTES
    (tmp_path / "env").write_text("UPLOAD_MAX_REQUEST_BYTES=52428800\n")
    assert body_cap(render.render(render.values({}, tmp_path / "env"))) == 52428800  # the app's file


def test_compose_gives_nginx_the_apps_body_cap_with_the_same_default():
    compose = (ROOT / "compose.yaml").read_text()
    default = str(100 * 1024 * 1024)
    assert f"UPLOAD_MAX_REQUEST_BYTES: ${{UPLOAD_MAX_REQUEST_BYTES:-{default}}}" in compose
    assert render.DEFAULTS["UPLOAD_MAX_REQUEST_BYTES"] == default


def test_nginx_own_page_for_a_bigger_body_speaks_of_the_whole_form(tmp_path):
    assert "error_page 413 /_kim/too-large.html;" in rendered(tmp_path)
    page = (ROOT / "deploy" / "nginx" / "errors" / "too-large.html").read_text()
    assert "Kiriman terlalu besar" in page and "lebih sedikit foto" in page
    assert "20 MB" not in page  # the per-photo cap is the app's, and its message keeps the form


def test_the_micro_cache_window_is_five_seconds_and_never_for_sessions(tmp_path):
    config = rendered(tmp_path)
    assert "proxy_cache_valid 200 301 404 5s;" in config
    assert "proxy_cache_bypass $cookie_sessionid $cookie_messages" in config
    assert "proxy_no_cache $cookie_sessionid $cookie_messages" in config


def test_public_pages_leave_the_cache_window_to_nginx(world, client_for, publish):
    """nginx obeys the app's max-age over its own 5 s: a public page with one would keep a taken-down
    post visible for that long. They carry none, and signed-in pages carry no public caching."""
    post = publish(world.community_a, world.member_a, "Posyandu balita")
    reader = client_for(world.community_a)
    for path in ("/", f"/berita/{post.slug}/", "/tentang/"):
        answer = reader.get(path)
        assert answer.status_code == 200
        assert "max-age" not in answer.get("Cache-Control", "") and not answer.has_header("Expires")
    member_page = client_for(world.community_a, world.member_a).get("/kelola/")
    assert "public" not in member_page.get("Cache-Control", "")


def test_compose_gives_the_nginx_image_every_placeholder():
    """The nginx image fills only the variables it is given: a missing one would stay in the config."""
    compose = (ROOT / "compose.yaml").read_text()
    nginx_environment = compose.split("  nginx:", 1)[1].split("    volumes:", 1)[0]
    given = set(re.findall(r"^      ([A-Z_]+):", nginx_environment, re.MULTILINE))
    used = set(re.findall(r"\$\{([A-Z_]+)\}", render.TEMPLATE.read_text()))
    assert used == given == set(render.DEFAULTS)


def test_web_worker_and_migrate_read_one_env_file():
    units = {path.name: path.read_text() for path in (ROOT / "deploy" / "systemd").glob("*.service")}
    assert set(units) == {"kimportal-web.service", "kimportal-worker.service", "kimportal-migrate.service"}
    assert all("EnvironmentFile=/etc/kimportal/env" in unit for unit in units.values())
    assert "manage.py $KIM_WORKER_COMMAND" in units["kimportal-worker.service"]
    assert "exec python manage.py $$KIM_WORKER_COMMAND" in (ROOT / "compose.yaml").read_text()


def test_probes_and_metrics_are_never_micro_cached(tmp_path):
    config = rendered(tmp_path)
    probes = config.split("location ~ ^/(healthz|readyz|metrics)$ {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://kim_app;" in probes and "proxy_cache " not in probes
