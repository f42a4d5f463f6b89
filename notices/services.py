"""Writes of notices: publish, edit, withdraw. Each checks the actor's reach, records a NoticeEvent
and drops the cached pages of the notice's area (before and after an edit), in one transaction."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from communities.models import Community
from communities.pages import area_pages_changed, pages_changed
from kimportal.errors import ActionRefused

from . import fastpath, files
from .access import can_publish_to, editable_notices, speaks_for_province
from .models import ClarifiedPost, Notice, NoticeEvent
from .signals import notice_changed

MAX_DAYS = 366  # a notice is news: it shows for a year at most, then it is published again if need be
EDITED_FIELDS = ("kind", "title", "body", "link", "expires_on", "province", "regency")


@dataclass
class NoticeDraft:
    """What an editor typed. `photo`/`pdf` None keep the current file; `remove_*` drop it."""

    kind: str
    title: str
    body: str
    link: str
    expires_on: date
    province_id: int
    regency_id: int | None
    photo: files.CheckedPhoto | None = None
    pdf: files.CheckedPdf | None = None
    remove_photo: bool = False
    remove_pdf: bool = False
    changed: list[str] = field(default_factory=list)  # filled by notice_update


def expiry_problem(expires_on: date) -> str:
    """Why this date cannot end a notice, in words for the editor; '' when it can."""
    today = timezone.localdate()
    if expires_on < today:
        return _("Tanggal berakhir sudah lewat. Pilih hari ini atau tanggal sesudahnya.")
    if expires_on > today + timedelta(days=MAX_DAYS):
        return _("Info tayang paling lama satu tahun: pilih tanggal sebelum %(last)s.") % {
            "last": (today + timedelta(days=MAX_DAYS + 1)).strftime("%d-%m-%Y")
        }
    return ""


def _check(draft: NoticeDraft, actor: User) -> None:
    if not can_publish_to(actor, province_id=draft.province_id, regency_id=draft.regency_id):
        raise ActionRefused(_("Anda tidak bertugas menerbitkan info untuk wilayah ini."))
    if not draft.title.strip() or not draft.body.strip():
        raise ActionRefused(_("Info perlu judul dan isi."))
    if problem := expiry_problem(draft.expires_on):
        raise ActionRefused(problem)
    if draft.kind not in Notice.Kind.values:
        raise ActionRefused(_("Pilih jenis info."))


def _areas_changed(*pairs: tuple[int, int | None]) -> None:
    fastpath.forget()
    transaction.on_commit(fastpath.forget)
    for province_id, regency_id in sorted(set(pairs), key=lambda pair: (pair[0], pair[1] or 0)):
        area_pages_changed(province_id=province_id, regency_id=regency_id)


def notice_publish(*, actor: User, draft: NoticeDraft) -> Notice:
    """Publish a notice to its area: it shows on every KIM site there until `expires_on`."""
    _check(draft, actor)
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=draft.kind,
            title=draft.title.strip(),
            slug=_slug(draft.title),
            body=draft.body.strip(),
            link=draft.link,
            photo=files.photo_store(draft.photo) if draft.photo else {},
            pdf=files.pdf_store(draft.pdf) if draft.pdf else "",
            pdf_name=draft.pdf.name if draft.pdf else "",
            pdf_size=len(draft.pdf.content) if draft.pdf else 0,
            province_id=draft.province_id,
            regency_id=draft.regency_id,
            # The province speaks when it aims at the whole province or when its admin writes.
            by_province=draft.regency_id is None or speaks_for_province(actor, draft.province_id),
            expires_on=draft.expires_on,
            published_at=now,
            published_by=actor,
            updated_at=now,
        )
        NoticeEvent.objects.create(notice=notice, actor=actor, action=NoticeEvent.Action.PUBLISH)
        notice_changed.send(sender=Notice, notice=notice)
        _areas_changed((notice.province_id, notice.regency_id))
    return notice


def _slug(title: str) -> str:
    return slugify(title)[:150].strip("-") or "info"


def _lock_editable(notice_id: int, actor: User) -> Notice:
    notice = editable_notices(actor).select_for_update(of=("self",)).filter(pk=notice_id).first()
    if notice is None:
        raise ActionRefused(_("Anda tidak bertugas mengubah info ini."))
    if notice.is_withdrawn:
        raise ActionRefused(_("Info ini sudah ditarik dan tidak dapat diubah lagi."))
    return notice


def notice_update(*, notice_id: int, actor: User, draft: NoticeDraft) -> Notice:
    """Edit a published notice (its area may change within the editor's reach); the edit, with the
    names of the fields it changed, goes to the audit log."""
    _check(draft, actor)
    with transaction.atomic():
        notice = _lock_editable(notice_id, actor)
        before = (notice.province_id, notice.regency_id)
        old_files: list[str] = []
        values = {
            "kind": draft.kind,
            "title": draft.title.strip(),
            "body": draft.body.strip(),
            "link": draft.link,
            "expires_on": draft.expires_on,
            "province": draft.province_id,
            "regency": draft.regency_id,
        }
        current = {name: getattr(notice, name) for name in ("kind", "title", "body", "link", "expires_on")}
        current |= {"province": notice.province_id, "regency": notice.regency_id}
        changed = [name for name in EDITED_FIELDS if values[name] != current[name]]
        if draft.photo or (draft.remove_photo and notice.photo):
            old_files += files.photo_paths(notice.photo)
            notice.photo = files.photo_store(draft.photo) if draft.photo else {}
            changed.append("photo")
        if draft.pdf or (draft.remove_pdf and notice.pdf):
            old_files += [notice.pdf] if notice.pdf else []
            notice.pdf = files.pdf_store(draft.pdf) if draft.pdf else ""
            notice.pdf_name = draft.pdf.name if draft.pdf else ""
            notice.pdf_size = len(draft.pdf.content) if draft.pdf else 0
            changed.append("pdf")
        if not changed:
            return notice
        for name in ("kind", "title", "body", "link", "expires_on"):
            setattr(notice, name, values[name])
        notice.province_id, notice.regency_id = draft.province_id, draft.regency_id
        if "title" in changed:
            notice.slug = _slug(notice.title)
        notice.updated_at = timezone.now()
        notice.save()
        NoticeEvent.objects.create(
            notice=notice, actor=actor, action=NoticeEvent.Action.EDIT, changed=changed
        )
        files.files_delete(old_files)
        notice_changed.send(sender=Notice, notice=notice)
        _areas_changed(before, (notice.province_id, notice.regency_id))
    draft.changed = changed
    return notice


def notice_withdraw(*, notice_id: int, actor: User, reason: str) -> Notice:
    """Take a notice off every site of its area for good; its page says it was withdrawn, and its
    files leave public storage. The reason stays in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Tuliskan alasan penarikan: alasan ini tercatat di log."))
    with transaction.atomic():
        notice = _lock_editable(notice_id, actor)
        notice.state = Notice.State.WITHDRAWN
        notice.withdrawn_at = notice.updated_at = timezone.now()
        notice.save(update_fields=["state", "withdrawn_at", "updated_at"])
        NoticeEvent.objects.create(
            notice=notice, actor=actor, action=NoticeEvent.Action.WITHDRAW, reason=reason
        )
        files.files_withhold(files.photo_paths(notice.photo) + ([notice.pdf] if notice.pdf else []))
        notice_changed.send(sender=Notice, notice=notice)
        _areas_changed((notice.province_id, notice.regency_id))
    return notice


# --- posts a clarification answers ---------------------------------------------------------------


def clarification_link(
    *, notice: Notice, actor: User, community: Community, post_id: int, title: str
) -> bool:
    """Note that a clarification answers this post (its public page lists it); False if it already
    did. The caller checks that the actor reviews the post's kabupaten/kota."""
    if notice.kind != Notice.Kind.CLARIFICATION or notice.is_withdrawn:
        raise ActionRefused(_("Pilih klarifikasi hoaks yang masih tayang."))
    if notice.province_id != community.regency.province_id or notice.regency_id not in (
        None,
        community.regency_id,
    ):
        raise ActionRefused(
            _("Klarifikasi itu untuk wilayah lain; pilih klarifikasi untuk wilayah tulisan ini.")
        )
    with transaction.atomic():
        _link, created = ClarifiedPost.objects.get_or_create(
            notice=notice, community=community, post_id=post_id, defaults={"title": title, "linked_by": actor}
        )
        if created:
            NoticeEvent.objects.create(
                notice=notice, actor=actor, action=NoticeEvent.Action.LINK, reason=title
            )
            pages_changed(community)
    return created


def clarification_unlink(*, link: ClarifiedPost, actor: User) -> None:
    with transaction.atomic():
        NoticeEvent.objects.create(
            notice=link.notice, actor=actor, action=NoticeEvent.Action.UNLINK, reason=link.title
        )
        link.delete()
        pages_changed(link.community)
