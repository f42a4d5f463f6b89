"""Official notices in a real browser: the province admin publishes one for Kota Pekalongan, it
shows on KIM Kraton Kidul's home and not on a Kota Semarang KIM's, a Kraton Kidul member writes a
post from it, the editor approves it, and the notice's page lists Kraton Kidul. Screenshots at
360 px and 1280 px land in test-artifacts/."""

import re

from .test_main_flow import ARTIFACTS, photo_file, shoot, sign_in


def test_a_notice_reaches_the_kim_sites_of_its_kota_and_comes_back_as_a_post(portal, browser, tmp_path):
    port = portal
    main = f"http://kim.localhost:{port}"
    kraton = f"http://kratonkidul.kim.localhost:{port}"
    tembalang = f"http://tembalang.kim.localhost:{port}"
    title = "Pemeriksaan kesehatan gratis di puskesmas se-Kota Pekalongan"
    ARTIFACTS.mkdir(exist_ok=True)

    admin = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    sign_in(admin, port, "admin@jatengprov.demo", f"{main}/moderasi/info/baru/")
    admin.wait_for_url(f"{main}/moderasi/info/baru/")
    admin.check("input[name=kind][value=program]")
    admin.select_option("select[name=target]", label="Kota Pekalongan")
    admin.fill("input[name=title]", title)
    admin.fill(
        "textarea[name=body]",
        "Setiap Sabtu bulan ini puskesmas memeriksa tekanan darah dan gula darah warga tanpa biaya.\n\n"
        "Bawa KTP atau kartu keluarga.",
    )
    admin.set_input_files("input[name=photo]", str(photo_file(tmp_path)))
    admin.click("form.notice-form button[type=submit]")
    admin.wait_for_url(re.compile(rf"{re.escape(main)}/moderasi/info/\d+/$"))
    assert "kini tampil di situs KIM Kota Pekalongan" in admin.inner_text("main")
    admin.screenshot(path=str(ARTIFACTS / "notice-console-1280.png"), full_page=True)
    admin.close()

    assert title in shoot(browser, f"{kraton}/", "notice-kraton-kidul-home")
    assert title not in shoot(browser, f"{tembalang}/", "notice-tembalang-home")

    member = browser.new_page(viewport={"width": 360, "height": 800}, locale="id-ID")
    sign_in(member, port, "anggota@kratonkidul.demo", f"{kraton}/")
    member.wait_for_url(f"{kraton}/")
    member.locator(".notice", has_text=title).get_by_role("link", name="Tulis dari info ini").click()
    member.wait_for_url(re.compile(r".*/kelola/tulisan/baru/\?info=\d+$"))
    assert member.input_value("input[name=title]") == title
    assert "Ditulis dari info Diskominfo Provinsi Jawa Tengah" in member.inner_text("main")
    post_title = "Warga Kraton Kidul antre pemeriksaan kesehatan gratis"
    member.fill("input[name=title]", post_title)
    member.click(".editor-area")
    member.keyboard.type("Sabtu pagi 35 warga RW 05 memeriksakan tekanan darah di puskesmas.")
    member.fill("input[name=activity_date]", "2026-11-21")
    member.select_option("select[name=category]", "kesehatan")
    member.screenshot(path=str(ARTIFACTS / "notice-write-from-360.png"), full_page=True)
    member.click("button[name=action][value=submit]")
    member.wait_for_url(f"{kraton}/kelola/")
    assert "Menunggu pemeriksaan" in member.inner_text("main")
    member.close()

    editor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    sign_in(editor, port, "editor@kotapekalongan.demo", f"{main}/moderasi/")
    editor.wait_for_url(f"{main}/moderasi/")
    editor.click(f"text={post_title}")
    assert f"Sumber: Diskominfo Provinsi Jawa Tengah · {title}" in editor.inner_text("main")
    editor.screenshot(path=str(ARTIFACTS / "notice-review-1280.png"), full_page=True)
    editor.click("button:has-text('Setujui dan tayangkan')")
    editor.wait_for_load_state()
    editor.close()

    reader = browser.new_page(viewport={"width": 360, "height": 800}, locale="id-ID")
    reader.goto(f"{kraton}/")
    reader.click(f"text={post_title}")
    assert f"Sumber: Diskominfo Provinsi Jawa Tengah · {title}" in reader.inner_text("main")
    reader.click(f"a:has-text('{title}')")  # the source line leads to the notice's page
    notice_url = reader.url
    reader.close()
    text = shoot(browser, notice_url, "notice-page")
    carried = text.split("KIM yang membagikan", 1)[1]
    assert "KIM Kraton Kidul" in carried and post_title in carried
