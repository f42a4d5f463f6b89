"""What changed between two snapshots of a post, for an editor reviewing a resubmission or an edit."""

import difflib
import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import strip_tags

from posts.snapshots import PhotoSnapshot, PostSnapshot

from .selectors import category_label, thumbnail

# Closing block tags and line breaks become paragraph breaks, so the diff keeps the text's shape.
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|div|figcaption|tr)>", re.IGNORECASE)
# A word with the spaces before it, or a paragraph break: changed words then read as whole phrases.
_TOKENS = re.compile(r"\n|[^\S\n]*\S+")
CONTEXT_WORDS = 12


def plain_text(html: str) -> str:
    """Paragraphs of plain text, one per line."""
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


def _shorten(tokens: list[str], *, keep_start: bool, keep_end: bool) -> str:
    """Long unchanged stretches keep only some words of context next to the changes."""
    words = [i for i, token in enumerate(tokens) if not token.isspace()]
    if len(words) <= 2 * CONTEXT_WORDS + 4:
        return "".join(tokens)
    head = "".join(tokens[: words[CONTEXT_WORDS - 1] + 1]) if keep_start else ""
    tail = "".join(tokens[words[-CONTEXT_WORDS] :]) if keep_end else ""
    head, tail = head.rstrip(" "), tail.lstrip(" ")
    return f"{head} … {tail}" if head and tail else (f"{head} …" if head else f"… {tail}")


def text_diff(old: str, new: str) -> list[Segment]:
    """A word-level diff of two plain texts, as segments to show with <del> and <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = _shorten(a[i1:i2], keep_start=index > 0, keep_end=index < len(opcodes) - 1)
            segments.append(Segment("equal", text))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


@dataclass
class SnapshotChanges:
    title: list[Segment] | None = None
    body: list[Segment] | None = None
    category: tuple[str, str] | None = None
    activity_date: tuple[str, str] | None = None
    activity_place: tuple[str, str] | None = None
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    photos_added: list[dict] = field(default_factory=list)
    photos_removed: list[dict] = field(default_factory=list)
    captions_changed: list[tuple[str, str]] = field(default_factory=list)
    cover_changed: bool = False
    video: tuple[str, str] | None = None  # the old and new links to watch it, "" for none

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _photo(photo: PhotoSnapshot) -> dict:
    return {"caption": photo["caption"], "thumb": thumbnail([photo], photo["id"])}


def _changed(old, new) -> tuple[str, str] | None:
    return (old or "", new or "") if (old or "") != (new or "") else None


def snapshot_changes(old: PostSnapshot, new: PostSnapshot) -> SnapshotChanges:
    changes = SnapshotChanges()
    if old["title"] != new["title"]:
        changes.title = text_diff(old["title"], new["title"])
    old_body, new_body = plain_text(old["body"]), plain_text(new["body"])
    if old_body != new_body:
        changes.body = text_diff(old_body, new_body)
    if old["category"] != new["category"]:
        changes.category = (category_label(old["category"]), category_label(new["category"]))
    changes.activity_date = _changed(old["activity_date"], new["activity_date"])
    changes.activity_place = _changed(old["activity_place"], new["activity_place"])
    old_tags, new_tags = set(old["tags"]), set(new["tags"])
    changes.tags_added, changes.tags_removed = sorted(new_tags - old_tags), sorted(old_tags - new_tags)
    old_photos = {p["id"]: p for p in old["photos"]}
    new_photos = {p["id"]: p for p in new["photos"]}
    changes.photos_added = [_photo(p) for pk, p in new_photos.items() if pk not in old_photos]
    changes.photos_removed = [_photo(p) for pk, p in old_photos.items() if pk not in new_photos]
    changes.captions_changed = [
        (old_photos[pk]["caption"], p["caption"])
        for pk, p in new_photos.items()
        if pk in old_photos and old_photos[pk]["caption"] != p["caption"]
    ]
    changes.cover_changed = bool(old_photos and new_photos) and old["cover_id"] != new["cover_id"]
    old_video, new_video = old.get("video"), new.get("video")
    changes.video = _changed(old_video and old_video["url"], new_video and new_video["url"])
    return changes
