"""The review screen's cue: published clarifications whose text the submission repeats."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import Submission
from notices import services
from notices.models import Notice
from tests.factories import make_post

HOAX = (
    "Beredar pesan berantai yang meminta warga mendaftar bantuan sosial Rp 2,5 juta melalui tautan "
    "dan mengisi kode OTP. Pesan itu tidak benar: pendaftaran bantuan sosial tidak meminta kode OTP."
)


def submission_of(world, title, body) -> Submission:
    post = make_post(world.community_a, world.member_a, title=title, body=f"<p>{body}</p>", submit=True)
    return Submission.objects.get(community=world.community_a, post_id=post.pk, state="pending")


def similar_on_review(client_for, world, submission) -> list[str]:
    response = client_for(user=world.editor_a).get(f"/moderasi/kiriman/{submission.pk}/")
    return [similar.notice.title for similar in response.context["similar_clarifications"]]


def test_a_submission_repeating_a_hoax_shows_its_clarification(world, client_for, notice):
    notice("Hoaks: bantuan sosial Rp 2,5 juta lewat tautan berantai", kind="klarifikasi", body=HOAX)
    notice("Lomba kampung bersih", body="Lomba kebersihan kampung untuk seluruh kelurahan.")
    repeat = submission_of(
        world,
        "Daftar bantuan sosial 2,5 juta di sini",
        "Warga yang ingin mendapat bantuan sosial silakan mendaftar lewat tautan berikut dan kirim kode OTP.",
    )

    assert similar_on_review(client_for, world, repeat) == [
        "Hoaks: bantuan sosial Rp 2,5 juta lewat tautan berantai"
    ]
    html = client_for(user=world.editor_a).get(f"/moderasi/kiriman/{repeat.pk}/").content.decode()
    assert "Klarifikasi hoaks yang mirip" in html and "Kata yang sama:" in html


def test_an_unrelated_submission_shows_none(world, client_for, notice):
    notice("Hoaks: bantuan sosial lewat tautan", kind="klarifikasi", body=HOAX)
    # It shares everyday words with the clarification (warga, pesan, isi, tidak, meminta, lewat),
    # not its topic: the roots of its title.
    unrelated = submission_of(
        world,
        "Posyandu balita bulan ini",
        "Kader meminta warga mengisi buku KIA. Pesan petugas lewat kader: imunisasi tidak dipungut biaya.",
    )

    assert similar_on_review(client_for, world, unrelated) == []
    assert (
        "Klarifikasi hoaks yang mirip"
        not in client_for(user=world.editor_a).get(f"/moderasi/kiriman/{unrelated.pk}/").content.decode()
    )


def test_withdrawn_clarifications_and_other_kinds_are_not_cues(world, client_for, notice):
    withdrawn = notice("Hoaks: bantuan sosial lewat tautan", kind="klarifikasi", body=HOAX)
    services.notice_withdraw(notice_id=withdrawn.pk, actor=world.province_admin, reason="Diganti")
    notice("Program bantuan sosial", kind="program", body=HOAX)
    repeat = submission_of(world, "Bantuan sosial lewat tautan", HOAX)

    assert similar_on_review(client_for, world, repeat) == []


def test_an_edited_clarification_is_matched_by_its_new_text(world, client_for, notice):
    answer = notice("Hoaks tentang air", kind=Notice.Kind.CLARIFICATION, body="Air sumur aman diminum.")
    repeat = submission_of(world, "Bantuan sosial lewat tautan", HOAX)
    assert similar_on_review(client_for, world, repeat) == []

    draft = services.NoticeDraft(
        kind=answer.kind,
        title="Hoaks: bantuan sosial lewat tautan",
        body=HOAX,
        link="",
        expires_on=answer.expires_on,
        province_id=answer.province_id,
        regency_id=None,
    )
    services.notice_update(notice_id=answer.pk, actor=world.province_admin, draft=draft)

    assert similar_on_review(client_for, world, repeat) == ["Hoaks: bantuan sosial lewat tautan"]


def test_the_cue_costs_the_same_however_many_clarifications(world, client_for, notice):
    repeat = submission_of(world, "Bantuan sosial lewat tautan", HOAX)

    def review_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client_for(user=world.editor_a).get(f"/moderasi/kiriman/{repeat.pk}/")
        return len(queries)

    notice("Hoaks: bantuan sosial lewat tautan", kind="klarifikasi", body=HOAX)
    few = review_queries()
    for n in range(30):
        notice(f"Hoaks ke-{n}: bantuan sosial lewat tautan", kind="klarifikasi", body=HOAX)

    assert review_queries() == few
    assert len(similar_on_review(client_for, world, repeat)) == 3  # at most three are shown
