"""Writing a post in the member area, from the outside: the form, photos, saving, preview."""

import re

from posts.models import Photo, Post

from .conftest import form_data, image_bytes, upload


def test_it_creates_a_draft_with_photos(world, client_for, in_tenant, media_in_tmp):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/", form_data(photos=[upload("a.jpg"), upload("b.png", content=None)])
    )

    assert response.status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
        assert response["Location"] == f"/kelola/tulisan/{post.pk}/"
        assert post.author == world.member_a
        assert post.status == Post.Status.DRAFT
        assert post.slug == "posyandu-balita-di-rw-05"
        assert post.body == (
            "<p>Kader posyandu menimbang 40 balita.</p><p>Warga juga mendapat penyuluhan gizi.</p>"
        )
        assert sorted(post.tags.names()) == ["kesehatan", "posyandu"]
        photos = list(post.photos.all())
    assert len(photos) == 2
    assert [p.position for p in photos] == [1, 2]
    paths = photos[0].renditions
    assert paths["jpeg"].endswith("/og.jpg") and paths["jpeg"].startswith("photos/")
    assert set(paths["webp"]) == {"480"}
    assert (media_in_tmp / world.community_a.schema_name / paths["webp"]["480"]).exists()


def new_post_with_photos(world, client, in_tenant, count=3) -> tuple[Post, list[Photo]]:
    files = [upload(f"f{i}.jpg") for i in range(count)]
    assert client.post("/kelola/tulisan/baru/", form_data(photos=files)).status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
        return post, list(post.photos.all())


def photo_fields(photos, **per_photo) -> dict:
    data = {}
    for photo in photos:
        data[f"caption_{photo.pk}"] = photo.caption
        data[f"order_{photo.pk}"] = photo.position
    data.update(per_photo)
    return data


def test_the_new_post_form_renders_for_a_member(world, client_for):
    response = client_for(world.community_a, user=world.member_a).get("/kelola/tulisan/baru/")

    text = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in text and 'action="/kelola/tulisan/baru/"' in text
    assert 'data-autosave-url="/kelola/tulisan/baru/simpan-otomatis/"' in text
    assert 'name="photos"' in text and "multiple" in text
    assert '<textarea name="body"' in text and "Kesehatan" in text
    assert "/static/js/editor.js" in text and "/static/js/autosave.js" in text
    assert "JPG, PNG, WebP, atau HEIC (foto iPhone)." in text  # pi-heif is a dependency: iPhones' own format


