"""Photos on S3-compatible object storage: a local S3 server (moto) that the test starts itself."""

import re
import socket
from urllib.request import urlopen

import boto3
import pytest
from django_tenants.utils import tenant_context
from moto.server import ThreadedMotoServer

from moderation.models import Submission
from posts.models import PostRevision

from .conftest import form_data, upload

BUCKET = "kim-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server (moto in server mode) with an empty bucket: its http://host:port."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def object_storage(settings, s3_endpoint, monkeypatch):
    """Media settings as an operator sets them for an S3-compatible provider (README)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_CUSTOM_DOMAIN = f"{s3_endpoint.removeprefix('http://')}/{BUCKET}"
    settings.AWS_S3_URL_PROTOCOL = "http:"
    settings.AWS_DEFAULT_ACL = "public-read"  # this provider (like many) makes objects public by ACL
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "kimportal.storage.TenantS3Storage"}}
    return s3_endpoint


def test_a_photo_uploaded_by_a_member_is_served_from_its_public_url(
    world, client_for, object_storage, django_capture_on_commit_callbacks
):
    member = client_for(world.community_a, world.member_a)
    response = member.post("/kelola/tulisan/baru/simpan-kirim/", form_data(photos=[upload("sawah.jpg")]))
    assert response.status_code == 302
    submission = Submission.objects.get(community=world.community_a, state="pending")
    editor = client_for(None, world.editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"/moderasi/kiriman/{submission.pk}/setujui/").status_code == 302

    page = client_for(world.community_a).get("/berita/posyandu-balita-di-rw-05/")
    assert page.status_code == 200
    photo_url = re.search(r'<img[^>]+src="([^"]+)"', page.text).group(1)
    assert photo_url.startswith(f"{object_storage}/{BUCKET}/{world.community_a.schema_name}/photos/")
    assert "Signature" not in photo_url and "Expires" not in photo_url  # public: it never expires

    with urlopen(photo_url, timeout=10) as fetched:
        assert fetched.status == 200
        assert fetched.headers["Content-Type"] == "image/webp"
        assert "immutable" in fetched.headers["Cache-Control"]
        assert fetched.read(12)[8:12] == b"WEBP"

    # The published snapshot stored these URLs at approval; they are the ones pages keep showing.
    with tenant_context(world.community_a):
        snapshot = PostRevision.objects.get().snapshot
    stored = [url for photo in snapshot["photos"] for _width, url in photo["srcset"]]
    assert photo_url in stored
    for url in stored:
        with urlopen(url, timeout=10) as fetched:
            assert fetched.status == 200
