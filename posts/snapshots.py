"""The post snapshot: exactly what an editor reviews and, once approved, what the public reads.

Stored as JSON (PostRevision.snapshot, Submission.snapshot) and read by key in templates, so it is a
TypedDict: the shape is declared here once, `post_snapshot` is the only thing that makes one, and
every reader goes through these types. Media URLs are computed when it is made, in the community's
schema (the tenant file storage builds them per schema).
"""

from typing import Any, NotRequired, TypedDict

from django.core.files.storage import default_storage

from .models import Photo, Post
from .videos import Provider, Video, stored_video

# [width, url]: a list, not a tuple, as JSON gives it back: a snapshot made now must compare equal to
# the same snapshot read from the database (a double tap on "Kirim" is recognised that way).
Rendition = list[Any]


class PhotoSnapshot(TypedDict):
    id: int
    caption: str
    width: int
    height: int
    srcset: list[Rendition]  # narrowest first
    src: str  # the rendition pages show by default (960 px wide or the largest below it)
    og: str  # the JPEG for link previews (WhatsApp, Facebook), else `src`


class VideoSnapshot(TypedDict):
    provider: Provider
    id: str
    url: str  # the link to watch it on the provider's site (posts.videos.Video.url)
    start: int  # seconds


class PostSnapshot(TypedDict):
    title: str
    slug: str
    body: str  # sanitised HTML (posts.html)
    category: str
    tags: list[str]  # sorted names
    activity_date: str | None  # ISO date
    activity_place: str
    photos: list[PhotoSnapshot]  # in the author's order
    cover_id: int | None  # one of `photos`, or None when there are none
    # Only when there is one: a snapshot without a video is the same as one made before videos
    # existed, so posts waiting for review then do not look changed since.
    video: NotRequired[VideoSnapshot]
    # The notice it was written from (notices.Notice id). Only present when there is one, so the
    # snapshots of every other post compare equal to those made before the key existed.
    source_notice: NotRequired[int]


def photo_snapshot(photo: Photo) -> PhotoSnapshot:
    """A photo as pages show it."""
    webp = sorted((int(width), path) for width, path in photo.renditions.get("webp", {}).items())
    srcset: list[Rendition] = [[width, default_storage.url(path)] for width, path in webp]
    medium = next((url for width, url in srcset if width >= 960), srcset[-1][1] if srcset else "")
    jpeg = photo.renditions.get("jpeg")
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "width": photo.width,
        "height": photo.height,
        "srcset": srcset,
        "src": medium,
        "og": default_storage.url(jpeg) if jpeg else medium,
    }


def post_snapshot(post: Post) -> PostSnapshot:
    """The post as it stands now, photos in their order."""
    photos = [photo_snapshot(photo) for photo in post.photos.all()]
    snapshot: PostSnapshot = {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "category": post.category,
        "tags": sorted(post.tags.names()),
        "activity_date": post.activity_date.isoformat() if post.activity_date else None,
        "activity_place": post.activity_place,
        "photos": photos,
        "cover_id": post.cover_id or (photos[0]["id"] if photos else None),
    }
    video = video_snapshot(post.video_url)
    if video is not None:
        snapshot["video"] = video
    if post.source_notice_id:
        snapshot["source_notice"] = post.source_notice_id
    return snapshot


def video_snapshot(url: str) -> VideoSnapshot | None:
    """A stored video link as pages show it; None for none."""
    video = stored_video(url)
    if video is None:
        return None
    return {"provider": video.provider, "id": video.id, "url": video.url, "start": video.start}


def snapshot_video(video: VideoSnapshot) -> Video:
    """A snapshot's video, for posts.videos' players and stills."""
    return Video(video["provider"], video["id"], video["url"], video["start"])


def snapshot_cover(photos: list[PhotoSnapshot] | None, cover_id: int | None) -> PhotoSnapshot | None:
    """The snapshot photo that is the cover: the chosen one, else the first, else None."""
    photos = photos or []
    return next((p for p in photos if p["id"] == cover_id), photos[0] if photos else None)


def srcset(renditions: list[Rendition] | None) -> str:
    """A snapshot photo's renditions [[480, url], [960, url]] as 'url 480w, url 960w'."""
    return ", ".join(f"{url} {width}w" for width, url in renditions or [])
