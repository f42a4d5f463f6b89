"""One community on its own, for a KIM that leaves or moves: `community_export` writes a zip of its
profile, members and posts (JSON for machines, HTML for people, the photos' files), and
`community_import` brings such a zip into another portal as a new community.

The zip:
    community.json   profile, kabupaten/kota code, members, and every post: its working copy, its
                     status and, when live, the version readers see; photos by id
    index.html       the posts, linked to posts/<slug>.html (what readers saw, or the draft)
    photos/<id>/...  every rendition of every photo (withheld ones included)

Imported posts keep their status: what was published in the old portal is published in the new one
(an operator's move, not a new submission); taken-down and rejected posts' photos stay withheld.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import tenant_context

from communities import services as communities
from communities.models import PROFILE_FIELDS, Community, Membership, Regency
from communities.pages import pages_changed
from feed import services as feed
from posts import photos as post_photos
from posts.models import Photo, Post, PostRevision
from posts.snapshots import PostSnapshot, photo_snapshot, post_snapshot, video_snapshot

FORMAT = 1
HIDDEN_STATUSES = (Post.Status.TAKEN_DOWN, Post.Status.REJECTED)


def community_export(*, community: Community, path: Path) -> int:
    """Write the community's zip to `path`; returns how many posts it holds."""
    members = Membership.objects.filter(community=community).select_related("user").order_by("pk")
    data: dict[str, Any] = {
        "format": FORMAT,
        "community": {field: getattr(community, field) for field in PROFILE_FIELDS},
        "slug": community.slug,
        "regency": community.regency.code,
        "members": [{"email": m.user.email, "full_name": m.user.full_name, "role": m.role} for m in members],
        "posts": [],
    }
    with tenant_context(community), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        posts = Post.objects.select_related("author", "live_revision").order_by("created_at", "pk")
        for post in posts:
            ids = post_photos.post_photo_ids(post)
            photos = Photo.objects.filter(pk__in=ids).order_by("position", "pk")
            exported = [_photo_export(photo, community, archive) for photo in photos]
            live = post.live_revision.snapshot if post.live_revision else None
            entry: dict[str, Any] = {
                "author": {"email": post.author.email, "full_name": post.author.full_name},
                "status": post.status,
                "created_at": post.created_at.isoformat(),
                "published_at": post.published_at.isoformat() if post.published_at else None,
                "working_copy": _content(post_snapshot(post)),
                "live": _content(live) if live else None,
                "photos": exported,
                "photo_ids_of_post": sorted(post.photos.values_list("pk", flat=True)),
            }
            entry["page"] = f"posts/{post.slug}.html"
            data["posts"].append(entry)
            shown = entry["live"] or entry["working_copy"]
            files = {photo["id"]: photo["files"] for photo in exported}
            figures = [
                {"src": f"../{_medium(files[i])}", "caption": shown["captions"].get(str(i), "")}
                for i in shown["photo_ids"]
                if i in files
            ]
            page = render_to_string("moderation/export/post.html", {"post": shown, "figures": figures})
            archive.writestr(entry["page"], page)
        archive.writestr("community.json", json.dumps(data, indent=2, ensure_ascii=False))
        index = render_to_string(
            "moderation/export/index.html", {"community": data["community"], "posts": data["posts"]}
        )
        archive.writestr("index.html", index)
    return len(data["posts"])


def _medium(files: dict) -> str:
    """The photo's rendition pages show: 960 px wide, or the largest below it."""
    webp = sorted(files["webp"].items(), key=lambda item: int(item[0]))
    fitting = [path for width, path in webp if int(width) <= 960]
    return (fitting or [webp[0][1]])[-1]


def _content(snapshot: PostSnapshot | dict) -> dict:
    """A snapshot's content, with photos by id (their URLs belong to the old portal)."""
    video = snapshot.get("video")
    return {
        "title": snapshot["title"],
        "slug": snapshot["slug"],
        "body": snapshot["body"],
        "category": snapshot["category"],
        "tags": snapshot["tags"],
        "activity_date": snapshot["activity_date"],
        "activity_place": snapshot["activity_place"],
        "photo_ids": [photo["id"] for photo in snapshot["photos"]],
        "cover_id": snapshot["cover_id"],
        "captions": {str(photo["id"]): photo["caption"] for photo in snapshot["photos"]},
        "video_url": video["url"] if video else "",
    }


def _photo_export(photo: Photo, community: Community, archive: zipfile.ZipFile) -> dict:
    files: dict[str, Any] = {"webp": {}}
    for width, name in photo.renditions.get("webp", {}).items():
        files["webp"][width] = _file_export(photo, name, community, archive)
    if photo.renditions.get("jpeg"):
        files["jpeg"] = _file_export(photo, photo.renditions["jpeg"], community, archive)
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "position": photo.position,
        "width": photo.width,
        "height": photo.height,
        "hashes": [photo.phash, photo.phash_centre],
        "files": files,
    }


