"""Every URL pattern of both hosts answers with the CSP, and every page that depends on who is signed
in with `Cache-Control: private, no-store`; public pages stay cacheable."""

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import tenant_context

from accounts.models import User
from communities import services as community_services
from communities.models import Membership
from feed.models import FeedEntry
from moderation.models import Submission
from posts.models import Category
from tests.conftest import PASSWORD
from tests.factories import make_post

HOST_URLCONFS = {"main": settings.PUBLIC_SCHEMA_URLCONF, "community": settings.ROOT_URLCONF}
# Answers that are the same whoever asks: machine-readable, or before any session is read.
SHARED_ANSWERS = re.compile(r"(rss|atom|sitemap\.xml|robots\.txt|healthz|bahasa|media)")


@dataclass(frozen=True)
class Route:
    host: str  # "main" or "community"
    name: str
    regex: str  # the full pattern, for filling its parameters


def routes(host: str) -> list[Route]:
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            regex = prefix + pattern.pattern.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                walk(pattern.url_patterns, regex, inner.strip(":"))
            else:
                assert isinstance(pattern, URLPattern)
                found.append(Route(host, f"{namespace}:{pattern.name}".strip(":"), regex))

    walk(get_resolver(HOST_URLCONFS[host]).url_patterns, "", "")
    return found


def fill(regex: str, values: dict[str, str]) -> str:
    """The path of a pattern with each named group replaced by a sample value."""

    def value(match: re.Match) -> str:
        return values.get(match.group(1), "1")

    path = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", value, regex)
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)  # admin's optional groups
    return "/" + path.replace("\\", "")


@pytest.fixture
def samples(world, publish):
    """A value for every URL parameter, each naming something the persona asking may see."""
    post = publish(world.community_a, world.member_a, "Panen raya di Kraton Kidul", tags=["panen"])
    pending = make_post(world.community_a, world.member_a, title="Posyandu balita", submit=True)
    entry = FeedEntry.objects.get(community=world.community_a, post_id=post.pk)
    invitation = community_services.invitation_create(
        community=world.community_a, invited_by=world.admin_a, role="member"
    )
    superuser = User.objects.create_superuser(email="root@example.id", password=PASSWORD, full_name="Root")
    with tenant_context(world.community_a):
        post_slug = post.slug
    return {
        "slug_main": world.regency_a.slug,
        "province_slug": world.province.slug,
        "category": Category.KEGIATAN,
        "tag": "panen",
        "token": invitation.token,
        "uidb64": urlsafe_base64_encode(force_bytes(world.outsider.pk)),
        "reset_token": default_token_generator.make_token(world.outsider),
        "code": "id",
        "submission_id": str(Submission.objects.get(post_id=pending.pk).pk),
        "entry_id": str(entry.pk),
        "community_id": str(world.community_a.pk),
        "post_id": str(post.pk),
        "membership_id": str(Membership.objects.get(user=world.member_a).pk),
        "invitation_id": str(invitation.pk),
        "slug_community": post_slug,
        "app_label": "accounts",
        # None such: deleting a user in the admin fails on the tenant tables (a bug of its own).
        "object_id": "999999",
        "path": "tidak-ada.jpg",
        "superuser": superuser,
    }


def values_for(route: Route, samples: dict) -> dict[str, str]:
    values = {k: v for k, v in samples.items() if isinstance(v, str)}
    values["slug"] = samples["slug_community"] if route.host == "community" else samples["slug_main"]
    if route.name.startswith("province"):
        values["slug"] = samples["province_slug"]
    if route.name == "accounts:password_reset_confirm":
        values["token"] = samples["reset_token"]
    return values


def persona_for(route: Route, world, samples):
    """Who may open the page: the editor for the console, the admin for management, ..."""
    if route.name.startswith("admin"):
        return samples["superuser"]
    if route.name.startswith("moderation"):
        return world.editor_a
    if route.name.startswith("community_manage"):
        return world.admin_a
    if route.host == "community":
        return world.member_a
    return world.outsider


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


