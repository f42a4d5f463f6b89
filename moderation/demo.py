"""Demo posts for every demo community, in every state, with generated photos (for seed_demo)."""

import datetime
import io
import random
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter

from accounts.models import User
from communities import registrations
from communities import services as community_services
from communities.models import (
    Community,
    EditorAssignment,
    Membership,
    ProvinceAdmin,
    Regency,
    RegistrationRequest,
)
from kimportal.db import connection
from posts.models import Category, Post
from posts.photos import photo_add
from posts.services import PostChanges, post_update

from . import services as moderation
from .models import Submission

DEMO_SLUGS = ("kratonkidul", "pesindon", "wonopringgo", "tembalang", "gunungpati", "baturraden")
# Where each community's stories happen, and who writes them when seed_demo made no member there.
AREAS = {
    "kratonkidul": ("Kelurahan Kraton Kidul", "Balai RW 05 Kraton Kidul", "Siti Aminah"),
    "pesindon": ("Kampung Batik Pesindon", "Pendopo Kampung Batik Pesindon", "Nur Hidayah"),
    "wonopringgo": ("Desa Wonopringgo", "Balai Desa Wonopringgo", "Slamet Riyadi"),
    "tembalang": ("Kelurahan Tembalang", "Aula Kelurahan Tembalang", "Dewi Lestari"),
    "gunungpati": ("Desa Wisata Kandri, Gunungpati", "Pendopo Desa Wisata Kandri", "Yuni Astuti"),
    "baturraden": ("Kecamatan Baturraden", "Gedung Serbaguna Baturraden", "Wahyu Nugroho"),
}
STORIES: list[dict[str, Any]] = [
    {
        "title": "Kerja bakti membersihkan saluran air di {area}",
        "category": Category.KEGIATAN,
        "tags": ["kerja bakti", "lingkungan", "musim hujan"],
        "body": (
            "<p>Menjelang musim hujan, warga {area} bergotong royong membersihkan saluran air pada Minggu "
            "pagi. Sekitar 60 warga dari lima RT ikut serta membawa cangkul, sapu lidi, dan karung.</p>"
            "<p>Ketua RW menyampaikan bahwa saluran yang tersumbat sampah plastik menjadi penyebab "
            "genangan tahun lalu. <strong>Warga diimbau tidak membuang sampah ke selokan.</strong></p>"
            "<ul><li>Panjang saluran yang dibersihkan: sekitar 1,2 km</li>"
            "<li>Sampah terkumpul: 35 karung</li></ul>"
        ),
        "captions": ["Warga mengangkat lumpur dari saluran", "Sampah plastik yang terkumpul"],
    },
    {
        "title": "Posyandu balita dan lansia {area} bulan ini",
        "category": Category.KESEHATAN,
        "tags": ["posyandu", "balita", "lansia"],
        "body": (
            "<p>Kader posyandu {area} melayani penimbangan balita, imunisasi, dan pemeriksaan tekanan "
            "darah lansia. Sebanyak 48 balita dan 31 lansia datang pada hari pelayanan.</p>"
            "<h2>Pesan petugas kesehatan</h2>"
            "<p>Petugas puskesmas mengingatkan pentingnya <em>isi piringku</em> untuk mencegah stunting, "
            "serta memeriksakan tekanan darah secara rutin bagi warga di atas 45 tahun.</p>"
        ),
        "captions": ["Kader menimbang balita", "Pemeriksaan tekanan darah lansia"],
    },
    {
        "title": "Pelatihan jualan online untuk UMKM {area}",
        "category": Category.POTENSI_DESA,
        "tags": ["umkm", "pelatihan", "pemasaran digital"],
        "body": (
            "<p>Dua puluh pelaku UMKM {area} mengikuti pelatihan memotret produk dengan ponsel dan "
            "membuka toko di lokapasar. Pelatihan difasilitasi Diskominfo bersama KIM.</p>"
            "<ol><li>Memotret produk dengan cahaya alami</li><li>Menulis deskripsi yang jujur</li>"
            "<li>Melayani pembeli lewat WhatsApp Business</li></ol>"
            "<p>Peserta langsung mempraktikkan dengan produk masing-masing: keripik, batik, dan kopi.</p>"
        ),
        "captions": ["Peserta memotret produk keripik", "Pemateri menjelaskan toko daring"],
    },
    {
        "title": "Jadwal pelayanan KTP elektronik keliling di {area}",
        "category": Category.LAYANAN_PUBLIK,
        "tags": ["adminduk", "ktp elektronik", "dukcapil"],
        "body": (
            "<p>Dinas Kependudukan dan Pencatatan Sipil membuka layanan perekaman KTP elektronik keliling "
            "di {area}. Layanan ini untuk warga yang baru berusia 17 tahun dan warga lanjut usia.</p>"
            "<p>Bawa fotokopi Kartu Keluarga. Layanan <strong>gratis</strong>, tidak dipungut biaya apa "
            "pun.</p>"
        ),
        "captions": ["Petugas merekam data warga"],
    },
    {
        "title": "Pentas seni memperingati Hari Kemerdekaan di {area}",
        "category": Category.BUDAYA,
        "tags": ["hut ri", "kesenian", "pemuda"],
        "body": (
            "<p>Karang taruna {area} menggelar pentas seni: tari tradisional anak-anak, musik "
            "keroncong, dan lomba baca puisi perjuangan. Ratusan warga memadati lokasi hingga malam.</p>"
            "<blockquote>Kegiatan ini menjadi ruang anak muda untuk mengenal budaya sendiri.</blockquote>"
        ),
        "captions": [
            "Tari tradisional oleh anak-anak",
            "Penampilan grup keroncong",
            "Penonton memadati lokasi",
        ],
    },
    {
        "title": "Bank sampah {area} kumpulkan 300 kg sampah plastik",
        "category": Category.LINGKUNGAN,
        "tags": ["bank sampah", "daur ulang"],
        "body": (
            "<p>Dalam sebulan, bank sampah {area} mengumpulkan sekitar 300 kg sampah plastik dan kertas "
            "dari 85 nasabah. Hasil penjualan dicatat sebagai tabungan warga.</p>"
            "<p>Pengurus mengajak warga memilah sampah dari rumah: organik, plastik, dan kertas.</p>"
        ),
        "captions": ["Penimbangan sampah nasabah", "Sampah plastik siap dijual"],
    },
    {
        "title": "Belajar bersama di taman baca {area}",
        "category": Category.PENDIDIKAN,
        "tags": ["literasi", "taman baca", "anak"],
        "body": (
            "<p>Setiap Sabtu sore, relawan membuka taman baca di {area}. Anak-anak membaca buku cerita, "
            "belajar mewarnai, dan mengerjakan PR bersama.</p>"
            "<p>Taman baca menerima sumbangan buku bacaan anak yang masih layak.</p>"
        ),
        "captions": ["Anak-anak membaca buku cerita"],
    },
    {
        "title": "Pengumuman pemadaman listrik terjadwal di {area}",
        "category": Category.PENGUMUMAN,
        "tags": ["pengumuman", "listrik"],
        "body": (
            "<p>PLN memberitahukan pemadaman listrik terjadwal di sebagian {area} untuk pemeliharaan "
            "jaringan, pukul 09.00 sampai 14.00 WIB.</p>"
            "<p>Warga diimbau mengisi daya ponsel dan menyiapkan penerangan cadangan.</p>"
        ),
        "captions": ["Petugas memeriksa gardu listrik"],
    },
]
# The state of each community's posts, in order: every screen then has something real to show.
# The first four are the member's (the demo member login sees every state), the last an admin's.
STATES = ("published", "changes_requested", "submitted", "draft", "published")
CHANGES_REASON = "Mohon tambahkan keterangan pada setiap foto dan sebutkan jumlah peserta kegiatan."
PALETTES = [
    ((255, 183, 77), (239, 83, 80)),
    ((129, 212, 250), (21, 101, 192)),
    ((165, 214, 167), (46, 125, 50)),
    ((206, 147, 216), (106, 27, 154)),
    ((255, 224, 130), (245, 124, 0)),
]


