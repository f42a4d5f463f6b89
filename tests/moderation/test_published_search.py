"""The console's search of published posts: an editor looking for earlier posts on the same event."""

import re


def test_an_editor_finds_earlier_posts_of_the_regency_by_any_form_of_their_words(
    world, client_for, published_entry
):
    published_entry(world.community_a, title="Penanaman mangrove di pesisir", body="<p>Bibit ditanam.</p>")
    published_entry(world.community_a, title="Lomba mewarnai", body="<p>Anak TK ikut.</p>")
    published_entry(world.community_b, title="Menanam pohon di Tembalang", body="<p>Bibit trembesi.</p>")
    editor = client_for(user=world.editor_a)

    html = editor.get("/moderasi/tayang/", {"q": "menanam bibit"}).content.decode()

    assert "Penanaman mangrove di pesisir" in html
    assert "Lomba mewarnai" not in html  # no match
    assert "Menanam pohon di Tembalang" not in html  # another editor's kabupaten/kota
    assert "<mark>ditanam</mark>" in html


def test_when_no_post_holds_every_word_those_holding_some_are_shown(world, client_for, published_entry):
    published_entry(world.community_a, title="Sedekah bumi Kraton Kidul", body="<p>Kirab gunungan.</p>")
    editor = client_for(user=world.editor_a)

    html = editor.get("/moderasi/tayang/", {"q": "kirab budaya 2026"}).content.decode()

    assert "Sedekah bumi Kraton Kidul" in html and "memuat sebagian" in html


def test_the_review_screen_links_to_a_search_for_its_title(world, client_for, submit, published_entry):
    published_entry(world.community_a, title="Kerja bakti membersihkan saluran air")
    waiting = submit(world.community_a, title="Kerja-bakti bersih saluran RW 03")
    editor = client_for(user=world.editor_a)

    review = editor.get(f"/moderasi/kiriman/{waiting.pk}/").content.decode()
    link = re.search(r'<a href="(/moderasi/tayang/\?q=[^"]+)">Cari tulisan tayang', review).group(1)
    html = editor.get(link.replace("&amp;", "&")).content.decode()

    assert "Kerja bakti membersihkan saluran air" in html


def test_odd_queries_answer_a_page(world, client_for, published_entry):
    published_entry(world.community_a, title="Posyandu balita")
    editor = client_for(user=world.editor_a)

    for query in ["yang di dan", '"', "-", "x" * 2000, "😀", "ꦲꦤꦕꦫꦏ", "a\x00b"]:
        response = editor.get("/moderasi/tayang/", {"q": query})
        assert response.status_code == 200, query
        assert "Tidak ada tulisan tayang yang cocok" in response.content.decode(), query
