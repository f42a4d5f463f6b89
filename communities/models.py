from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

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
        return f"{self.get_kind_display()} {self.name}"


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
    logo = models.ImageField(_("logo"), upload_to="logo/", blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    auto_create_schema = True
    # Clone the template's structure only; it holds no community's data.
    clone_mode = "NODATA"

    class Meta:
        ordering = ["name"]
        verbose_name = _("komunitas")
        verbose_name_plural = _("komunitas")

    def __str__(self) -> str:
        return self.name

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domain")


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
