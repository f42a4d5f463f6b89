"""The main flow in a real browser (Playwright driving Debian's Chromium), once.

A member signs in, writes a post with a photo and submits it; an editor approves it; the post is on
the province feed, the regency page and the community home. Screenshots of each page at 360 px and
1280 px land in test-artifacts/. The portal runs as its own server process on a fresh database made
by the same commands as `make run` (migrate_portal, seed_demo), so nothing here touches the other
tests' data.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import Request, urlopen

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from PIL import Image

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "demo-kim-2026"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
    "(or set CHROMIUM_PATH) to run the browser test.",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    params = connection.settings_dict
    host = params["HOST"] or params["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgres://{params['USER']}@/{name}?host={host}"
    return f"postgres://{params['USER']}:{params['PASSWORD']}@{host}:{params['PORT'] or 5432}/{name}"


def recreate_database(name: str) -> None:
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def wait_until_serving(port: int) -> None:
    probe = Request(f"http://127.0.0.1:{port}/robots.txt", headers={"Host": f"kim.localhost:{port}"})
    for _ in range(150):
        try:
            urlopen(probe, timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("The portal did not start; see test-artifacts/e2e-server.log")


@pytest.fixture(scope="module")
def portal(django_db_blocker, tmp_path_factory):
    """A real server (runserver, DEBUG) on a fresh, migrated and seeded database; yields its port."""
    name = f"{settings.DATABASES['default']['NAME']}_e2e"
    with django_db_blocker.unblock():
        recreate_database(name)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DEBUG": "1",
        "SITE_PORT": f":{port}",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "PRIVATE_MEDIA_ROOT": str(tmp_path_factory.mktemp("private")),
        # Emails printed at once (no job worker here): the registration test follows their links.
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate_portal", "-v", "0"], ["seed_demo"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True, cwd=ROOT)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "e2e-server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    try:
        wait_until_serving(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        with django_db_blocker.unblock():
            params = connection.get_connection_params()
            params["dbname"] = "postgres"
            with psycopg.connect(**params, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "kegiatan.jpg"
    image = Image.new("RGB", (1600, 1200), (40, 120, 200))
    for x in range(0, 1600, 100):
        image.paste((230, 180, 40), (x, 500, x + 50, 700))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, port: int, email: str, next_url: str) -> None:
    page.goto(f"http://kim.localhost:{port}/akun/masuk/?next={next_url}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")


def shoot(browser, url: str, name: str) -> str:
    """Screenshots of an anonymous reader's view at phone and desktop widths; returns the page text."""
    ARTIFACTS.mkdir(exist_ok=True)
    text = ""
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="id-ID")
        page.goto(url)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        text = page.inner_text("main")
        page.close()
    return text


def test_a_post_goes_from_a_phone_to_the_province_feed(portal, browser, tmp_path):
    port = portal
    community = f"http://kratonkidul.kim.localhost:{port}"
    title = "Pelatihan membatik untuk remaja Kraton Kidul"

    member = browser.new_page(viewport={"width": 360, "height": 800}, locale="id-ID")
    sign_in(member, port, "anggota@kratonkidul.demo", f"{community}/kelola/tulisan/baru/")
    member.wait_for_url(f"{community}/kelola/tulisan/baru/")
    member.fill("input[name=title]", title)
    member.click(".editor-area")  # the small rich-text editor that replaces the textarea when JS runs
    member.keyboard.type("Dua puluh remaja belajar membatik tulis bersama perajin kampung.")
    member.fill("input[name=activity_date]", "2026-11-21")
    member.fill("input[name=activity_place]", "Balai Kelurahan Kraton Kidul")
    member.select_option("select[name=category]", "budaya")
    member.fill("input[name=tags]", "batik, remaja")
    member.set_input_files("input[name=photos]", str(photo_file(tmp_path)))
    member.fill("#new-photo-caption-1", "Remaja membatik di balai kelurahan")  # else a reminder asks first
    member.click("button[name=action][value=submit]")
    member.wait_for_url(f"{community}/kelola/")  # the form goes once its photo is uploaded
    ARTIFACTS.mkdir(exist_ok=True)
    member.screenshot(path=str(ARTIFACTS / "member-after-submit-360.png"), full_page=True)
    assert "Menunggu pemeriksaan" in member.inner_text("main")
    member.close()

    editor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    sign_in(editor, port, "editor@kotapekalongan.demo", f"http://kim.localhost:{port}/moderasi/")
    editor.wait_for_url(f"http://kim.localhost:{port}/moderasi/")
    editor.click(f"text={title}")
    editor.screenshot(path=str(ARTIFACTS / "editor-review-1280.png"), full_page=True)
    editor.click("button:has-text('Setujui dan tayangkan')")
    editor.wait_for_load_state()
    editor.close()

    assert title in shoot(browser, f"http://kim.localhost:{port}/", "province-feed")
    assert title in shoot(browser, f"http://kim.localhost:{port}/kabupaten/kota-pekalongan/", "regency")
    assert title in shoot(browser, f"{community}/", "community-home")
    reader = browser.new_page(viewport={"width": 360, "height": 800}, locale="id-ID")
    reader.goto(f"{community}/")
    reader.click(f"text={title}")
    image = reader.locator("article img").first
    assert image.get_attribute("srcset") and image.evaluate("img => img.naturalWidth") > 0
    reader.screenshot(path=str(ARTIFACTS / "post-360.png"), full_page=True)
    reader.close()


