"""Autosave: a new post's first autosave makes its draft; later ones update it, leniently."""

import re

from moderation import services as moderation
from moderation.models import Submission
from posts.models import Photo, Post
from tests.factories import make_post

from .conftest import form_data, upload

NEW = "/kelola/tulisan/baru/simpan-otomatis/"


def test_the_first_autosave_creates_a_draft_and_returns_its_urls(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(NEW, {"title": "", "body": "Baru mulai menulis", "tags": "batik"})

    data = response.json()
    assert response.status_code == 200 and data["saved"] is True
    with in_tenant(world.community_a):
        post = Post.objects.get()
        assert post.title == "" and post.body == "<p>Baru mulai menulis</p>"
        assert list(post.tags.names()) == ["batik"]
    assert post.status == Post.Status.DRAFT and post.author == world.member_a
    assert data["id"] == post.pk
    assert data["edit_url"] == f"/kelola/tulisan/{post.pk}/"
    assert data["autosave_url"] == f"/kelola/tulisan/{post.pk}/simpan-otomatis/"


def test_an_empty_new_form_creates_nothing(world, client_for, in_tenant):
    response = client_for(world.community_a, user=world.member_a).post(NEW, {"title": " ", "body": ""})

    assert response.json() == {"saved": False}
    with in_tenant(world.community_a):
        assert not Post.objects.exists()


def test_autosave_updates_the_draft_and_skips_invalid_fields(world, client_for, in_tenant):
    post = make_post(world.community_a, world.member_a, title="Judul awal")
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        f"/kelola/tulisan/{post.pk}/simpan-otomatis/",
        {"title": "x" * 200, "body": "Isi baru", "tags": ",".join(f"t{i}" for i in range(20))},
    )

    data = response.json()
    assert data["saved"] is True and set(data["skipped"]) == {"title", "tags"}
    with in_tenant(world.community_a):
        post.refresh_from_db()
    assert post.title == "Judul awal" and post.body == "<p>Isi baru</p>"


def test_autosave_never_changes_a_submitted_or_published_status(world, client_for, in_tenant):
    waiting = make_post(world.community_a, world.member_a, title="Menunggu", submit=True)
    live = make_post(world.community_a, world.member_a, title="Tayang", submit=True)
    submission = Submission.objects.get(community=world.community_a, post_id=live.pk)
    moderation.submission_approve(submission_id=submission.pk, editor=world.editor_a)
    client = client_for(world.community_a, user=world.member_a)

    for post in (waiting, live):
        response = client.post(f"/kelola/tulisan/{post.pk}/simpan-otomatis/", {"title": "", "body": "Ubah"})
        assert response.json()["saved"] is True

    with in_tenant(world.community_a):
        waiting.refresh_from_db()
        live.refresh_from_db()
    assert waiting.status == Post.Status.SUBMITTED and waiting.body == "<p>Ubah</p>"
    assert live.status == Post.Status.PUBLISHED and live.live_revision_id is not None
    assert Submission.objects.get(community=world.community_a, post_id=waiting.pk).state == "pending"