def demo_posts_seed(*, stdout=None, password: str | None = None) -> int:
    """Create demo posts in each demo community that has none yet; returns how many were made.

    Authors are the community's members; a community without any gets one demo member (with
    `password`, or an unusable one). Decisions are made by an editor of the regency or a province
    admin; without either, the post stays submitted.
    """
    made, seeded = 0, {}
    # Demo addresses end in .demo: telling editors and authors about demo posts would only bounce.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for community in Community.objects.filter(slug__in=DEMO_SLUGS).select_related("regency"):
            with tenant_context(community):
                if Post.objects.exists():
                    continue
            authors = _authors(community, password)
            editor = _reviewer(community)
            with transaction.atomic():
                made += _seed_community(community, authors, editor)
            seeded[community.slug] = (community, authors[0])
            if stdout is not None:
                stdout.write(f"  {community.name}: {len(STATES)} demo posts\n")
        source = Community.objects.filter(slug=REUSED_PHOTO["from"]).first()
        if REUSED_PHOTO["to"] in seeded and source is not None:
            made += _seed_reused_photo(source, *seeded[REUSED_PHOTO["to"]])
    connection.set_schema_to_public()
    return made


# A post waiting for review whose photo is a copy of one another KIM published (cropped, shrunk,
# saved again): the hoax cue of the review screen (issue 23) has something real to show.
REUSED_PHOTO = {
    "from": "tembalang",
    "to": "pesindon",
    "title": "Banjir rob merendam permukiman warga pagi ini",
    "caption": "Air setinggi lutut di jalan kampung",
}


