"""Official notices ("Info Diskominfo"): short items the province's or a kabupaten/kota's Diskominfo
publishes to every KIM site of its area, until a date. Public schema: one row per notice, whatever
the number of communities it reaches."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Province, Regency
from kimportal.hosts import main_url

PUBLIC_URLS = settings.PUBLIC_SCHEMA_URLCONF
TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 3000


class Notice(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "program", _("Informasi program")
        SERVICE = "layanan", _("Pengumuman layanan")
        CLARIFICATION = "klarifikasi", _("Klarifikasi hoaks")

    class State(models.TextChoices):
        PUBLISHED = "published", _("Tayang")
        WITHDRAWN = "withdrawn", _("Ditarik")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=160)
    body = models.TextField(_("isi"), max_length=BODY_MAX_LENGTH)  # plain text, paragraphs by blank lines
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    # Storage paths (public schema) of the photo's renditions: {"width", "height", "webp": {width:
    # path}, "jpeg": path}; {} without one. URLs are made when shown, on the main domain.
    photo = models.JSONField(default=dict, blank=True)
    pdf = models.CharField(max_length=200, blank=True)  # storage path of a checked PDF, public
    pdf_name = models.CharField(max_length=200, blank=True)  # the file's name as uploaded
    pdf_size = models.PositiveIntegerField(default=0)
    # Its area: the whole province (regency None) or one kabupaten/kota of it.
    province = models.ForeignKey(Province, models.PROTECT, related_name="+")
    regency = models.ForeignKey(Regency, models.PROTECT, null=True, blank=True, related_name="+")
    # Who speaks: the province's Diskominfo, or the kabupaten/kota's (`regency`).
    by_province = models.BooleanField(default=False)
    expires_on = models.DateField(_("tayang sampai"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.PUBLISHED)
    published_at = models.DateTimeField(_("terbit"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diubah"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Written by feed (feed.textsearch stems it) through notices.signals.notice_changed: what the
    # review screen's "similar clarifications" matches a submission against (no GIN index: it reads
    # a province's newest clarifications by `notice_clarification_recent`, a bounded range).
    search_vector = SearchVectorField(null=True, editable=False)
    search_version = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("info Diskominfo")
        verbose_name_plural = _("info Diskominfo")
        indexes = [
            # Every box and feed: the area's published notices, newest first (few rows each).
            models.Index(
                fields=["province", "regency", "-published_at"],
                condition=Q(state="published"),
                name="notice_area_recent",
            ),
            # The review screen's similar clarifications: a province's newest ones.
            models.Index(
                fields=["province", "-published_at", "-id"],
                condition=Q(kind="klarifikasi", state="published"),
                name="notice_clarification_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its page's path on the main domain (every KIM site of its area links there)."""
        return reverse("notice", kwargs={"notice_id": self.pk, "slug": self.slug}, urlconf=PUBLIC_URLS)

    @property
    def url(self) -> str:
        return main_url(self.get_absolute_url())

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_current(self) -> bool:
        return not self.is_withdrawn and not self.is_expired

    @property
    def issuer(self) -> str:
        """The office that speaks: "Diskominfo Provinsi Jawa Tengah", "Diskominfo Kota Pekalongan"."""
        if self.by_province or self.regency is None:
            return gettext("Diskominfo Provinsi %(province)s") % {"province": self.province.name}
        return gettext("Diskominfo %(regency)s") % {"regency": self.regency}

    @property
    def area(self) -> str:
        """Where it shows, for readers: "seluruh Jawa Tengah" or "Kota Pekalongan"."""
        if self.regency is None:
            return gettext("seluruh %(province)s") % {"province": self.province.name}
        return str(self.regency)


class NoticeEvent(models.Model):
    """Append-only audit log of a notice: who published, edited or withdrew it, when, and why."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Diterbitkan")
        EDIT = "edit", _("Diubah")
        WITHDRAW = "withdraw", _("Ditarik")
        LINK = "link", _("Tulisan ditautkan")
        UNLINK = "unlink", _("Tautan tulisan dilepas")

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    changed = models.JSONField(default=list, blank=True)  # the field names an edit changed
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="notice_event_recent")]

    def __str__(self) -> str:
        return f"{self.action}: {self.notice_id}"


class ClarifiedPost(models.Model):
    """A post a clarification answers (linked by an editor): (community, post id) as plain values,
    since public tables never point into a community's schema, and its title as it was then."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="clarified_posts")
    community = models.ForeignKey(Community, models.CASCADE, related_name="+")
    post_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    # Set by the selectors that list them (feed.selectors.clarified_posts), not stored here.
    url: str  # its absolute address, '' once it is taken down

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "community", "post_id"], name="clarified_post_unique")
        ]
        indexes = [models.Index(fields=["community", "post_id"], name="clarified_post_by_post")]

    def __str__(self) -> str:
        return self.title
