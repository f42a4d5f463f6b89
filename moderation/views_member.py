"""The member area's review steps, on a community's subdomain under /kelola/: send a post to the
Diskominfo editors (from its preview, or straight from its form once saved) and take it back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from communities.requests import MemberRequest
from kimportal.errors import ActionRefused
from posts.access import get_post_for_member, member_area
from posts.models import Post
from posts.views import post_form_save

from . import services


def _submitted(request: MemberRequest, post: Post) -> HttpResponse:
    services.post_submit(post=post, actor=request.user)
    messages.success(request, _("Tulisan dikirim. Editor Diskominfo akan memeriksanya."))
    return redirect("posts:list")


@never_cache
@require_POST
@member_area
def post_save_and_submit(request: MemberRequest, post_id: int | None = None) -> HttpResponse:
    """The form's "send for review" button: save what the form holds, then send it."""
    return post_form_save(request, post_id, then=_submitted)


@require_POST
@member_area
def post_submit(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_member(request, post_id, for_edit=True)
    try:
        return _submitted(request, post)
    except ValidationError as error:
        messages.error(request, " ".join([_("Belum dapat dikirim:"), *error.messages]))
        return redirect("posts:edit", post_id=post.pk)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("posts:preview", post_id=post.pk)


@require_POST
@member_area
def post_withdraw(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_member(request, post_id, for_edit=True)
    try:
        post = services.post_withdraw(post=post, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        if post.status == Post.Status.TAKEN_DOWN:
            messages.success(
                request, _("Kiriman ditarik. Tulisan tetap diturunkan sampai perbaikannya disetujui.")
            )
        else:
            messages.success(request, _("Kiriman ditarik. Tulisan kembali menjadi draf."))
    return redirect("posts:list")
