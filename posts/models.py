"""A community's posts, in its own schema: the working copy, its photos and its approved revisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from notices.models import Notice

TITLE_MAX_LENGTH = 150


class Category(models.TextChoices):
    KEGIATAN = "kegiatan", _("Kegiatan")
    POTENSI_DESA = "potensi-desa", _("Potensi desa/UMKM")
    LAYANAN_PUBLIK = "layanan-publik", _("Informasi layanan publik")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    BUDAYA = "budaya", _("Budaya")
    PENGUMUMAN = "pengumuman", _("Pengumuman")


def category_label(value: str) -> str:
    """A category's label for display: '' for none, the stored value itself for an unknown one."""
    return str(Category(value).label) if value in Category.values else (value or "")


class Post(models.Model):
    """The author's working copy. What the public sees is `live_revision`, set only by approval."""

    version: str  # what posts.services.post_update returns carries its post_version

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Menunggu pemeriksaan")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
        PUBLISHED = "published", _("Tayang")
        REJECTED = "rejected", _("Ditolak")
        TAKEN_DOWN = "taken_down", _("Diturunkan")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=TITLE_MAX_LENGTH, blank=True)
    slug = models.SlugField(_("slug"), max_length=180, unique=True, allow_unicode=False)
    body = models.TextField(_("isi"), blank=True)  # sanitised HTML (posts.html.sanitize)
    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    activity_place = models.CharField(_("tempat kegiatan"), max_length=150, blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, blank=True)
    tags = TaggableManager(_("tag"), blank=True)
    # A YouTube or Facebook video, in posts.videos' normal form ("" for none).
    video_url = models.CharField(_("tautan video"), max_length=300, blank=True, default="")
    cover = models.ForeignKey("Photo", models.SET_NULL, null=True, blank=True, related_name="+")
    # The official notice this post was written from ("Tulis dari info ini"): its page names it as
    # the source. Notices are never deleted (they are withdrawn), and the database's constraint in
    # each schema guards that; DO_NOTHING keeps Django from looking for posts in the public schema.
    source_notice = models.ForeignKey(
        Notice, models.DO_NOTHING, null=True, blank=True, related_name="+", verbose_name=_("sumber")
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The latest decision's reason, shown to the author (changes requested, rejected, taken down).
    feedback = models.TextField(_("catatan editor"), blank=True)
    live_revision = models.ForeignKey(
        "PostRevision", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    published_at = models.DateTimeField(_("tayang sejak"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("tulisan")
        verbose_name_plural = _("tulisan")
        indexes = [
            models.Index(fields=["author", "-updated_at"], name="post_author_recent"),
            models.Index(fields=["-published_at", "-id"], name="post_published_recent"),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None


class Photo(models.Model):
    """An uploaded photo, stored only as web renditions (the original, with its GPS, is never kept).

    `renditions` maps "webp" to {width: storage path} and "jpeg" to a storage path. A photo that
    leaves a post is detached (post=None), not deleted: a live revision may still show it.
    """

    post = models.ForeignKey(Post, models.SET_NULL, null=True, blank=True, related_name="photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    caption = models.CharField(_("keterangan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    renditions = models.JSONField(default=dict)
    # Its files are out of public storage (the post was taken down or rejected): posts/photos.py.
    withheld = models.BooleanField(default=False)
    # The form's own name for a photo uploaded on its own request (posts.photos.photo_upload): the
    # same photo sent again (a retry, an answer lost on a weak connection) finds this one.
    upload_token = models.CharField(max_length=32, blank=True, default="")
    # Perceptual hashes of the whole photo and of its centre (posts.phash); None until computed for a
    # photo stored before hashes were (`manage.py photo_hashes_backfill`).
    phash = models.BigIntegerField(null=True, blank=True, editable=False)
    phash_centre = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "upload_token"],
                condition=~models.Q(upload_token=""),
                name="photo_unique_upload_token",
            )
        ]

    def __str__(self) -> str:
        return self.caption or f"foto #{self.pk}"

    @property
    def thumbnail(self) -> str | None:
        """Storage path of the smallest WebP rendition. Keyed by width, which for a portrait photo
        (most phone photos) or a small one is not 480: its longest side is what WIDTHS bound."""
        webp = self.renditions.get("webp") or {}
        return min(webp.items(), key=lambda item: int(item[0]))[1] if webp else None


class PostRevision(models.Model):
    """An immutable snapshot of a post as submitted for review (the same shape as Submission.snapshot)."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.post_id} r{self.number}"
