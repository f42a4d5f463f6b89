import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

# A community's slug is its subdomain: one DNS label, lowercase, no leading or trailing hyphen.
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$"
RESERVED_SLUGS = frozenset(
    {"www", "admin", "api", "static", "media", "mail", "smtp", "kim", "moderasi", "akun", "public"}
)


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A kabupaten or kota; its Kemendagri code is its identity (names repeat across kinds)."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode"), max_length=5, unique=True)
    province = models.ForeignKey(Province, models.PROTECT, related_name="regencies")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        # Translators: "Kota Semarang" in Indonesian; English puts the kind last ("Semarang City").
        return gettext("%(kind)s %(name)s") % {"kind": self.get_kind_display(), "name": self.name}


# What a community admin edits on the profile page (the logo is handled on its own).
PROFILE_FIELDS = (
    "name",
    "about",
    "address",
    "phone",
    "email",
    "website",
    "facebook",
    "instagram",
    "youtube",
    "tiktok",
)


def logo_path(community, filename: str) -> str:
    """Unique per community and per upload: on shared object storage (S3) names must not collide,
    and a new logo must never overwrite a file a cached page still shows."""
    return f"logo/{community.slug}/{uuid.uuid4().hex}.webp"


class Community(TenantMixin):
    """A KIM: the tenant, with its own schema and its own subdomain."""

    name = models.CharField(_("nama"), max_length=120)
    slug = models.CharField(
        _("subdomain"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(SLUG_PATTERN, _("Gunakan 3-40 huruf kecil, angka, atau tanda hubung."))],
    )
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="communities")
    about = models.TextField(_("tentang"), blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    facebook = models.URLField("Facebook", blank=True)
    instagram = models.URLField("Instagram", blank=True)
    youtube = models.URLField("YouTube", blank=True)
    tiktok = models.URLField("TikTok", blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # When its newest live post was published; kept by feed.services with the feed entries, so a
    # regency page lists its most active communities with one index scan, however many it has.
    last_published_at = models.DateTimeField(_("terakhir tayang"), null=True, blank=True, editable=False)
    # An archived community's site stays readable but takes no new posts (the province console).
    archived_at = models.DateTimeField(_("diarsipkan"), null=True, blank=True, editable=False)

    auto_create_schema = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("komunitas")
        verbose_name_plural = _("komunitas")
        indexes = [
            models.Index(
                fields=["regency", "-last_published_at", "-id"],
                condition=models.Q(last_published_at__isnull=False),
                name="community_recently_active",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Copy the template schema in one database call (kim_clone_schema); migrate only without one."""
        template = settings.COMMUNITY_TEMPLATE_SCHEMA
        if not sync_schema or not schema_exists(template):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT public.kim_clone_schema(%s, %s)", [template, self.schema_name])
        return True

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domain")


class PageVersion(models.Model):
    """The version of one host's cached pages (schema name: "public" for the main domain).

    Bumped in the same transaction as the change it announces (`communities.pages.pages_changed`)
    and read by every cached request, so every worker and every web node drops a page the moment
    its content changes, whatever the cache backend (a per-process local-memory cache included).
    """

    schema_name = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.schema_name} v{self.version}"


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Anggota")
        ADMIN = "admin", _("Pengelola")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    community = models.ForeignKey(Community, models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("bergabung"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique_user_community")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community} ({self.role})"


class EditorAssignment(models.Model):
    """A Diskominfo editor reviews the submissions of the communities in this regency."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="editor_assignments")
    regency = models.ForeignKey(Regency, models.CASCADE, related_name="editor_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan editor")
        verbose_name_plural = _("penugasan editor")
        constraints = [models.UniqueConstraint(fields=["user", "regency"], name="editor_unique_user_regency")]

    def __str__(self) -> str:
        return f"{self.user} → {self.regency}"


class ProvinceAdmin(models.Model):
    """A Diskominfo provinsi admin: onboards communities and oversees every regency of the province."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="province_admin_roles")
    province = models.ForeignKey(Province, models.CASCADE, related_name="admins")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("admin provinsi")
        verbose_name_plural = _("admin provinsi")
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="province_admin_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.province}"


INVITATION_DAYS = 14


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """A single-use invitation to join a community, sent by email or shared as a link."""

    class State(models.TextChoices):
        OPEN = "open", _("Terbuka")
        ACCEPTED = "accepted", _("Sudah dipakai")
        REVOKED = "revoked", _("Dibatalkan")
        EXPIRED = "expired", _("Kedaluwarsa")

    community = models.ForeignKey(Community, models.CASCADE, related_name="invitations")
    # Empty for a link invitation, which anyone holding the link may accept (once).
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("peran"), max_length=10, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            # One unused invitation per address: inviting again replaces (revokes) the older one.
            models.UniqueConstraint(
                fields=["community", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True) & ~models.Q(email=""),
                name="invitation_unique_unused_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email or 'link'} → {self.community} ({self.role})"

    def get_absolute_url(self) -> str:
        """The acceptance page's path on the main domain (accounts live there, whatever the community)."""
        return reverse("invitations:accept", urlconf=settings.PUBLIC_SCHEMA_URLCONF, args=[self.token])

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_link(self) -> bool:
        return not self.email


# --- a KIM's registration, before it has a site -----------------------------------------------------


class RegistrationRequest(models.Model):
    """A KIM asks for its site; the kabupaten/kota's editors (or the province admins) decide.

    Lives in the public schema; `public_id` is the only identifier in URLs (the applicant's status
    page, the reviewers' screen, the decree file), so none is guessable. The decree file sits in
    the "private" storage, which no URL serves.
    """

    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("Menunggu konfirmasi email")
        PENDING = "pending", _("Menunggu pemeriksaan")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Ditarik pemohon")

    OPEN_STATES = (State.UNVERIFIED, State.PENDING, State.CHANGES_REQUESTED)
    EDITABLE_STATES = (State.UNVERIFIED, State.PENDING, State.CHANGES_REQUESTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The form's one-time token: a second tap on "Kirim" finds the request the first one made.
    form_token = models.CharField(max_length=64, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="registration_requests"
    )
    state = models.CharField(_("status"), max_length=20, choices=State.choices)

    name = models.CharField(_("nama KIM"), max_length=120)
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="registration_requests")
    district = models.CharField(_("kecamatan"), max_length=100)
    village = models.CharField(_("desa/kelurahan"), max_length=100)
    address = models.CharField(_("alamat"), max_length=255)
    decree_number = models.CharField(_("nomor SK penetapan"), max_length=100)
    decree_date = models.DateField(_("tanggal SK penetapan"))
    decree_path = models.CharField(max_length=200, editable=False)  # in storages["private"]
    decree_type = models.CharField(max_length=40, editable=False)  # its Content-Type
    contact_name = models.CharField(_("nama narahubung"), max_length=150)
    contact_email = models.EmailField(_("email narahubung"))
    contact_whatsapp = models.CharField(_("nomor WhatsApp"), max_length=20)
    slug = models.CharField(_("subdomain"), max_length=40)
    consented_at = models.DateTimeField(_("persetujuan"))

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    community = models.OneToOneField(
        Community, models.SET_NULL, null=True, blank=True, related_name="registration"
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("pendaftaran KIM")
        verbose_name_plural = _("pendaftaran KIM")
        indexes = [models.Index(fields=["regency", "state", "submitted_at"], name="registration_queue")]
        constraints = [
            # A subdomain is held by one open request at a time.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(state__in=["unverified", "pending", "changes_requested"]),
                name="registration_unique_open_slug",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


class RegistrationEvent(models.Model):
    """Append-only audit log of a registration: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Dikirim")
        VERIFY = "verify", _("Email dikonfirmasi")
        EDIT = "edit", _("Diubah pemohon")
        WITHDRAW = "withdraw", _("Ditarik pemohon")
        APPROVE = "approved", _("Disetujui")
        REQUEST_CHANGES = "changes_requested", _("Diminta perbaikan")
        REJECT = "rejected", _("Ditolak")

    request = models.ForeignKey(RegistrationRequest, models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"