def test_the_pages_work_under_the_content_security_policy(portal, browser):
    """No inline script, style or handler is left for the CSP to block: the copy buttons, the share
    field, the post editor and its autosave, and the moderation console run without a violation."""
    port = portal
    main = f"http://kim.localhost:{port}"
    community = f"http://kratonkidul.kim.localhost:{port}"
    violations: list[str] = []

    def watched(page):
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    reader = watched(browser.new_page(locale="id-ID"))
    for url in (f"{main}/", f"{main}/komunitas/", f"{main}/cari/?q=batik", f"{community}/"):
        reader.goto(url)
    reader.click("main a[href*='/berita/']")
    reader.focus("#share-url")
    selected = reader.evaluate(
        "() => { const i = document.activeElement; return i.selectionEnd - i.selectionStart; }"
    )
    assert selected == len(reader.input_value("#share-url")) > 0

    admin = watched(browser.new_page(locale="id-ID"))
    sign_in(admin, port, "pengelola@kratonkidul.demo", f"{community}/kelola/komunitas/undangan/")
    admin.wait_for_url(f"{community}/kelola/komunitas/undangan/")
    admin.click("form:has(input[value=link]) button[type=submit]")
    admin.wait_for_load_state()
    copy = admin.locator("[data-copy]").first
    copy.click()
    # The clipboard answers asynchronously; the label changes once the copy is done.
    admin.wait_for_function("() => document.querySelector('[data-copy]').textContent === 'Tersalin'")
    assert copy.inner_text() == "Tersalin"

    admin.goto(f"{community}/kelola/tulisan/baru/")
    admin.fill("input[name=title]", "Uji kebijakan keamanan konten")
    with admin.expect_response(lambda r: "simpan-otomatis" in r.url and r.status == 200):
        admin.click(".editor-area")
        admin.keyboard.type("Autosave berjalan tanpa skrip sebaris.")

    editor = watched(browser.new_page(locale="id-ID"))
    sign_in(editor, port, "editor@kotapekalongan.demo", f"{main}/moderasi/")
    editor.wait_for_url(f"{main}/moderasi/")
    editor.click("main a[href*='/moderasi/kiriman/']")
    editor.wait_for_load_state()
    for page in (reader, admin, editor):
        page.close()

    assert violations == []


def last_link(pattern: str) -> str:
    """The newest link of this shape in the emails the server printed (console backend, DEBUG)."""
    import re

    found = re.findall(pattern, (ARTIFACTS / "e2e-server.log").read_text(encoding="utf-8"))
    assert found, f"no email with {pattern} in test-artifacts/e2e-server.log"
    return found[-1]


