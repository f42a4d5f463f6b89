"""Video links in posts: which YouTube and Facebook addresses are one video, and their normal form.

A member pastes whatever the app's Share button gave them (youtu.be/<id>?si=…, m.youtube.com,
shorts, live, fb.watch, web.facebook.com…). `parse_video_url` reads it into a `Video` and refuses
anything else with a message naming what is accepted. The stored form (`Video.url`) is rebuilt from
the parts checked here, never copied from the input, so nothing a member typed reaches a page or a
player URL except an id of a known shape.

Readers get a still picture with a play button; the player (`embed_url`) loads only when tapped, from
youtube-nocookie.com or facebook.com, the hosts kimportal.security allows in frame-src.
"""

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Provider = Literal["youtube", "facebook"]

# Where players and YouTube's stills come from (kimportal/security.py allows exactly these).
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"
FACEBOOK_PLAYER = "https://www.facebook.com"
YOUTUBE_STILLS = "https://i.ytimg.com"
# YouTube's largest still here (hqdefault.jpg) is always this size, the video letterboxed to 4:3.
STILL_WIDTH, STILL_HEIGHT = 480, 360

MAX_INPUT_LENGTH = 2000  # share links carry tracking parameters; the stored form is short

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTU_BE_HOSTS = {"youtu.be", "www.youtu.be"}
_FACEBOOK_HOSTS = {
    "facebook.com",
    "www.facebook.com",
    "m.facebook.com",
    "web.facebook.com",  # what Facebook in a phone browser shows in Indonesia
    "mbasic.facebook.com",
    "touch.facebook.com",
    "fb.com",
    "www.fb.com",
}
_FB_WATCH_HOSTS = {"fb.watch", "www.fb.watch"}

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"/(?:shorts|live|embed|v|e)/([A-Za-z0-9_-]{11})/?")
_NUMERIC_ID = re.compile(r"[0-9]{1,25}")
_SHORT_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_PAGE_NAME = re.compile(r"[A-Za-z0-9._-]{1,80}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URL_IN_TEXT = re.compile(r"https?://\S+", re.IGNORECASE)
_START = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")

NOT_A_VIDEO = _(
    "Tautan ini bukan video YouTube atau Facebook. Tempel tautan satu video, misalnya "
    "https://www.youtube.com/watch?v=…, https://youtu.be/…, https://www.facebook.com/…/videos/… "
    "atau https://fb.watch/…"
)
YOUTUBE_NOT_A_VIDEO = _(
    "Tautan ini menuju halaman YouTube, bukan satu video (misalnya kanal atau daftar putar). "
    "Buka videonya, tekan Bagikan, lalu salin tautannya."
)
FACEBOOK_NOT_A_VIDEO = _(
    "Tautan ini menuju halaman Facebook, bukan satu video. Buka videonya, tekan Bagikan, lalu Salin tautan."
)


@dataclass(frozen=True)
class Video:
    provider: Provider
    id: str  # YouTube's 11-character id; Facebook's numeric id, or the code of a short link
    url: str  # where to watch it on the provider's site: the stored, normal form
    start: int = 0  # seconds into the video (YouTube's t=)


def parse_video_url(text: str) -> Video:
    """The video a pasted link points at; ValidationError (with the reason) if it is not one."""
    url = _one_url(text)
    if url is None:
        raise ValidationError(NOT_A_VIDEO, code="not_a_video")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValidationError(NOT_A_VIDEO, code="not_a_video") from None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("http", "https") or parts.username is not None or parts.password is not None:
        raise ValidationError(NOT_A_VIDEO, code="not_a_video")
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS or host in _YOUTU_BE_HOSTS:
        video = _youtube(host, parts.path, query, parts.fragment)
        if video is None:
            raise ValidationError(YOUTUBE_NOT_A_VIDEO, code="youtube_not_a_video")
        return video
    if host in _FACEBOOK_HOSTS or host in _FB_WATCH_HOSTS:
        video = _facebook(host, parts.path, query)
        if video is None:
            raise ValidationError(FACEBOOK_NOT_A_VIDEO, code="facebook_not_a_video")
        return video
    raise ValidationError(NOT_A_VIDEO, code="not_a_video")


def stored_video(url: str) -> Video | None:
    """The video of a stored link (a Video.url), None for none."""
    try:
        return parse_video_url(url) if url else None
    except ValidationError:
        return None  # stored under rules since tightened: shown as no video rather than a broken one


def _one_url(text: str) -> str | None:
    """The link in what was pasted: the text itself, or the one link in a shared message
    ("Tonton video ini https://youtu.be/…"); https:// is added to a link typed without it."""
    text = (text or "").strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        return None
    if any(character.isspace() for character in text):
        found = _URL_IN_TEXT.findall(text)
        if len(found) != 1:
            return None
        text = found[0]
    if text.startswith("//"):
        return "https:" + text
    if not _SCHEME.match(text) or re.match(r"^[\w.-]+:\d", text):  # "youtu.be/…", "host:port/…"
        return "https://" + text
    return text


def _youtube(host: str, path: str, query: dict[str, list[str]], fragment: str) -> Video | None:
    if host in _YOUTU_BE_HOSTS:
        found = re.fullmatch(r"/([A-Za-z0-9_-]{11})/?", path)
        video_id = found.group(1) if found else None
    elif path.rstrip("/") == "/watch":
        video_id = _first(query, "v")
        video_id = video_id if video_id and _YOUTUBE_ID.fullmatch(video_id) else None
    else:
        found = _YOUTUBE_PATH.fullmatch(path)
        video_id = found.group(1) if found else None
    if video_id is None or video_id == "videoseries":  # /embed/videoseries?list=…: a playlist
        return None
    start = _start_seconds(_first(query, "t") or _first(query, "start") or _fragment_t(fragment))
    url = f"https://www.youtube.com/watch?v={video_id}" + (f"&t={start}s" if start else "")
    return Video("youtube", video_id, url, start)


def _facebook(host: str, path: str, query: dict[str, list[str]]) -> Video | None:
    segments = [segment for segment in path.split("/") if segment]
    if host in _FB_WATCH_HOSTS:
        if len(segments) == 1 and _SHORT_CODE.fullmatch(segments[0]):
            return Video("facebook", segments[0], f"https://fb.watch/{segments[0]}/")
        return None
    if segments[:1] in (["watch"], ["video.php"]) or segments[:2] == ["watch", "live"]:
        video_id = _first(query, "v")
        if video_id and _NUMERIC_ID.fullmatch(video_id):
            return Video("facebook", video_id, f"https://www.facebook.com/watch/?v={video_id}")
        return None
    if len(segments) == 2 and segments[0] == "reel" and _NUMERIC_ID.fullmatch(segments[1]):
        return Video("facebook", segments[1], f"https://www.facebook.com/reel/{segments[1]}/")
    if len(segments) == 3 and segments[:2] in (["share", "v"], ["share", "r"]):
        code = segments[2]
        if _SHORT_CODE.fullmatch(code):
            return Video("facebook", code, f"https://www.facebook.com/share/{segments[1]}/{code}/")
        return None
    # /<page>/videos/<id>/, and the older /<page>/videos/<title or vb.NNN>/<id>/
    page, video_id = segments[0] if segments else "", segments[-1] if segments else ""
    if (
        3 <= len(segments) <= 4
        and segments[1] == "videos"
        and _PAGE_NAME.fullmatch(page)
        and page not in ("watch", "share", "groups")
        and _NUMERIC_ID.fullmatch(video_id)
    ):
        return Video("facebook", video_id, f"https://www.facebook.com/{page}/videos/{video_id}/")
    return None


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _fragment_t(fragment: str) -> str | None:
    found = re.fullmatch(r"t=(\w+)", fragment)
    return found.group(1) if found else None


def _start_seconds(value: str | None) -> int:
    """YouTube's t= ("90", "90s", "1m30s", "1h2m3s") in seconds; 0 when absent or unreadable."""
    found = _START.fullmatch(value or "")
    if not found:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def embed_url(video: Video) -> str:
    """The player, started as the reader taps (they chose to play it)."""
    if video.provider == "youtube":
        start = f"&start={video.start}" if video.start else ""
        return f"{YOUTUBE_PLAYER}/embed/{video.id}?autoplay=1&rel=0{start}"
    return (
        f"{FACEBOOK_PLAYER}/plugins/video.php?href={quote(video.url, safe='')}&show_text=false&autoplay=true"
    )


def still_srcset(video: Video) -> list[tuple[int, str]]:
    """YouTube's pictures of the video ([width, url], narrowest first); Facebook publishes none."""
    if video.provider != "youtube":
        return []
    base = f"{YOUTUBE_STILLS}/vi/{video.id}"
    return [(320, f"{base}/mqdefault.jpg"), (STILL_WIDTH, f"{base}/hqdefault.jpg")]


def still_url(video: Video) -> str:
    """The largest still: what the page shows first and link previews (og:image) use; "" for none."""
    stills = still_srcset(video)
    return stills[-1][1] if stills else ""
