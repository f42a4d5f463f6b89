"""Registration decisions racing on real connections (see tests/moderation/test_concurrency.py)."""

import pytest
from django.db import connection

from communities import registrations
from communities.models import Community, RegistrationEvent, RegistrationRequest
from kimportal.errors import ActionRefused
from moderation import registrations as decisions
from tests.moderation.test_concurrency import run_together

from .conftest import make_registration

SLUG = "sapuroraces"


@pytest.fixture
def raced(committed_world):
    yield committed_world
    # committed_world empties every table after this; the new community's schema would stay.
    connection.set_schema_to_public()
    Community.objects.filter(slug=SLUG).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS kim_{SLUG} CASCADE")


def test_two_reviewers_at_once_make_one_decision_and_one_community(raced):
    registration = make_registration(raced, slug=SLUG)

    results = run_together(
        lambda: decisions.registration_approve(registration_id=registration.pk, reviewer=raced.editor_a),
        lambda: decisions.registration_approve(
            registration_id=registration.pk, reviewer=raced.province_admin
        ),
    )

    refused = [r for r in results if isinstance(r, ActionRefused)]
    approved = [r for r in results if isinstance(r, RegistrationRequest)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert "sudah tidak menunggu pemeriksaan" in refused[0].message
    assert Community.objects.filter(slug=SLUG).count() == 1
    assert RegistrationEvent.objects.filter(request=registration, action="approved").count() == 1


def test_approve_while_the_applicant_withdraws_gives_one_outcome(raced):
    registration = make_registration(raced, slug=SLUG)

    results = run_together(
        lambda: decisions.registration_approve(registration_id=registration.pk, reviewer=raced.editor_a),
        lambda: registrations.registration_withdraw(registration=registration, actor=raced.outsider),
    )

    errors = [r for r in results if isinstance(r, ActionRefused)]
    assert len(errors) == 1, results
    registration.refresh_from_db()
    if registration.state == "approved":
        assert Community.objects.filter(slug=SLUG).exists() and "tidak dapat ditarik" in errors[0].message
    else:
        assert registration.state == "withdrawn" and not Community.objects.filter(slug=SLUG).exists()
        assert "sudah tidak menunggu pemeriksaan" in errors[0].message