def _seed_reused_photo(source: Community, community: Community, author: User) -> int:
    with tenant_context(source):
        published = Post.objects.filter(status=Post.Status.PUBLISHED).order_by("pk").first()
        photo = published.photos.first() if published else None
        if photo is None:
            return 0
        largest = max(photo.renditions["webp"].items(), key=lambda item: int(item[0]))[1]
        with default_storage.open(largest, "rb") as stored, Image.open(stored) as original:
            w, h = original.size
            copy = original.convert("RGB").crop((w * 3 // 100, h * 2 // 100, w * 96 // 100, h * 97 // 100))
    out = io.BytesIO()
    copy.resize((copy.width * 3 // 4, copy.height * 3 // 4)).save(out, "JPEG", quality=70)
    out.seek(0)
    with transaction.atomic(), tenant_context(community):
        fields: dict[str, Any] = {
            "title": REUSED_PHOTO["title"],
            "body": "<p>Warga mengungsi ke balai RW setelah air laut masuk ke permukiman.</p>",
            "category": Category.KEGIATAN,
            "activity_date": timezone.localdate(),
            "activity_place": AREAS[community.slug][1],
        }
        post = post_update(post=None, actor=author, changes=PostChanges(fields=fields, tags=["banjir"]))
        photo_add(post_or_none=post, uploader=author, uploaded_file=out, caption=REUSED_PHOTO["caption"])
        moderation.post_submit(post=post, actor=author)
    return 1


def _authors(community: Community, password: str | None) -> list:
    # Members first ("member" sorts after "admin"), so the demo member's own list shows every state.
    memberships = Membership.objects.filter(community=community).select_related("user")
    authors = [membership.user for membership in memberships.order_by("-role", "id")]
    if not authors:
        user = community_services.user_get_or_create(
            email=f"anggota@{community.slug}.demo", full_name=AREAS[community.slug][2], password=password
        )
        community_services.membership_set(user=user, community=community)
        authors = [user]
    return authors


def _reviewer(community: Community):
    assignment = (
        EditorAssignment.objects.filter(regency_id=community.regency_id).select_related("user").first()
    )
    if assignment is not None:
        return assignment.user
    admin = (
        ProvinceAdmin.objects.filter(province_id=community.regency.province_id).select_related("user").first()
    )
    return admin.user if admin is not None else None


def _seed_community(community: Community, authors: list, editor: User) -> int:
    area, place, _name = AREAS[community.slug]
    rng = random.Random(community.slug)  # the same pictures and stories on every fresh seed
    start = DEMO_SLUGS.index(community.slug)
    today = timezone.localdate()
    with tenant_context(community):
        for number, state in enumerate(STATES):
            story = STORIES[(start + number * 3) % len(STORIES)]
            author = authors[0] if number < len(STATES) - 1 else authors[-1]
            post = post_update(
                post=None,
                actor=author,
                changes=PostChanges(
                    fields={
                        "title": story["title"].format(area=area),
                        "body": story["body"].format(area=area),
                        "category": story["category"],
                        "activity_date": today - datetime.timedelta(days=3 + number * 4),
                        "activity_place": place,
                    },
                    tags=story["tags"],
                ),
            )
            for caption in story["captions"]:
                image = demo_image(rng, caption, story["category"].label)
                photo_add(post_or_none=post, uploader=author, uploaded_file=image, caption=caption)
            _move_to(post, state, author, editor)
    return len(STATES)


def _move_to(post: Post, state: str, author: User, editor: User) -> None:
    if state == "draft":
        return
    moderation.post_submit(post=post, actor=author)
    if state == "submitted" or editor is None:
        return
    submission = Submission.objects.get(community=connection.tenant, post_id=post.pk, state="pending")
    if state == "published":
        moderation.submission_approve(submission_id=submission.pk, editor=editor)
    else:
        moderation.submission_request_changes(
            submission_id=submission.pk, editor=editor, reason=CHANGES_REASON
        )


def demo_image(rng: random.Random, caption: str, label: str) -> io.BytesIO:
    """A 1600x1000 JPEG: a sky gradient, hills, a sun, houses, and the caption on a band."""
    top, bottom = rng.choice(PALETTES)
    width, height = 1600, 1000
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", sky.size, bottom), Image.new("RGB", sky.size, top), sky)
    draw = ImageDraw.Draw(image)
    sun_x, sun_y = rng.randint(200, 1400), rng.randint(120, 320)
    draw.ellipse((sun_x - 90, sun_y - 90, sun_x + 90, sun_y + 90), fill=(255, 241, 118))
    for shade in (90, 60):
        points = [(0, height)] + [(x, rng.randint(520, 760)) for x in range(0, width + 200, 200)]
        draw.polygon(points + [(width, height)], fill=(30, shade + 40, 50))
    for _house in range(rng.randint(3, 6)):
        x = rng.randint(60, width - 260)
        y = rng.randint(700, 780)
        draw.rectangle((x, y, x + 180, y + 120), fill=(250, 245, 235))
        draw.polygon([(x - 20, y), (x + 90, y - 80), (x + 200, y)], fill=(183, 28, 28))
        draw.rectangle((x + 70, y + 50, x + 110, y + 120), fill=(93, 64, 55))
    draw.rectangle((0, height - 150, width, height), fill=(0, 0, 0))
    font = ImageFont.load_default(size=52)
    draw.text((50, height - 125), caption, fill=(255, 255, 255), font=font)
    draw.text((50, height - 60), f"KIM · {label}", fill=(255, 213, 79), font=ImageFont.load_default(size=34))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return out


DEMO_REGISTRATION_SLUG = "sapurokebulen"


def demo_registration_seed(*, password: str) -> RegistrationRequest:
    """One KIM waiting for Kota Pekalongan's editor to check its registration (idempotent)."""
    existing = RegistrationRequest.objects.filter(slug=DEMO_REGISTRATION_SLUG).first()
    if existing is not None:
        return existing
    applicant = community_services.user_get_or_create(
        email="ketua@sapurokebulen.demo", full_name="Nur Hidayah", password=password
    )
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    pdf = io.BytesIO()
    writer.write(pdf)
    return registrations.registration_submit(
        applicant=applicant,
        form_token="demo-registration",
        data={
            "name": "KIM Sapuro Kebulen",
            "regency": Regency.objects.get(code="33.75"),
            "district": "Pekalongan Barat",
            "village": "Sapuro Kebulen",
            "address": "Jl. Sapuro Gang 3 No. 12",
            "decree_number": "400.8/045/2025",
            "decree_date": datetime.date(2025, 4, 14),
            "contact_name": "Nur Hidayah",
            "contact_email": applicant.email,
            "contact_whatsapp": "+6281234500012",
            "slug": DEMO_REGISTRATION_SLUG,
        },
        decree_path=registrations.decree_store(pdf.getvalue(), "pdf"),
        decree_type="application/pdf",
        email_verified=True,
    )
