"""The member area on a community's subdomain (/kelola/): writing, previewing and sending posts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from communities.requests import MemberRequest
from kimportal.db import connection
from kimportal.errors import ActionRefused
from kimportal.pagination import PAGE_PARAM
from notices.models import Notice
from notices.selectors import notice_for_community, notice_source

from . import selectors, services
from .access import get_post_for_member, member_area
from .forms import PostForm
from .images import MAX_UPLOAD_BYTES, PhotoRejected
from .models import Post
from .photos import MAX_PHOTOS_PER_POST, photos_add
from .photos import photo_upload as store_uploaded_photo
from .snapshots import post_snapshot

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


PAGE_SIZE = 30


@member_area
def post_list(request: MemberRequest) -> HttpResponse:
    posts = selectors.posts_for_member(request.user, request.membership)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    rows = [
        {
            "post": post,
            "own": post.author_id == request.user.pk,
            "editable": post.status in services.EDITABLE,
            "withdrawable": post.status == Post.Status.SUBMITTED,
            "deletable": services.post_deletable(post),
        }
        for post in page
    ]
    return render(request, "posts/post_list.html", {"page": page, "rows": rows, "page_param": PAGE_PARAM})


@never_cache  # each visit gets a fresh draft token (see _draft_started)
@member_area
@require_http_methods(["GET", "POST"])
def post_create(request: MemberRequest) -> HttpResponse:
    # A new post's form may already have made its draft (an autosave whose answer was lost on a
    # weak connection): then this saves into that draft instead of starting a second one.
    return _post_form(request, _draft_started(request) if request.method == "POST" else None)


@never_cache  # the Back button must not bring back a form based on an older version
@member_area
@require_http_methods(["GET", "POST"])
def post_edit(request: MemberRequest, post_id: int) -> HttpResponse:
    return _existing_post_form(request, post_id, then=None)


# What to do with a post once its form is saved; it may refuse with ValidationError (the form
# shows what is missing) or ActionRefused (the author is told why).
AfterSave = Callable[[MemberRequest, Post], HttpResponse]


def post_form_save(request: MemberRequest, post_id: int | None, *, then: AfterSave) -> HttpResponse:
    """Save the posted form as post_create and post_edit do, then hand the saved post to `then`:
    how a higher layer adds a step to the form (moderation's "save and send for review").

    Preconditions: a POST, in the member area (`member_area` has run).
    """
    if post_id is None:
        return _post_form(request, _draft_started(request), then=then)
    return _existing_post_form(request, post_id, then=then)


def _existing_post_form(request: MemberRequest, post_id: int, *, then: AfterSave | None) -> HttpResponse:
    post = get_post_for_member(request, post_id, for_edit=True)
    if post.status not in services.EDITABLE:
        messages.error(request, _("Tulisan yang ditolak tidak dapat diubah lagi."))
        return redirect("posts:list")
    return _post_form(request, post, then=then)


def _post_form(request: MemberRequest, post: Post | None, *, then: AfterSave | None = None) -> HttpResponse:
    if request.method != "POST":
        form = PostForm(
            post=post, photos=list(post.photos.all()) if post else [], source=_source_notice(request, post)
        )
        return _render_form(request, form, post, version=services.post_version(post))
    form, pending, upload_errors = _bound_form(request, post)
    version = request.POST.get("version", "")
    if form.is_valid() and not upload_errors:
        try:
            post = services.post_update(
                post=post,
                actor=request.user,
                changes=form.changes(attach=pending),
                based_on=_known_versions(request),
            )
            _draft_forget(request)
        except ValidationError as error:
            form.add_error(None, error)
        except services.EditConflict as conflict:
            # Nothing typed here is lost: the form comes back as sent, now based on the newer version,
            # so saving it again replaces that version on purpose.
            form.add_error(None, conflict.message)
            form.add_error(
                None, _("Periksa isian di bawah, lalu simpan lagi untuk menggantinya dengan isian ini.")
            )
            version = services.post_version(post)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("posts:list")
        else:
            return _after_save(request, post, form, then)
    for message in upload_errors:
        form.add_error("photos", message)
    return _render_form(request, form, post, version=version)


def _bound_form(request: MemberRequest, post: Post | None) -> tuple[PostForm, list, list[StrOrPromise]]:
    """The posted form, with this request's valid uploads already stored (unattached) and listed.

    Files are processed even when the rest of the form is wrong, so no chosen photo is lost.
    """
    attached = list(post.photos.all()) if post else []
    pending = _pending_photos(request)
    kept = [photo for photo in attached + pending if not request.POST.get(f"remove_{photo.pk}")]
    upload = photos_add(
        uploader=request.user, files=request.FILES.getlist("photos"), room=MAX_PHOTOS_PER_POST - len(kept)
    )
    pending += upload.photos
    form = PostForm(request.POST, post=post, photos=attached + pending, source=_source_notice(request, post))
    return form, pending, upload.errors


def _source_notice(request: MemberRequest, post: Post | None, *, warn: bool = True) -> Notice | None:
    """The notice the post is written from: the post's own, fixed once set; for a new post, the one
    its link named ("Tulis dari info ini": ?info=<id>), then its form's hidden field. Only a notice
    showing now in this community's area; another is dropped, and the member told (`warn`)."""
    if post is not None:
        return notice_source(post.source_notice_id)
    raw = request.POST.get("source_notice", "") if request.method == "POST" else request.GET.get("info", "")
    if not raw:
        return None
    notice = notice_for_community(int(raw) if raw.isdigit() and len(raw) < 12 else None, request.community)
    if notice is None and warn:
        messages.warning(
            request,
            _(
                "Info Diskominfo itu tidak ditemukan untuk KIM ini, sudah ditarik, atau sudah berakhir. "
                "Tulisan ini dimulai tanpa sumber."
            ),
        )
    return notice


def _pending_photos(request: MemberRequest) -> list:
    """The member's earlier uploads this form still carries (listed in its hidden field)."""
    return selectors.unattached_photos(
        request.user, selectors.parse_ids(request.POST.get("pending_photos", ""))
    )


def _after_save(request: MemberRequest, post: Post, form: PostForm, then: AfterSave | None) -> HttpResponse:
    if then is not None:
        try:
            return then(request, post)
        except ValidationError as error:
            # Saved, but not complete: show what is missing next to each field.
            source = _source_notice(request, post)
            form = PostForm(request.POST, post=post, photos=list(post.photos.all()), source=source)
            form.is_valid()
            form.add_error(None, error)
            messages.warning(
                request, _("Draf tersimpan, tetapi belum dapat dikirim. Lengkapi isian yang ditandai.")
            )
            return _render_form(request, form, post, version=services.post_version(post))
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("posts:edit", post_id=post.pk)
    if request.POST.get("action") == "preview":
        return redirect("posts:preview", post_id=post.pk)
    if post.is_live and post.status == Post.Status.DRAFT:
        messages.success(
            request,
            _("Perubahan disimpan sebagai draf. Versi yang tayang tetap tampil sampai perubahan disetujui."),
        )
    else:
        messages.success(request, _("Tulisan disimpan."))
    return redirect("posts:edit", post_id=post.pk)


# --- a new post's draft, made once however often its first save is sent -------------------------

_DRAFTS = "new_post_drafts"  # session: {"<schema>:<form token>": post id}, the latest few
_DRAFTS_KEPT = 20
_SAVED_FORMS = "new_post_forms_saved"  # session: tokens of new-post forms that were saved, the latest few


def _draft_token(request: MemberRequest) -> str:
    token = request.POST.get("draft", "")
    return token if len(token) == 32 and token.isalnum() else ""


def _draft_key(request: MemberRequest) -> str | None:
    """Where the session keeps this form's draft: post ids are per community schema."""
    token = _draft_token(request)
    return f"{connection.schema_name}:{token}" if token else None


def _draft_started(request: MemberRequest) -> Post | None:
    """The draft this new-post form's autosave already made, while it is still an unsent draft."""
    key = _draft_key(request)
    post_id = request.session.get(_DRAFTS, {}).get(key) if key else None
    return selectors.unsent_draft(request.user, post_id) if post_id else None


def _draft_remember(request: MemberRequest, post: Post) -> None:
    """After an autosave of a new post's form: its next save, whichever way it comes, goes to `post`."""
    if key := _draft_key(request):
        drafts = request.session.get(_DRAFTS, {})
        drafts[key] = post.pk
        request.session[_DRAFTS] = dict(list(drafts.items())[-_DRAFTS_KEPT:])


def _draft_forget(request: MemberRequest) -> None:
    """After the new-post form itself is saved: the page now edits the post by its own address, and an
    old copy of the form (the Back button, a restored tab) must start a new post, not write over this one.
    The token is listed as saved, so the next new-post page drops the device's copy of that form."""
    drafts = request.session.get(_DRAFTS, {})
    if drafts.pop(_draft_key(request), None) is not None:
        request.session[_DRAFTS] = drafts
    if token := _draft_token(request):
        request.session[_SAVED_FORMS] = [*request.session.get(_SAVED_FORMS, [])[-_DRAFTS_KEPT + 1 :], token]


# --- which versions a page's save may be based on ---------------------------------------------

_PAGE_SAVES = "post_page_saves"  # session: {page id: the version that page's last autosave made}


def _page_id(request: MemberRequest) -> str:
    page = request.POST.get("page", "")
    return page if len(page) == 32 and page.isalnum() else ""


def _known_versions(request: MemberRequest) -> frozenset[str]:
    """The version the form was opened with, and the one this very page's last autosave made: its
    answer can be lost on a weak connection, and the page's next save is then no conflict."""
    known = {request.POST.get("version", "")}
    if page := _page_id(request):
        known.add(request.session.get(_PAGE_SAVES, {}).get(page, ""))
    return frozenset(known - {""})


def _page_saved(request: MemberRequest, version: str) -> None:
    if page := _page_id(request):
        saves = request.session.get(_PAGE_SAVES, {})
        saves.pop(page, None)
        saves[page] = version
        request.session[_PAGE_SAVES] = dict(list(saves.items())[-_DRAFTS_KEPT:])


def _render_form(request: MemberRequest, form: PostForm, post: Post | None, *, version: str) -> HttpResponse:
    pending = [photo.pk for photo in form.photo_list if photo.post_id is None]
    context = {
        "form": form,
        "post": post,
        "version": version,  # what the form is based on (services.post_version)
        "page_id": uuid.uuid4().hex,  # this copy of the form, for _known_versions
        "draft_token": _draft_token(request) or uuid.uuid4().hex,
        "saved_drafts": request.session.get(_SAVED_FORMS, []),
        "pending_ids": ",".join(map(str, pending)),
        "form_action": reverse("posts:edit", args=[post.pk]) if post else reverse("posts:create"),
        "autosave_url": reverse("posts:autosave", args=[post.pk]) if post else reverse("posts:autosave_new"),
        "max_photos": MAX_PHOTOS_PER_POST,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
        "deletable": post is not None and services.post_deletable(post),
    }
    return render(request, "posts/post_form.html", context)


@require_POST
@member_area(json=True)
def post_autosave(request: MemberRequest, post_id: int | None = None) -> JsonResponse:
    """Save what is typed so far, leniently; the first autosave of a new post creates its draft."""
    post = get_post_for_member(request, post_id, for_edit=True) if post_id else _draft_started(request)
    if post is not None and post.status not in services.EDITABLE:
        return JsonResponse({"saved": False, "error": _("Tulisan ini tidak dapat diubah lagi.")}, status=409)
    attached = list(post.photos.all()) if post else []
    pending = _pending_photos(request)
    source = _source_notice(request, post, warn=False)
    form = PostForm(request.POST, post=post, photos=attached + pending, lenient=True, source=source)
    form.is_valid()
    changes = form.changes(attach=pending)
    if post is None and not (any(changes.fields.values()) or changes.tags or pending):
        return JsonResponse({"saved": False})
    try:
        post = services.post_update(
            post=post, actor=request.user, changes=changes, lenient=True, based_on=_known_versions(request)
        )
    except services.EditConflict as conflict:
        return JsonResponse({"saved": False, "conflict": True, "error": conflict.message}, status=409)
    except (ValidationError, ActionRefused) as error:
        message = error.message if isinstance(error, ActionRefused) else " ".join(error.messages)
        return JsonResponse({"saved": False, "error": message}, status=409)
    _draft_remember(request, post)
    _page_saved(request, post.version)
    return JsonResponse(
        {
            "saved": True,
            "id": post.pk,
            "edit_url": reverse("posts:edit", args=[post.pk]),
            "autosave_url": reverse("posts:autosave", args=[post.pk]),
            "updated_at": post.updated_at.isoformat(),
            "version": post.version,
            "skipped": {name: [str(m) for m in errors] for name, errors in form.errors.items()},
        }
    )


@member_area
def post_preview(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_member(request, post_id)
    try:
        services.post_check_complete(post)
        missing = []
    except ValidationError as error:
        missing = error.messages
    context = {
        "post": post,
        "snapshot": post_snapshot(post),
        "own": post.author_id == request.user.pk,
        "missing": missing,
        "submittable": post.status in services.SUBMITTABLE,
    }
    return render(request, "posts/post_preview.html", context)


@member_area
@require_http_methods(["GET", "POST"])
def post_delete(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_member(request, post_id, for_edit=True)
    if request.method == "POST":
        try:
            services.post_delete(post=post, actor=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Draf dihapus."))
        return redirect("posts:list")
    return render(request, "posts/post_confirm_delete.html", {"post": post})


@require_POST
@member_area(json=True)
def photo_upload(request: MemberRequest) -> JsonResponse:
    """One photo from the post form, sent on its own request (static/js/photos.js); it waits,
    unattached, until the form is saved. The form's token for the photo makes a retry harmless."""
    token = request.POST.get("token", "")
    upload = request.FILES.get("photo")
    if not (len(token) == 32 and token.isalnum()) or upload is None:
        return JsonResponse({"error": _("Foto tidak terkirim utuh. Coba lagi.")}, status=400)
    try:
        photo = store_uploaded_photo(uploader=request.user, uploaded_file=upload, token=token)
    except PhotoRejected as rejected:
        return JsonResponse({"error": str(rejected.message)}, status=422)
    return JsonResponse(
        {
            "id": photo.pk,
            "thumbnail": default_storage.url(photo.thumbnail) if photo.thumbnail else "",
            "width": photo.width,
            "height": photo.height,
        }
    )


_SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"


def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js served from /kelola/, so its scope is the member area (a worker controls only
    pages under its own path). Public: the browser fetches it to check for updates."""
    response = HttpResponse(_SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a new version reaches phones at their next visit
    return response
