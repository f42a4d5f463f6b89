"""Titles, tags, places and captions lose the characters nobody sees (bidi controls, zero-width)."""

import re

from posts.models import Post

from .conftest import form_data, upload

RLO, ZWSP, ZWJ, BOM, LRI, PDI = "\u202e", "\u200b", "\u200d", "\ufeff", "\u2066", "\u2069"


def test_a_post_keeps_only_the_visible_text(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    data = form_data(
        title=f"Laporan kegiatan {RLO}gnp.exe",
        tags=f"ba{ZWSP}tik, {BOM}umkm{LRI}{PDI}",
        activity_place=f"Balai{ZWJ} RW 05",
        body="<p>Keluarga 👨\u200d👩\u200d👧 hadir.</p>",
        photos=[upload("a.jpg")],
    )
    assert client.post("/kelola/tulisan/baru/", data).status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
        photo = post.photos.get()
    assert post.title == "Laporan kegiatan gnp.exe"
    assert post.slug == "laporan-kegiatan-gnpexe"
    assert sorted(post.tags.names()) == ["batik", "umkm"]
    assert post.activity_place == "Balai RW 05"
    assert "👨\u200d👩\u200d👧" in post.body, "the body keeps the joiners that make one emoji"

    page = client.get(f"/kelola/tulisan/{post.pk}/").content.decode()
    version = re.search(r'name="version" value="([0-9a-f]*)"', page).group(1)
    edit = {
        **form_data(title=post.title, version=version),
        f"caption_{photo.pk}": f"Warga{ZWSP} bekerja {RLO}",
        f"order_{photo.pk}": "1",
    }
    assert client.post(f"/kelola/tulisan/{post.pk}/", edit).status_code == 302
    with in_tenant(world.community_a):
        assert post.photos.get().caption == "Warga bekerja"


def test_a_title_of_invisible_characters_only_is_empty(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    response = client.post("/kelola/tulisan/baru/", form_data(title=f"{ZWSP}{RLO}{BOM}"))
    assert response.status_code == 200
    assert "Judul wajib diisi." in response.content.decode()
