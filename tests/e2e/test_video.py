"""A post's video in a real browser: the member pastes a share link, the editor approves, and a reader
on a phone gets a still picture; the player's frame appears only when they tap it, and the
Content-Security-Policy lets it in without a violation.

Uses test_main_flow's server (a fresh migrated and seeded database) and browser. There is no internet
here: YouTube's picture and player are answered by stand-ins (Playwright routes), after the browser
has checked them against the page's policy.
"""

import io

import pytest
from PIL import Image

from .test_main_flow import ARTIFACTS, CHROMIUM, sign_in

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists(),
    reason=f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`.",
)

VIDEO_ID = "dQw4w9WgXcQ"
PLAYER = f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1&rel=0&start=42"


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (60, 140, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_reader_taps_the_picture_and_gets_the_player(portal, browser):
    port = portal
    main = f"http://kim.localhost:{port}"
    community = f"http://kratonkidul.kim.localhost:{port}"
    title = "Senam sehat lansia di balai RW 05"

    member = browser.new_page(viewport={"width": 360, "height": 800}, locale="id-ID")
    sign_in(member, port, "anggota@kratonkidul.demo", f"{community}/kelola/tulisan/baru/")
    member.wait_for_url(f"{community}/kelola/tulisan/baru/")
    member.fill("input[name=title]", title)
    member.click(".editor-area")
    member.keyboard.type("Tiga puluh lansia ikut senam pagi bersama kader posyandu.")
    member.fill("input[name=activity_date]", "2026-11-21")
    member.select_option("select[name=category]", "kesehatan")
    member.fill("input[name=video_url]", f"https://youtu.be/{VIDEO_ID}?si=Qw3rTy&t=42")
    member.click("button[name=action][value=submit]")
    member.wait_for_url(f"{community}/kelola/")
    member.close()

    editor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    sign_in(editor, port, "editor@kotapekalongan.demo", f"{main}/moderasi/")
    editor.wait_for_url(f"{main}/moderasi/")
    editor.click(f"text={title}")
    assert editor.locator(".video-facade").count() == 1  # the editor sees the video being approved
    editor.click("button:has-text('Setujui dan tayangkan')")
    editor.wait_for_load_state()
    editor.close()

    phone = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID", has_touch=True)
    reader = phone.new_page()
    console: list[str] = []
    third_party: list[str] = []
    reader.on("console", lambda message: console.append(message.text))
    reader.on("request", lambda r: third_party.append(r.url) if "localhost" not in r.url else None)
    reader.route(
        "https://i.ytimg.com/**", lambda r: r.fulfill(content_type="image/jpeg", body=jpeg(480, 360))
    )
    reader.route(
        "https://www.youtube-nocookie.com/**",
        lambda r: r.fulfill(content_type="text/html", body="<!doctype html><title>pemutar</title>"),
    )
    reader.goto(f"{community}/")
    reader.click(f"text={title}")
    reader.wait_for_load_state("load")

    assert reader.locator("iframe").count() == 0
    assert all(url.startswith("https://i.ytimg.com/") for url in third_party), third_party
    facade = reader.locator(".video-facade")
    assert facade.get_attribute("role") == "button" and "Putar video YouTube" in facade.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "post-video-360.png"), full_page=True)

    # The policy is checked before the request: a frame it refused would never ask for the player.
    with reader.expect_request(PLAYER):
        facade.tap()

    frame = reader.locator("iframe.video-frame")
    assert frame.get_attribute("src") == PLAYER
    assert frame.get_attribute("title") == f"Video YouTube: {title}"
    assert reader.evaluate("document.activeElement.tagName") == "IFRAME"  # the keyboard follows
    reader.screenshot(path=str(ARTIFACTS / "post-video-playing-360.png"))
    phone.close()

    assert [text for text in console if "Content Security Policy" in text] == []
