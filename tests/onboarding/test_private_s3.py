"""Decree files on S3-compatible object storage (PRIVATE_STORAGE=s3): private, read through the view."""

import boto3
import pytest

from communities.models import RegistrationRequest
from tests.posts.test_object_storage import BUCKET, s3_endpoint  # noqa: F401  (a fixture)

from .conftest import REGISTER, form


@pytest.fixture
def private_s3(settings, s3_endpoint, monkeypatch):  # noqa: F811  (the imported fixture)
    """The "private" storage as settings.py makes it with PRIVATE_STORAGE=s3; a boto3 client."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_DEFAULT_ACL = "public-read"  # what the public media use; decrees must not inherit it
    settings.STORAGES = {**settings.STORAGES, "private": settings.PRIVATE_S3_STORAGE}  # PRIVATE_STORAGE=s3
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_a_decree_goes_to_the_bucket_privately_and_reaches_its_reviewer(world, client_for, private_s3):
    client_for(user=world.outsider).post(
        REGISTER, form(world, contact_email=world.outsider.email, password1=None, password2=None)
    )
    registration = RegistrationRequest.objects.get()
    key = f"private/{registration.decree_path}"

    grants = private_s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    assert private_s3.head_object(Bucket=BUCKET, Key=key)["CacheControl"] == "private, no-store"
    response = client_for(user=world.editor_a).get(f"/moderasi/pendaftaran/{registration.public_id}/sk/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
