"""Writing and reviewing on a phone, in a real browser: the device's copy of a post is offered back
only when it says something else, the focus ring stands out on every background, and an editor
reaches the decision without scrolling past the post.

Uses test_main_flow's server (a fresh migrated and seeded database) and browser.
"""

import json
import re

import pytest

from .test_main_flow import ARTIFACTS, CHROMIUM, sign_in

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists(),
    reason=f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`.",
)

MEMBER = "anggota@kratonkidul.demo"
EDITOR = "editor@kotapekalongan.demo"
# What the editor produces for two paragraphs, a list and a link (the server stores it sanitised,
# with rel="nofollow noopener ugc" on the link, and shows plain paragraphs as plain text).
BODY = (
    "<p>Warga Kraton Kidul kerja bakti membersihkan saluran air.</p>"
    "<p>Kegiatan dimulai pukul <strong>07.00</strong> dan dibagi <em>tiga</em> kelompok:</p>"
    "<ul><li>saluran utama</li><li>selokan gang</li></ul>"
    '<p>Jadwal lengkap ada di <a href="https://kratonkidul.desa.id/jadwal">situs kelurahan</a>.</p>'
)
PLAIN_BODY = "<p>Paragraf pertama tanpa format.</p><p>Paragraf kedua,<br>dengan baris baru.</p>"


def community_url(port: int) -> str:
    return f"http://kratonkidul.kim.localhost:{port}"


@pytest.fixture
def member(portal, browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, portal, MEMBER, f"{community_url(portal)}/kelola/")
    page.wait_for_url(f"{community_url(portal)}/kelola/")
    yield page
    context.close()


def type_body(page, html: str) -> None:
    """Put `html` in the editor as if typed: the editor copies it to the form on input."""
    page.evaluate(
        """html => { const area = document.querySelector('.editor-area'); area.innerHTML = html;
                     area.dispatchEvent(new Event('input', {bubbles: true})); }""",
        html,
    )


def restore_offered(page) -> bool:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # autosave.js runs deferred, then decides
    return page.is_visible("#restore-banner")


BODIES = pytest.mark.parametrize("body", [BODY, PLAIN_BODY], ids=["lists-and-links", "plain-paragraphs"])


@BODIES
def test_a_saved_post_offers_no_restore(portal, member, body):
    member.goto(f"{community_url(portal)}/kelola/tulisan/baru/")
    member.fill("input[name=title]", f"Kerja bakti {len(body)}")
    type_body(member, body)
    member.click("button[name=action][value=save]")
    member.wait_for_url(re.compile(r".*/kelola/tulisan/\d+/$"))
    assert not restore_offered(member)

    type_body(member, body.replace("<p>", "<p>Ralat: ", 1))  # the second save edits the post
    member.click("button[name=action][value=save]")
    member.wait_for_load_state()

    assert "Tulisan disimpan" in member.inner_text(".messages")
    assert not restore_offered(member)
    member.reload()
    assert not restore_offered(member)


@BODIES
def test_a_form_error_offers_no_restore(portal, member, body):
    member.goto(f"{community_url(portal)}/kelola/tulisan/baru/")
    type_body(member, body)  # no title: the form comes back with an error
    member.click("button[name=action][value=save]")
    member.wait_for_load_state()

    assert "Judul wajib diisi" in member.inner_text("main")
    assert not restore_offered(member)
    assert "Paragraf kedua" in member.inner_text(".editor-area") or "situs kelurahan" in body


def test_a_copy_that_says_something_else_is_offered_back(portal, member):
    member.goto(f"{community_url(portal)}/kelola/tulisan/baru/")
    member.fill("input[name=title]", "Posyandu balita bulan ini")
    type_body(member, BODY)
    member.click("button[name=action][value=save]")
    member.wait_for_url(re.compile(r".*/kelola/tulisan/\d+/$"))
    # The device kept a copy with one more word in the list (its autosave never reached the server).
    key = "kim-draft:" + member.get_attribute("#post-form", "data-key")
    fields = member.evaluate("() => Object.fromEntries(new FormData(document.getElementById('post-form')))")
    fields["body"] = BODY.replace("selokan gang", "selokan gang belakang")
    copy = {"t": 1, "f": {k: v for k, v in fields.items() if isinstance(v, str)}, "d": ""}
    member.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(copy)])
    member.reload()

    assert restore_offered(member)
    member.click("[data-restore]")
    assert "selokan gang belakang" in member.inner_text(".editor-area")


def test_the_editor_shows_its_own_help(portal, member):
    member.goto(f"{community_url(portal)}/kelola/tulisan/baru/")

    assert member.is_visible("#body-editor-help")
    assert "Enter" in member.inner_text("#body-editor-help")
    assert not member.is_visible("text=Pisahkan paragraf dengan baris kosong")


# --- focus ring ---------------------------------------------------------------------------------

RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let node = el.parentElement, behind = 'rgb(255, 255, 255)';
  for (; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { behind = bg; break; }
  }
  return {what: el.outerHTML.slice(0, 80), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ring: style.outlineColor, behind};
}"""


def luminance(css: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_on_every_background(portal, member):
    seen = []
    for path in ("/", "/kelola/", "/kelola/tulisan/baru/"):
        member.goto(community_url(portal) + path)
        for _ in range(40):
            member.keyboard.press("Tab")
            ring = member.evaluate(RING)
            if ring["what"].startswith("<body"):
                break
            seen.append(ring)
    assert len(seen) > 30
    weak = [r for r in seen if r["style"] == "none" or r["width"] < 2 or contrast(r["ring"], r["behind"]) < 3]
    assert weak == []
    assert {r["behind"] for r in seen} >= {"rgb(255, 255, 255)", "rgb(11, 92, 173)"}  # page and header


# --- the editor's decision on a phone -----------------------------------------------------------


def test_an_editor_on_a_phone_reaches_the_decision_at_once(portal, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    main = f"http://kim.localhost:{portal}"
    sign_in(page, portal, EDITOR, f"{main}/moderasi/")
    page.wait_for_url(f"{main}/moderasi/")
    page.click(".mod-item h2 a")
    page.wait_for_load_state()

    bar = page.locator(".mod-sticky")
    for button in ("Setujui", "Minta perbaikan", "Tolak"):
        assert bar.get_by_text(button, exact=True).is_visible()
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= 740  # in the first screen, no scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-sticky-360.png"))
    bar.get_by_text("Tolak", exact=True).click()
    assert page.locator("#reject").evaluate("d => d.open")
    assert page.locator("#reject textarea, #reject input:not([type=hidden])").first.is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    assert not bar.is_visible()  # on a wide screen the decision sits beside the post
    context.close()


# --- the logo, on a phone -----------------------------------------------------------------------


def test_a_logo_shows_in_the_header_and_no_page_gets_wider_than_the_phone(portal, browser, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo-kim.png"
    Image.new("RGB", (800, 800), (20, 120, 60)).save(logo)
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    page = context.new_page()
    home = community_url(portal)
    sign_in(page, portal, "pengelola@kratonkidul.demo", f"{home}/kelola/komunitas/")
    page.wait_for_url(f"{home}/kelola/komunitas/")
    page.set_input_files("input[name=logo]", str(logo))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()

    for path in ("/kelola/komunitas/", "/", "/tentang/"):
        page.goto(home + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    header_logo = page.locator(".site-header img.kim-logo")
    assert header_logo.evaluate("img => img.complete && img.naturalWidth > 0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(home + "/")
    page.screenshot(path=str(ARTIFACTS / "community-home-logo-360.png"))
    context.close()


# --- offline: the member area as an app --------------------------------------------------------


def test_a_post_written_offline_is_sent_once_when_the_connection_returns(portal, member):
    page, context = member, member.context
    new_post = f"{community_url(portal)}/kelola/tulisan/baru/"
    title = "Ditulis di sawah tanpa sinyal"
    page.goto(new_post)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()  # now under the service worker, which keeps a copy of the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()  # the app opens without a connection
    assert page.is_visible("#post-form")
    page.fill("input[name=title]", title)
    type_body(page, PLAIN_BODY)
    page.click("button[name=action][value=save]")
    page.wait_for_selector("#outbox:not([hidden])")
    assert title in page.inner_text("#outbox")

    context.set_offline(False)
    page.wait_for_selector("#outbox", state="hidden", timeout=30_000)  # sent, and gone from the device
    page.goto(f"{community_url(portal)}/kelola/")
    assert page.locator(".post-row", has_text=title).count() == 1
    page.reload()  # a later visit sends nothing again
    page.wait_for_timeout(500)
    assert page.locator(".post-row", has_text=title).count() == 1
    page.locator(".post-row", has_text=title).get_by_role("link").first.click()
    assert "Paragraf kedua" in page.inner_text(".editor-area")  # nothing typed is lost


def test_the_member_area_is_installable(portal, member):
    page = member
    page.goto(f"{community_url(portal)}/kelola/")
    manifest_url = page.get_attribute("link[rel=manifest]", "href")
    manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)

    assert manifest["display"] == "standalone" and manifest["start_url"] == "/kelola/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert page.evaluate("src => fetch(src).then(r => r.ok)", icon["src"])
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{community_url(portal)}/kelola/"
    # Chromium's own installability check (what its install prompt uses), but for the test profile.
    page.reload()
    errors = page.context.new_cdp_session(page).send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    # Offline, the start page still opens (from the worker's copy).
    page.reload()
    page.context.set_offline(True)
    page.goto(f"{community_url(portal)}/kelola/")
    assert page.is_visible("h1")
    page.context.set_offline(False)
