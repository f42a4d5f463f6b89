"""Demo official notices (for seed_demo): one of each kind, from the province and from a kota."""

from datetime import timedelta

from django.utils import timezone

from communities.models import EditorAssignment, ProvinceAdmin, Regency
from notices.models import Notice
from notices.services import NoticeDraft, notice_publish

PROVINCE_CODE, REGENCY_CODE = "33", "33.75"  # Jawa Tengah, Kota Pekalongan

NOTICES = [
    (
        "province",
        Notice.Kind.PROGRAMME,
        "Lomba Kampung Bersih Bebas Sampah Plastik 2026",
        "Pemerintah Provinsi Jawa Tengah mengajak setiap kelurahan dan desa mengikuti Lomba Kampung "
        "Bersih. Penilaian meliputi pemilahan sampah, bank sampah, dan pengurangan plastik sekali pakai."
        "\n\nKIM dapat membantu dengan meliput kegiatan kerja bakti dan bank sampah di wilayahnya.",
        "",
    ),
    (
        "regency",
        Notice.Kind.SERVICE,
        "Perekaman KTP elektronik keliling di kelurahan, Sabtu pagi",
        "Dinas Kependudukan dan Pencatatan Sipil membuka perekaman KTP elektronik keliling setiap Sabtu "
        "pukul 08.00-12.00 di balai kelurahan secara bergiliran. Bawa fotokopi kartu keluarga. Layanan ini "
        "gratis.",
        "",
    ),
    (
        "province",
        Notice.Kind.CLARIFICATION,
        "Hoaks: pesan berantai bantuan sosial Rp 2,5 juta lewat tautan pendaftaran",
        "Beredar pesan berantai di WhatsApp yang meminta warga mendaftar bantuan sosial Rp 2,5 juta "
        "melalui sebuah tautan dan mengisi nomor rekening serta kode OTP. Pesan itu tidak benar. "
        "Pendaftaran bantuan sosial tidak pernah meminta kode OTP dan tidak melalui tautan berantai."
        "\n\nJangan membuka tautan itu dan jangan membagikan kode OTP kepada siapa pun.",
        "https://cekbansos.kemensos.go.id/",
    ),
]


def demo_notices_seed() -> int:
    """Publish the demo notices once (none while any notice exists); returns how many were made."""
    if Notice.objects.exists():
        return 0
    regency = Regency.objects.filter(code=REGENCY_CODE).select_related("province").first()
    admin = ProvinceAdmin.objects.filter(province__code=PROVINCE_CODE).select_related("user").first()
    editor = EditorAssignment.objects.filter(regency=regency).select_related("user").first()
    if regency is None or admin is None or editor is None:
        return 0
    made = 0
    for who, kind, title, body, link in NOTICES:
        actor = admin.user if who == "province" else editor.user
        draft = NoticeDraft(
            kind=kind,
            title=title,
            body=body,
            link=link,
            expires_on=timezone.localdate() + timedelta(days=60),
            province_id=regency.province_id,
            regency_id=regency.pk if who == "regency" else None,
        )
        notice_publish(actor=actor, draft=draft)
        made += 1
    return made
