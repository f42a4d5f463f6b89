"""Sending a post for review, sending it again, and withdrawing it: the public-schema Submission."""

import html

from django_tenants.utils import tenant_context

from moderation import services as moderation
from moderation.models import Submission
from posts.models import Post

from .conftest import form_data, upload


def create(client, **fields) -> int:
    """A new post made through the form; returns its id."""
    # the form's "send for review" button has its own address
    url = (
        "/kelola/tulisan/baru/simpan-kirim/" if fields.get("action") == "submit" else "/kelola/tulisan/baru/"
    )
    response = client.post(url, form_data(**fields))
    assert response.status_code == 302, response.content.decode()[:500]
    with tenant_context(response.wsgi_request.community):
        return Post.objects.order_by("-id").values_list("id", flat=True).first()


def submissions(world, post_id):
    return Submission.objects.filter(community=world.community_a, post_id=post_id).order_by("id")


def test_submitting_creates_a_pending_submission_with_the_snapshot(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, photos=[upload("a.jpg")])
    with in_tenant(world.community_a):
        photo = Post.objects.get(pk=post_id).photos.get()
        photo.caption = "Kader menimbang balita"
        photo.save()

    response = client.post(f"/kelola/tulisan/{post_id}/kirim/")

    assert response.status_code == 302 and response["Location"] == "/kelola/"
    submission = submissions(world, post_id).get()
    assert submission.state == Submission.State.PENDING
    assert submission.regency == world.regency_a and submission.author == world.member_a
    snapshot = submission.snapshot
    assert snapshot["title"] == "Posyandu balita di RW 05"
    assert snapshot["category"] == "kesehatan" and snapshot["tags"] == ["kesehatan", "posyandu"]
    assert snapshot["activity_date"] == "2026-11-20"
    [shot] = snapshot["photos"]
    assert shot["caption"] == "Kader menimbang balita"
    assert shot["src"].startswith("/media/kim_kratonkidul/photos/") and shot["src"].endswith(".webp")
    assert snapshot["cover_id"] == shot["id"]
    with in_tenant(world.community_a):
        post = Post.objects.get(pk=post_id)
        assert post.status == Post.Status.SUBMITTED
        assert post.revisions.get().snapshot == snapshot
    listing = html.unescape(client.get("/kelola/").content.decode())
    assert "Menunggu pemeriksaan" in listing and "Tarik kiriman" in listing


def test_the_form_can_save_and_submit_in_one_step(world, client_for):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post("/kelola/tulisan/baru/simpan-kirim/", form_data(action="submit"), follow=True)

    assert "Tulisan dikirim. Editor Diskominfo akan memeriksanya." in response.content.decode()
    assert Submission.objects.filter(community=world.community_a, state="pending").count() == 1


def test_an_incomplete_post_is_saved_but_not_submitted_and_says_what_is_missing(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/simpan-kirim/", form_data(action="submit", body="", category="")
    )

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Isi tulisan wajib diisi sebelum dikirim." in text
    assert "Pilih kategori sebelum dikirim." in text
    assert "Draf tersimpan, tetapi belum dapat dikirim." in text
    with in_tenant(world.community_a):
        post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert f'action="/kelola/tulisan/{post.pk}/"' in text  # the next save edits this draft
    assert not Submission.objects.exists()


def test_submitting_again_supersedes_the_waiting_version(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")

    edited = client.post(f"/kelola/tulisan/{post_id}/", form_data(title="Posyandu balita RW 05 (revisi)"))
    assert edited.status_code == 302
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post_id).status == Post.Status.SUBMITTED  # still with the editor
    client.post(f"/kelola/tulisan/{post_id}/kirim/")

    old, new = submissions(world, post_id)
    assert old.state == Submission.State.SUPERSEDED
    assert new.state == Submission.State.PENDING and new.revision_number == 2
    assert new.snapshot["title"] == "Posyandu balita RW 05 (revisi)"
    assert submissions(world, post_id).filter(state="pending").count() == 1


def test_withdrawing_takes_the_submission_back_and_the_post_to_draft(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")

    response = client.post(f"/kelola/tulisan/{post_id}/tarik/", follow=True)

    assert "Kiriman ditarik. Tulisan kembali menjadi draf." in response.content.decode()
    assert submissions(world, post_id).get().state == Submission.State.WITHDRAWN
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post_id).status == Post.Status.DRAFT


