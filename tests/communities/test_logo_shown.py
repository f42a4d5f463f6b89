"""The logo shows who the KIM is: in its header, on its home, and in the directory on the main site."""

import re

import pytest
from django_tenants.utils import tenant_context

from communities.models import Community

from .test_manage_profile import PROFILE, image_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def logo_url(world, client_for, django_capture_on_commit_callbacks) -> str:
    """Community A's admin sets a logo; its URL as the community's own pages compute it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.community_a, world.admin_a).post(
            "/kelola/komunitas/", {**PROFILE, "logo": image_upload("logo.png", fmt="PNG")}
        )
    assert response.status_code == 302
    community = Community.objects.get(pk=world.community_a.pk)
    with tenant_context(community):
        return community.logo.url


def images(page: str, url: str) -> list[str]:
    return re.findall(rf'<img class="kim-logo" src="{re.escape(url)}"[^>]*>', page)


def test_the_header_and_the_home_show_the_logo(world, client_for, logo_url):
    page = client_for(world.community_a).get("/").content.decode()

    header, profile = images(page, logo_url)
    assert 'width="32" height="32" alt=""' in header and "loading" not in header  # at the top: not lazy
    assert 'width="64" height="64" alt=""' in profile
    assert world.community_a.schema_name in logo_url  # the file in the community's own folder


def test_the_directory_shows_the_logo_computed_for_the_community(world, client_for, logo_url, publish):
    publish(world.community_a, world.member_a, "Kerja bakti")  # listed among the recently active
    main = client_for()
    regency = world.community_a.regency.slug

    for path in (f"/kabupaten/{regency}/komunitas/", f"/kabupaten/{regency}/", "/komunitas/?q=Bersatu"):
        # The regency page's cards show it too, smaller (tests/feed/test_card_logos.py).
        shown = [i for i in images(main.get(path).content.decode(), logo_url) if 'width="24"' not in i]
        assert len(shown) == 1, path
        assert 'width="40" height="40" alt="" loading="lazy"' in shown[0], path


def test_a_community_without_a_logo_shows_no_image(world, client_for):
    assert 'class="kim-logo"' not in client_for(world.community_a).get("/").content.decode()
