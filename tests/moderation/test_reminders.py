"""The cron command: one digest per regency with overdue submissions, to that regency's editors."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from moderation.models import Submission


def make_overdue(*submissions, days: int = 3) -> None:
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )


def test_it_sends_one_digest_per_regency_with_overdue_submissions(world, submit, settings):
    settings.MODERATION_OVERDUE_HOURS = 48
    first = submit(world.community_a, title="Posyandu lansia")
    second = submit(world.community_a, title="Lomba kampung bersih & sehat")
    make_overdue(first, second)
    submit(world.community_b, title="Baru saja dikirim")

    call_command("moderation_remind_overdue", stdout=StringIO())

    (message,) = mail.outbox
    assert message.to == ["editor.a@example.id"]
    assert "2 kiriman dari Kota Pekalongan menunggu terlalu lama" in message.subject
    assert "Posyandu lansia" in message.body and "Lomba kampung bersih & sehat" in message.body
    assert "3\xa0hari" in message.body
    assert f"http://kim.localhost/moderasi/kiriman/{first.pk}/" in message.body
    assert "Baru saja dikirim" not in message.body


def test_each_regency_gets_its_own_digest(world, submit):
    make_overdue(submit(world.community_a), submit(world.community_b))

    call_command("moderation_remind_overdue", stdout=StringIO())

    assert sorted(m.to for m in mail.outbox) == [["editor.a@example.id"], ["editor.b@example.id"]]


def test_it_sends_nothing_when_nothing_is_overdue(world, submit):
    submit(world.community_a)
    decided = submit(world.community_b)
    make_overdue(decided)
    Submission.objects.filter(pk=decided.pk).update(state="approved", decided_at=timezone.now())

    call_command("moderation_remind_overdue", stdout=StringIO())

    assert mail.outbox == []