def decree_pdf(tmp_path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "sk-penetapan.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path


def test_a_kim_registers_from_a_phone_and_publishes_its_first_post(portal, browser, tmp_path):
    port = portal
    main = f"http://kim.localhost:{port}"
    site = f"http://podosugih.kim.localhost:{port}"

    phone = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    applicant = phone.new_page()
    applicant.goto(f"{main}/")
    applicant.click("text=Daftarkan KIM")
    applicant.fill("input[name=name]", "KIM Podosugih")
    applicant.select_option("select[name=province]", label="Jawa Tengah")
    applicant.select_option("select[name=regency]", label="Kota Pekalongan")
    applicant.fill("input[name=district]", "Pekalongan Barat")
    applicant.fill("input[name=village]", "Podosugih")
    applicant.fill("input[name=address]", "Jl. Podosugih No. 1")
    applicant.fill("input[name=decree_number]", "400/77/2025")
    applicant.fill("input[name=decree_date]", "2025-05-02")
    applicant.set_input_files("input[name=decree_file]", str(decree_pdf(tmp_path)))
    applicant.fill("input[name=contact_name]", "Lina Podosugih")
    applicant.fill("input[name=contact_email]", "lina@podosugih.id")
    applicant.fill("input[name=contact_whatsapp]", "0812 7777 1234")
    applicant.fill("input[name=slug]", "podosugih")
    applicant.check("input[name=consent_terms]")
    applicant.check("input[name=consent_privacy]")
    applicant.fill("input[name=password1]", PASSWORD)
    applicant.fill("input[name=password2]", PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)
    applicant.screenshot(path=str(ARTIFACTS / "register-360.png"), full_page=True)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    applicant.click("button:has-text('Kirim pendaftaran')")
    applicant.wait_for_load_state()
    assert "Menunggu konfirmasi email" in applicant.inner_text("main")
    applicant.goto(last_link(rf"http://kim\.localhost:{port}/daftar-kim/konfirmasi/\S+/"))
    assert "Menunggu pemeriksaan" in applicant.inner_text("main")
    applicant.screenshot(path=str(ARTIFACTS / "register-status-360.png"), full_page=True)
    phone.close()

    editor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    sign_in(editor, port, "editor@kotapekalongan.demo", f"{main}/moderasi/pendaftaran/")
    editor.wait_for_url(f"{main}/moderasi/pendaftaran/")
    editor.click("text=KIM Podosugih")
    editor.screenshot(path=str(ARTIFACTS / "registration-review-1280.png"), full_page=True)
    editor.click("button:has-text('Setujui dan buat situs')")
    editor.wait_for_load_state()

    # The contact, on a fresh phone, follows the welcome email's sign-in link.
    phone = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    contact = phone.new_page()
    contact.goto(last_link(rf"http://kim\.localhost:{port}/akun/masuk/\?next=\S+"))
    contact.fill("input[name=username]", "lina@podosugih.id")
    contact.fill("input[name=password]", PASSWORD)
    contact.click("form.form button[type=submit]")
    contact.wait_for_url(f"{site}/kelola/")
    title = "Kerja bakti pertama KIM Podosugih"
    contact.goto(f"{site}/kelola/tulisan/baru/")
    contact.fill("input[name=title]", title)
    contact.click(".editor-area")
    contact.keyboard.type("Warga Podosugih membersihkan saluran air bersama.")
    contact.fill("input[name=activity_date]", "2026-11-28")
    contact.select_option("select[name=category]", "kegiatan")
    contact.set_input_files("input[name=photos]", str(photo_file(tmp_path)))
    contact.fill("#new-photo-caption-1", "Warga membersihkan saluran air")  # else a reminder asks first
    contact.click("button[name=action][value=submit]")
    contact.wait_for_url(f"{site}/kelola/")  # the form goes once its photo is uploaded
    assert "Menunggu pemeriksaan" in contact.inner_text("main")
    phone.close()

    editor.goto(f"{main}/moderasi/")
    editor.click(f"text={title}")
    editor.click("button:has-text('Setujui dan tayangkan')")
    editor.wait_for_load_state()
    editor.close()

    assert title in shoot(browser, f"{main}/", "province-feed-new-kim")