ALL_ROUTES = routes("main") + routes("community")
# Pages the audit found cacheable although they show a signed-in person's data: must answer 200 here.
PRIVATE_PAGES = {
    "posts:list",
    "posts:create",
    "posts:edit",
    "posts:preview",
    "community_manage:profile",
    "community_manage:members",
    "community_manage:invitations",
    "moderation:queue",
    "moderation:review",
    "moderation:published",
    "moderation:reports",
    "accounts:password_change",
}


def test_it_walks_every_pattern():
    names = {route.name for route in ALL_ROUTES}
    assert names >= PRIVATE_PAGES
    assert len(ALL_ROUTES) > 60  # both hosts' pages and the admin's


def test_it_sends_csp_everywhere_and_no_store_when_signed_in(world, samples, client_for):
    private_seen = set()
    for route in ALL_ROUTES:
        community = world.community_a if route.host == "community" else None
        path = fill(route.regex, values_for(route, samples))
        user = persona_for(route, world, samples)
        for client in (client_for(community), client_for(community, user)):
            # Error pages need the headers too (the admin's taggit pages fail on the main domain).
            client.raise_request_exception = False
            response = client.get(path)
            label = f"{route.name} {path} ({'signed in' if client.cookies else 'anonymous'})"
            csp = response.get("Content-Security-Policy", "")
            assert "default-src 'none'" in csp and "script-src 'self';" in csp, label
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, label
            assert "frame-ancestors 'none'" in csp, label
            assert "camera=()" in response.get("Permissions-Policy", ""), label
            if client.cookies and response.status_code == 200 and is_html(response):
                assert no_store(response), label
                private_seen.add(route.name)
            if not client.cookies and response.status_code == 200 and SHARED_ANSWERS.search(path):
                assert not no_store(response), label
    assert private_seen >= PRIVATE_PAGES


@pytest.mark.parametrize(
    "path", ["/", "/komunitas/", "/cari/?q=panen", "/kabupaten/kota-pekalongan/", "/tag/panen/"]
)
def test_it_lets_anonymous_public_pages_be_cached(world, publish, main_client, path):
    publish(world.community_a, world.member_a, "Panen raya di Kraton Kidul", tags=["panen"])
    for _first_then_cached in range(2):
        response = main_client.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
        assert "Content-Security-Policy" in response


def test_it_keeps_forms_bound_to_a_browser_out_of_shared_caches(main_client):
    for name in ("masuk", "kata-sandi/lupa"):
        response = main_client.get(f"/akun/{name}/")
        assert response.status_code == 200
        assert no_store(response), name


def test_it_does_not_cache_a_public_page_for_a_signed_in_reader(world, client_for):
    response = client_for(None, world.member_a).get("/")
    assert response.status_code == 200
    assert no_store(response)
    assert world.member_a.get_short_name() in response.content.decode()


def production_settings(*names: str) -> dict:
    """The settings as a deploy over https gets them (settings.py read in a fresh interpreter)."""
    code = f"import json, kimportal.settings as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    env = {**os.environ, "SITE_SCHEME": "https", "DEBUG": "0", "SECRET_KEY": "x", "HSTS_SECONDS": ""}
    del env["HSTS_SECONDS"]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_it_meets_the_observatory_rules_over_https(settings, world, client_for):
    """Mozilla Observatory's A+ rules, checked offline: HSTS of at least six months on every
    subdomain, nosniff, a referrer policy, no framing, and cookies Secure, HttpOnly and SameSite."""
    production = production_settings(
        "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"
    )
    assert production["SECURE_SSL_REDIRECT"]
    del production["SECURE_SSL_REDIRECT"]  # the test client's request is https already
    for name, value in production.items():
        setattr(settings, name, value)
    response = client_for(None).post(
        "/akun/masuk/", {"username": world.member_a.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 15_768_000 and "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies, "signing in sets the session cookie"
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", cookie.key
