from django.core.management.base import BaseCommand

from communities import services
from communities.hosts import community_url
from communities.models import Community, Province, Regency
from kimportal.hosts import main_url, main_url_for
from moderation.demo import demo_posts_seed, demo_registration_seed
from moderation.demo_notices import demo_notices_seed

DEMO_PASSWORD = "demo-kim-2026"

# (name, slug, regency code, about)
COMMUNITIES = [
    (
        "KIM Kraton Kidul",
        "kratonkidul",
        "33.75",
        "KIM Kelurahan Kraton Kidul, Pekalongan Barat: kabar warga, batik, dan layanan kelurahan.",
    ),
    ("KIM Pesindon", "pesindon", "33.75", "Kampung batik Pesindon: kegiatan warga dan UMKM."),
    ("KIM Wonopringgo", "wonopringgo", "33.26", "Informasi desa dan potensi pertanian Wonopringgo."),
    ("KIM Tembalang", "tembalang", "33.74", "Komunitas informasi warga Kecamatan Tembalang."),
    ("KIM Gunungpati", "gunungpati", "33.74", "Kabar desa wisata dan lingkungan Gunungpati."),
    ("KIM Baturraden", "baturraden", "33.02", "Informasi wisata, kesehatan, dan budaya Baturraden."),
]

# (email, full name, role, where): role is member/admin of a community, editor of a regency,
# province admin of a province, or superuser.
PEOPLE = [
    ("anggota@kratonkidul.demo", "Siti Aminah", "member", "kratonkidul"),
    ("pengelola@kratonkidul.demo", "Budi Santoso", "admin", "kratonkidul"),
    ("anggota@tembalang.demo", "Dewi Lestari", "member", "tembalang"),
    ("pengelola@tembalang.demo", "Agus Prasetyo", "admin", "tembalang"),
    ("editor@kotapekalongan.demo", "Rina Wulandari", "editor", "33.75"),
    ("editor@kotasemarang.demo", "Hendra Gunawan", "editor", "33.74"),
    ("admin@jatengprov.demo", "Sri Rahayu", "province", "33"),
    ("superuser@kim.demo", "Admin Sistem", "superuser", ""),
]


class Command(BaseCommand):
    help = "Load Jawa Tengah and demo communities and people (idempotent); print the demo logins."

    def handle(self, *args, **options):
        services.regions_load()
        for name, slug, regency_code, about in COMMUNITIES:
            if not Community.objects.filter(slug=slug).exists():
                services.community_create(
                    name=name, slug=slug, regency=Regency.objects.get(code=regency_code), about=about
                )
        for email, full_name, role, where in PEOPLE:
            self._person(email, full_name, role, where)
        demo_posts_seed(stdout=self.stdout, password=DEMO_PASSWORD)
        if made := demo_notices_seed():
            self.stdout.write(f"  {made} demo notices (Info Diskominfo)")
        registration = demo_registration_seed(password=DEMO_PASSWORD)
        self.stdout.write(
            f"  A registration waits: {registration.name} "
            f"({main_url_for('moderation:registration', public_id=registration.public_id)})"
        )
        self._print_logins()

    def _person(self, email: str, full_name: str, role: str, where: str) -> None:
        user = services.user_get_or_create(email=email, full_name=full_name, password=DEMO_PASSWORD)
        if role in ("member", "admin"):
            services.membership_set(user=user, community=Community.objects.get(slug=where), role=role)
        elif role == "editor":
            services.editor_assign(user=user, regency=Regency.objects.get(code=where))
        elif role == "province":
            services.province_admin_assign(user=user, province=Province.objects.get(code=where))
        elif role == "superuser" and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])

    def _print_logins(self) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("\nKIM Portal demo"))
        out.write(f"  Main site:   {main_url()}")
        for community in Community.objects.order_by("name"):
            out.write(f"  {community.name:<18} {community_url(community)}")
        out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}), at {main_url_for('accounts:login')}")
        for email, _name, role, where in PEOPLE:
            label = {
                "member": "member of",
                "admin": "community admin of",
                "editor": "editor of regency",
                "province": "province admin of",
                "superuser": "Django admin",
            }[role]
            out.write(f"  {email:<30} {label} {where}".rstrip())
        out.write("")