def test_withdrawing_a_draft_explains_why_not(world, client_for):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client)

    response = client.post(f"/kelola/tulisan/{post_id}/tarik/", follow=True)

    assert "sudah diperiksa editor dan tidak bisa ditarik" in html.unescape(response.content.decode())


def test_the_author_sees_the_editors_feedback_and_can_fix_and_resubmit(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")
    pending = submissions(world, post_id).get()
    moderation.submission_request_changes(
        submission_id=pending.pk, editor=world.editor_a, reason="Tambahkan nama kelurahan di judul."
    )

    listing = html.unescape(client.get("/kelola/").content.decode())
    assert "Perlu perbaikan" in listing and "Tambahkan nama kelurahan di judul." in listing
    assert "Tambahkan nama kelurahan di judul." in client.get(f"/kelola/tulisan/{post_id}/").content.decode()

    client.post(
        f"/kelola/tulisan/{post_id}/simpan-kirim/", form_data(title="Posyandu Kraton Kidul", action="submit")
    )

    assert submissions(world, post_id).last().state == Submission.State.PENDING
    assert submissions(world, post_id).last().snapshot["title"] == "Posyandu Kraton Kidul"


def test_editing_a_published_post_makes_a_draft_while_the_live_version_stays(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")
    moderation.submission_approve(submission_id=submissions(world, post_id).get().pk, editor=world.editor_a)
    with in_tenant(world.community_a):
        live = Post.objects.get(pk=post_id).live_revision_id
        slug = Post.objects.get(pk=post_id).slug

    response = client.post(f"/kelola/tulisan/{post_id}/", form_data(title="Judul baru"), follow=True)

    assert "Versi yang tayang tetap tampil sampai perubahan disetujui." in response.content.decode()
    with in_tenant(world.community_a):
        post = Post.objects.get(pk=post_id)
    assert post.status == Post.Status.DRAFT and post.live_revision_id == live
    assert post.slug == slug  # links to the live post keep working
    assert "Versi lama masih tayang" in client.get("/kelola/").content.decode()
    client.post(f"/kelola/tulisan/{post_id}/kirim/")
    assert submissions(world, post_id).last().is_edit_of_published


def test_a_rejected_post_can_no_longer_be_edited_or_submitted(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")
    moderation.submission_reject(
        submission_id=submissions(world, post_id).get().pk, editor=world.editor_a, reason="Hoaks."
    )

    edit = client.get(f"/kelola/tulisan/{post_id}/", follow=True)
    submit = client.post(f"/kelola/tulisan/{post_id}/kirim/", follow=True)

    assert "Tulisan yang ditolak tidak dapat diubah lagi." in edit.content.decode()
    assert "Tulisan yang ditolak tidak dapat dikirim lagi." in submit.content.decode()


def test_a_double_tap_on_send_queues_the_post_once(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client)

    client.post(f"/kelola/tulisan/{post_id}/kirim/")
    client.post(f"/kelola/tulisan/{post_id}/kirim/")

    assert [s.state for s in submissions(world, post_id)] == [Submission.State.PENDING]
    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post_id).revisions.count() == 1


def test_changes_saved_while_waiting_stay_a_draft_when_the_sent_version_is_approved(
    world, client_for, in_tenant
):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit", title="Posyandu balita")
    client.post(
        f"/kelola/tulisan/{post_id}/", form_data(title="Posyandu balita", body="Kader menimbang 45 balita.")
    )
    waiting = submissions(world, post_id).get(state="pending")

    moderation.submission_approve(submission_id=waiting.pk, editor=world.editor_a)

    listed = client.get("/kelola/").content.decode()
    with in_tenant(world.community_a):
        post = Post.objects.select_related("live_revision").get(pk=post_id)
    assert post.is_live and post.status == Post.Status.DRAFT  # live, with changes still to send
    assert "45 balita" not in post.live_revision.snapshot["body"]
    assert "Versi lama masih tayang" in listed


def test_an_approval_of_what_the_author_has_publishes_it_plainly(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    post_id = create(client, action="submit")

    moderation.submission_approve(submission_id=submissions(world, post_id).get().pk, editor=world.editor_a)

    with in_tenant(world.community_a):
        assert Post.objects.get(pk=post_id).status == Post.Status.PUBLISHED