def _file_export(photo: Photo, name: str, community: Community, archive: zipfile.ZipFile) -> str:
    storage, stored = (
        (storages["withheld"], f"{community.schema_name}/{name}")
        if photo.withheld
        else (default_storage, name)
    )
    inside = f"photos/{photo.pk}/{Path(name).name}"
    with storage.open(stored, "rb") as content:
        archive.writestr(inside, content.read())
    return inside


def community_import(*, path: Path, slug: str | None = None, regency: Regency | None = None) -> Community:
    """Create a community from an exported zip, under its old subdomain and kabupaten/kota unless
    others are given."""
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("community.json"))
        if data.get("format") != FORMAT:
            raise ValueError("Not a community export of this portal.")
        regency = regency or Regency.objects.get(code=data["regency"])
        with transaction.atomic():
            community = communities.community_create(
                slug=slug or data["slug"], regency=regency, **data["community"]
            )
            for member in data["members"]:
                user = communities.user_get_or_create(email=member["email"], full_name=member["full_name"])
                communities.membership_set(user=user, community=community, role=member["role"])
            with tenant_context(community):
                for entry in data["posts"]:
                    _post_import(entry, community, archive)
            pages_changed(community)
    return community


def _post_import(entry: dict, community: Community, archive: zipfile.ZipFile) -> Post:
    author = communities.user_get_or_create(
        email=entry["author"]["email"], full_name=entry["author"]["full_name"]
    )
    working = entry["working_copy"]
    post = Post.objects.create(
        author=author,
        title=working["title"],
        slug=working["slug"] or slugify(working["title"])[:170] or "tulisan",
        body=working["body"],
        category=working["category"],
        activity_date=_date(working["activity_date"]),
        activity_place=working["activity_place"],
        video_url=working.get("video_url", ""),  # absent from exports made before videos
        status=entry["status"],
        published_at=datetime.fromisoformat(entry["published_at"]) if entry["published_at"] else None,
    )
    post.tags.set(working["tags"])
    of_post = set(entry["photo_ids_of_post"])
    new_ids = {}
    for photo in entry["photos"]:
        new_ids[photo["id"]] = _photo_import(photo, post if photo["id"] in of_post else None, author, archive)
    if working["cover_id"] in new_ids:
        post.cover_id = new_ids[working["cover_id"]]
        post.save(update_fields=["cover"])
    if entry["live"]:
        _publish(post, entry["live"], new_ids, community)
    if post.status in HIDDEN_STATUSES:
        post_photos.photos_withhold(ids=new_ids.values())
    return post


def _photo_import(photo: dict, post: Post | None, author, archive: zipfile.ZipFile) -> int:
    renditions: dict[str, Any] = {"webp": {}}
    folder = f"photos/{uuid.uuid4().hex}"
    for width, inside in photo["files"]["webp"].items():
        renditions["webp"][width] = default_storage.save(
            f"{folder}/{width}.webp", ContentFile(archive.read(inside))
        )
    if photo["files"].get("jpeg"):
        renditions["jpeg"] = default_storage.save(
            f"{folder}/og.jpg", ContentFile(archive.read(photo["files"]["jpeg"]))
        )
    phash, phash_centre = photo.get("hashes") or (None, None)  # None: an older export (backfill)
    created = Photo.objects.create(
        post=post,
        uploaded_by=author,
        caption=photo["caption"],
        position=photo["position"],
        width=photo["width"],
        height=photo["height"],
        renditions=renditions,
        phash=phash,
        phash_centre=phash_centre,
    )
    return created.pk


def _publish(post: Post, live: dict, new_ids: dict[int, int], community: Community) -> None:
    """The version readers saw, live again: a revision made from it, and its feed entry."""
    photos = {
        photo.pk: photo for photo in Photo.objects.filter(pk__in=[new_ids[i] for i in live["photo_ids"]])
    }
    photo_list = []
    for old_id in live["photo_ids"]:
        photo = photos[new_ids[old_id]]
        photo.caption = live["captions"].get(str(old_id), photo.caption)  # as readers saw it
        photo_list.append(photo_snapshot(photo))  # URLs in this portal's storage
    snapshot: PostSnapshot = {
        "title": live["title"],
        "slug": live["slug"],
        "body": live["body"],
        "category": live["category"],
        "tags": live["tags"],
        "activity_date": live["activity_date"],
        "activity_place": live["activity_place"],
        "photos": photo_list,
        "cover_id": new_ids.get(live["cover_id"]),
    }
    video = video_snapshot(live.get("video_url", ""))
    if video is not None:
        snapshot["video"] = video
    revision = PostRevision.objects.create(post=post, number=1, snapshot=snapshot)
    post.live_revision = revision
    post.save(update_fields=["live_revision"])
    published_at = post.published_at or timezone.now()
    feed.entry_publish(community=community, post_id=post.pk, snapshot=snapshot, published_at=published_at)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