def test_captions_order_cover_and_removal_are_saved(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post, (first, second, third) = new_post_with_photos(world, client, in_tenant)

    data = form_data(cover=third.pk)
    data.update(photo_fields([first, second, third]))
    data.update(
        {
            f"caption_{third.pk}": "Kader menimbang balita",
            f"order_{third.pk}": 1,
            f"order_{first.pk}": 2,
            f"remove_{second.pk}": "on",
        }
    )
    response = client.post(f"/kelola/tulisan/{post.pk}/", data)

    assert response.status_code == 302
    with in_tenant(world.community_a):
        post.refresh_from_db()
        photos = list(post.photos.all())
        assert not Photo.objects.filter(pk=second.pk).exists()  # never in a revision: deleted
    assert photos == [third, first]
    assert [p.position for p in photos] == [1, 2] and photos[0].caption == "Kader menimbang balita"
    assert post.cover_id == third.pk


def test_a_removed_photo_that_a_revision_shows_is_only_detached(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post, (photo,) = new_post_with_photos(world, client, in_tenant, count=1)
    client.post(f"/kelola/tulisan/{post.pk}/kirim/")

    data = form_data()
    data.update(photo_fields([photo], **{f"remove_{photo.pk}": "on"}))
    client.post(f"/kelola/tulisan/{post.pk}/", data)

    with in_tenant(world.community_a):
        photo.refresh_from_db()
    assert photo.post is None  # the waiting submission still shows it


def test_photos_uploaded_with_an_invalid_form_attach_on_the_next_save(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    failed = client.post("/kelola/tulisan/baru/", form_data(title="", photos=[upload("a.jpg")]))
    with in_tenant(world.community_a):
        waiting = Photo.objects.get()
    assert f'name="pending_photos" value="{waiting.pk}"' in failed.content.decode()

    data = form_data(pending_photos=str(waiting.pk), **{f"caption_{waiting.pk}": "Timbang balita"})
    assert client.post("/kelola/tulisan/baru/", data).status_code == 302

    with in_tenant(world.community_a):
        waiting.refresh_from_db()
        assert waiting.post == Post.objects.get()
    assert waiting.caption == "Timbang balita"


def test_another_users_photo_ids_are_ignored(world, client_for, in_tenant):
    admins = client_for(world.community_a, user=world.admin_a)
    admins.post("/kelola/tulisan/baru/", form_data(title="", photos=[upload("b.jpg")]))
    with in_tenant(world.community_a):
        theirs = Photo.objects.get()

    client = client_for(world.community_a, user=world.member_a)
    response = client.post("/kelola/tulisan/baru/", form_data(pending_photos=str(theirs.pk)))

    assert response.status_code == 302
    with in_tenant(world.community_a):
        theirs.refresh_from_db()
        assert theirs.post is None and not Post.objects.get().photos.exists()


def test_the_preview_shows_the_post_as_readers_will(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post, photos = new_post_with_photos(world, client, in_tenant, count=2)
    with in_tenant(world.community_a):
        Photo.objects.filter(pk=photos[1].pk).update(caption="Penyuluhan gizi")

    response = client.get(f"/kelola/tulisan/{post.pk}/pratinjau/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Posyandu balita di RW 05</h1>" in text
    assert '<time datetime="2026-11-20">20 November 2026</time>' in text
    assert "Balai RW 05 Kraton Kidul" in text and "Kesehatan" in text
    assert "<p>Kader posyandu menimbang 40 balita.</p>" in text
    assert '<li><a href="/tag/kesehatan/" rel="tag">#kesehatan</a></li>' in text
    assert text.count("<img ") == 2 and text.count('loading="lazy"') == 1  # the cover loads at once
    assert 'srcset="/media/kim_kratonkidul/photos/' in text and " 480w" in text
    assert 'sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)"' in text
    assert 'width="800" height="600"' in text
    assert "<figcaption>Penyuluhan gizi</figcaption>" in text and 'alt="Penyuluhan gizi"' in text
    assert f'action="/kelola/tulisan/{post.pk}/kirim/"' in text


def test_the_preview_lists_what_is_missing_before_submitting(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/", form_data(body="", category=""))
    with in_tenant(world.community_a):
        post = Post.objects.get()

    text = client.get(f"/kelola/tulisan/{post.pk}/pratinjau/").content.decode()

    assert "Isi tulisan wajib diisi sebelum dikirim." in text
    assert f"/kelola/tulisan/{post.pk}/kirim/" not in text


def test_deleting_a_draft_asks_first_then_removes_it_and_its_photos(
    world, client_for, in_tenant, media_in_tmp
):
    client = client_for(world.community_a, user=world.member_a)
    post, (photo,) = new_post_with_photos(world, client, in_tenant, count=1)

    confirm = client.get(f"/kelola/tulisan/{post.pk}/hapus/")
    assert "Hapus draf?" in confirm.content.decode()
    with in_tenant(world.community_a):
        assert Post.objects.exists()

    response = client.post(f"/kelola/tulisan/{post.pk}/hapus/", follow=True)

    assert "Draf dihapus." in response.content.decode()
    with in_tenant(world.community_a):
        assert not Post.objects.exists() and not Photo.objects.exists()


def test_a_submitted_post_cannot_be_deleted(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/simpan-kirim/", form_data(action="submit"))
    with in_tenant(world.community_a):
        post = Post.objects.get()

    response = client.post(f"/kelola/tulisan/{post.pk}/hapus/", follow=True)

    assert "Hanya draf yang belum pernah tayang yang dapat dihapus." in response.content.decode()
    with in_tenant(world.community_a):
        assert Post.objects.filter(pk=post.pk).exists()


def test_the_slug_follows_the_title_until_the_first_submit(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/", form_data(title="Judul pertama"))
    with in_tenant(world.community_a):
        post = Post.objects.get()
    client.post(f"/kelola/tulisan/{post.pk}/simpan-kirim/", form_data(title="Judul kedua", action="submit"))
    client.post(f"/kelola/tulisan/{post.pk}/", form_data(title="Judul ketiga"))

    with in_tenant(world.community_a):
        post.refresh_from_db()
    assert post.title == "Judul ketiga" and post.slug == "judul-kedua"


def test_a_portrait_photo_has_a_thumbnail_in_the_form(world, client_for):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/",
        form_data(photos=[upload("tegak.jpg", image_bytes(size=(600, 800)))]),
        follow=True,
    )

    [src] = re.findall(r'<div class="photo-row">\s*<img src="([^"]*)"', response.content.decode())
    assert src.endswith("/360.webp")  # 360x480: the longest side is the 480


def test_a_wrong_photo_order_is_marked_next_to_the_photo(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/", form_data(photos=[upload()]))
    with in_tenant(world.community_a):
        post = Post.objects.get()
        photo = post.photos.get()

    response = client.post(f"/kelola/tulisan/{post.pk}/", form_data(**{f"order_{photo.pk}": "0"}))

    html = response.content.decode()
    assert '<div class="photo-row has-error">' in html
    assert "Urutan: Pastikan nilai ini lebih besar dari atau sama dengan 1." in html


def test_only_a_draft_that_never_went_live_offers_its_delete_link(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/", form_data())
    with in_tenant(world.community_a):
        post = Post.objects.get()

    assert (
        f'href="/kelola/tulisan/{post.pk}/hapus/"'
        in client.get(f"/kelola/tulisan/{post.pk}/").content.decode()
    )