def test_autosave_attaches_only_the_authors_own_uploads(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    failed = client.post("/kelola/tulisan/baru/", {"title": "", "photos": [upload("a.jpg")]})
    assert failed.status_code == 200  # no title: the photo waits, unattached
    admins = client_for(world.community_a, user=world.admin_a)
    admins.post("/kelola/tulisan/baru/", {"title": "", "photos": [upload("b.jpg")]})
    with in_tenant(world.community_a):
        mine = Photo.objects.get(uploaded_by=world.member_a)
        theirs = Photo.objects.get(uploaded_by=world.admin_a)

    response = client.post(NEW, {"title": "Foto dulu", "pending_photos": f"{mine.pk},{theirs.pk}"})

    assert response.json()["saved"] is True
    with in_tenant(world.community_a):
        post = Post.objects.get()
        assert list(post.photos.all()) == [mine]
        theirs.refresh_from_db()
    assert theirs.post is None


def test_autosave_does_not_remove_photos(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post("/kelola/tulisan/baru/", {"title": "Dengan foto", "photos": [upload()], "action": "save"})
    with in_tenant(world.community_a):
        post = Post.objects.get()
        photo = post.photos.get()

    client.post(
        f"/kelola/tulisan/{post.pk}/simpan-otomatis/", {"title": "Dengan foto", f"remove_{photo.pk}": "on"}
    )

    with in_tenant(world.community_a):
        assert post.photos.count() == 1


def test_autosave_answers_409_for_a_rejected_post(world, client_for):
    post = make_post(world.community_a, world.member_a, submit=True)
    submission = Submission.objects.get(community=world.community_a, post_id=post.pk)
    moderation.submission_reject(submission_id=submission.pk, editor=world.editor_a, reason="Hoaks.")

    response = client_for(world.community_a, user=world.member_a).post(
        f"/kelola/tulisan/{post.pk}/simpan-otomatis/", {"title": "x"}
    )

    assert response.status_code == 409 and response.json()["saved"] is False


def test_autosave_only_accepts_post(world, client_for):
    assert client_for(world.community_a, user=world.member_a).get(NEW).status_code == 405


def draft_token(client) -> str:
    html = client.get("/kelola/tulisan/baru/").content.decode()
    return re.search(r'name="draft" value="([0-9a-f]{32})"', html)[1]


def test_a_first_save_sent_again_keeps_one_draft(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    token = draft_token(client)

    first = client.post(NEW, {"draft": token, "title": "Posyandu balita", "body": "Kader menimbang"})
    # its answer never reached the phone, so the page still autosaves, then sends, as a new post
    again = client.post(
        NEW, {"draft": token, "title": "Posyandu balita", "body": "Kader menimbang 40 balita"}
    )
    sent = client.post(
        "/kelola/tulisan/baru/simpan-kirim/", form_data(draft=token, title="Posyandu balita", action="submit")
    )

    assert first.json()["id"] == again.json()["id"]
    assert sent.status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
    assert post.pk == first.json()["id"] and post.status == Post.Status.SUBMITTED
    assert Submission.objects.filter(community=world.community_a, post_id=post.pk).count() == 1


def test_two_new_posts_written_side_by_side_stay_two(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    client.post(NEW, {"draft": draft_token(client), "title": "Tulisan pertama", "body": "Satu"})
    client.post(NEW, {"draft": draft_token(client), "title": "Tulisan kedua", "body": "Dua"})

    with in_tenant(world.community_a):
        assert sorted(Post.objects.values_list("title", flat=True)) == ["Tulisan kedua", "Tulisan pertama"]


def test_an_old_copy_of_the_new_post_form_starts_a_new_post(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    token = draft_token(client)
    client.post(NEW, {"draft": token, "title": "Tulisan A", "body": "Satu"})
    client.post(
        "/kelola/tulisan/baru/simpan-kirim/", form_data(draft=token, title="Tulisan A", action="submit")
    )

    # the Back button brings the old form, with its token, back; the member writes another post
    client.post(NEW, {"draft": token, "title": "Tulisan B", "body": "Dua"})

    with in_tenant(world.community_a):
        posts = dict(Post.objects.values_list("title", "status"))
    assert posts == {"Tulisan A": Post.Status.SUBMITTED, "Tulisan B": Post.Status.DRAFT}


def test_a_draft_token_never_reaches_a_post_that_was_sent(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    token = draft_token(client)
    first = client.post(NEW, {"draft": token, "title": "Tulisan A", "body": "Satu"}).json()
    client.post(
        first["edit_url"] + "simpan-kirim/", form_data(title="Tulisan A", action="submit")
    )  # sent from its own page

    client.post(NEW, {"draft": token, "title": "Tulisan B", "body": "Dua"})

    with in_tenant(world.community_a):
        posts = dict(Post.objects.values_list("title", "status"))
    assert posts == {"Tulisan A": Post.Status.SUBMITTED, "Tulisan B": Post.Status.DRAFT}


def test_a_draft_token_names_only_its_own_authors_draft(world, client_for, in_tenant):
    author = client_for(world.community_a, user=world.member_a)
    token = draft_token(author)
    made = author.post(NEW, {"draft": token, "title": "Milik anggota", "body": "Satu"}).json()
    other = client_for(world.community_a, user=world.admin_a)
    session = other.session  # as if this browser had made that draft
    session["new_post_drafts"] = {f"{world.community_a.schema_name}:{token}": made["id"]}
    session.save()

    other.post(NEW, {"draft": token, "title": "Milik pengelola", "body": "Dua"})

    with in_tenant(world.community_a):
        assert sorted(Post.objects.values_list("title", flat=True)) == ["Milik anggota", "Milik pengelola"]


def version_in(html: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]*)"', html).group(1)


def test_a_stale_tab_does_not_write_over_a_newer_save(world, client_for, in_tenant):
    post = make_post(world.community_a, world.member_a, title="Posyandu balita", body="<p>Versi pertama.</p>")
    phone = client_for(world.community_a, user=world.member_a)
    laptop = client_for(world.community_a, user=world.member_a)
    opened_on_phone = version_in(phone.get(f"/kelola/tulisan/{post.pk}/").content.decode())
    on_laptop = version_in(laptop.get(f"/kelola/tulisan/{post.pk}/").content.decode())
    laptop.post(
        f"/kelola/tulisan/{post.pk}/",
        form_data(title="Posyandu balita", body="Versi panjang dari laptop.", version=on_laptop),
    )

    autosave = phone.post(
        f"/kelola/tulisan/{post.pk}/simpan-otomatis/",
        form_data(body="Versi pertama!", version=opened_on_phone),
    )
    saved = phone.post(
        f"/kelola/tulisan/{post.pk}/", form_data(body="Versi pertama!", version=opened_on_phone)
    )

    assert autosave.status_code == 409 and autosave.json()["conflict"] is True
    assert "sudah diubah di tab atau perangkat lain" in autosave.json()["error"]
    html = saved.content.decode()
    assert saved.status_code == 200  # the form again, with what the phone sent
    assert "sudah diubah di tab atau perangkat lain" in html and "Versi pertama!" in html
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post.pk).body == "<p>Versi panjang dari laptop.</p>"
    # Sent again from that page, it now replaces the laptop's version on purpose.
    again = phone.post(
        f"/kelola/tulisan/{post.pk}/", form_data(body="Versi pertama!", version=version_in(html))
    )
    assert again.status_code == 302
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post.pk).body == "<p>Versi pertama!</p>"


def test_autosaves_from_one_page_follow_their_own_versions(world, client_for, in_tenant):
    post = make_post(world.community_a, world.member_a, title="Kerja bakti")
    client = client_for(world.community_a, user=world.member_a)
    version = version_in(client.get(f"/kelola/tulisan/{post.pk}/").content.decode())

    for text in ("Satu", "Satu dua", "Satu dua tiga"):
        answer = client.post(
            f"/kelola/tulisan/{post.pk}/simpan-otomatis/", {"body": text, "version": version}
        )
        assert answer.status_code == 200, answer.json()
        version = answer.json()["version"]

    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post.pk).body == "<p>Satu dua tiga</p>"


def test_an_editors_decision_is_no_conflict_for_an_open_form(world, client_for, in_tenant):
    post = make_post(world.community_a, world.member_a, title="Menunggu editor", submit=True)
    client = client_for(world.community_a, user=world.member_a)
    version = version_in(client.get(f"/kelola/tulisan/{post.pk}/").content.decode())
    submission = Submission.objects.get(community=world.community_a, post_id=post.pk)
    moderation.submission_approve(submission_id=submission.pk, editor=world.editor_a)

    answer = client.post(
        f"/kelola/tulisan/{post.pk}/simpan-otomatis/", {"body": "Tambahan", "version": version}
    )

    assert answer.status_code == 200 and answer.json()["saved"] is True


def test_a_new_post_form_once_saved_is_listed_for_the_devices_copy_to_go(world, client_for):
    client = client_for(world.community_a, user=world.member_a)
    token = re.search(
        r'name="draft" value="(\w+)"', client.get("/kelola/tulisan/baru/").content.decode()
    ).group(1)

    client.post("/kelola/tulisan/baru/", form_data(title="Dikirim lewat koneksi lemah", draft=token))
    html = client.get("/kelola/tulisan/baru/").content.decode()

    assert f'data-saved-drafts="{token}"' in html
    assert re.search(r'name="draft" value="(\w+)"', html).group(1) != token


def test_a_pages_own_lost_autosave_answer_is_no_conflict(world, client_for, in_tenant):
    post = make_post(world.community_a, world.member_a, title="Kerja bakti")
    phone = client_for(world.community_a, user=world.member_a)
    html = phone.get(f"/kelola/tulisan/{post.pk}/").content.decode()
    opened, page = version_in(html), re.search(r'name="page" value="(\w+)"', html).group(1)
    url = f"/kelola/tulisan/{post.pk}/simpan-otomatis/"

    first = phone.post(url, {"body": "Satu", "version": opened, "page": page})  # its answer never arrives
    again = phone.post(url, {"body": "Satu dua", "version": opened, "page": page})
    other_tab = phone.post(url, {"body": "Dari tab lain", "version": opened, "page": "f" * 32})

    assert first.status_code == 200 and again.status_code == 200
    assert other_tab.status_code == 409
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post.pk).body == "<p>Satu dua</p>"
