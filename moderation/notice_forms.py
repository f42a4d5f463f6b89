"""The console's forms for official notices, and the label form of the post lists.

A notice's photo goes through the post photos' checks (posts.images: real format, size, pixel
bombs, upright, no metadata) and its PDF through the decree's (moderation.pdfs); both are turned
into notices' own types here, so the notices layer stores bytes it never has to judge.
"""

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from kimportal.forms import Form
from notices import files
from notices.access import Target, publish_targets
from notices.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Notice
from notices.services import NoticeDraft, expiry_problem
from posts.images import HEIF_SUPPORTED, PhotoRejected, process_photo

from .models import Label
from .pdfs import PdfProblem, pdf_problem
from .registration_forms import DescribedErrorsMixin

PDF_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_DAYS = 30

PDF_PROBLEMS = {
    PdfProblem.NOT_PDF: _("Berkas ini bukan PDF. Pilih berkas PDF, atau kosongkan isian ini."),
    PdfProblem.ENCRYPTED: _("PDF ini dikunci kata sandi. Simpan ulang tanpa kata sandi, lalu pilih lagi."),
    PdfProblem.BROKEN: _(
        "Berkas PDF ini rusak atau tidak lengkap. Simpan ulang sebagai PDF, lalu pilih lagi."
    ),
    PdfProblem.NO_PAGES: _("PDF ini tidak berisi halaman."),
    PdfProblem.ACTIVE: _(
        "PDF ini berisi JavaScript atau berkas tersembunyi. Cetak ulang sebagai PDF biasa, lalu pilih lagi."
    ),
}


class NoticeForm(DescribedErrorsMixin, Form):
    kind = forms.ChoiceField(
        label=_("Jenis info"),
        choices=Notice.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis info.")},
    )
    target = forms.ChoiceField(
        label=_("Untuk KIM di"),
        error_messages={
            "required": _("Pilih wilayah tempat info ini tampil."),
            "invalid_choice": _("Anda tidak bertugas menerbitkan info untuk wilayah ini."),
        },
    )
    title = forms.CharField(
        label=_("Judul"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Judul wajib diisi."),
            "max_length": _(
                "Judul paling banyak %(limit_value)d karakter, sekarang %(show_value)d karakter."
            ),
        },
    )
    body = forms.CharField(
        label=_("Isi info"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Singkat dan jelas, untuk dibaca di ponsel. Pisahkan paragraf dengan baris kosong."),
        error_messages={
            "required": _("Isi info wajib diisi: tuliskan pesannya dalam beberapa kalimat."),
            "max_length": _(
                "Isi info paling banyak %(limit_value)d karakter, sekarang %(show_value)d karakter."
            ),
        },
    )
    link = forms.URLField(
        label=_("Tautan (tidak wajib)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Misalnya halaman pendaftaran program di situs resmi."),
        error_messages={"invalid": _("Tulis alamat lengkap, misalnya https://jatengprov.go.id/program.")},
    )
    expires_on = forms.DateField(
        label=_("Tampil sampai tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        help_text=_("Sesudah tanggal ini info tidak lagi tampil di situs KIM; halamannya tetap bisa dibuka."),
        error_messages={
            "required": _("Isi tanggal terakhir info ini tampil."),
            "invalid": _("Tulis tanggal seperti 31-12-2026."),
        },
    )
    photo = forms.FileField(
        label=_("Foto (tidak wajib)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
        help_text=_("JPG, PNG, WebP, atau HEIC.") if HEIF_SUPPORTED else _("JPG, PNG, atau WebP."),
    )
    pdf = forms.FileField(
        label=_("PDF (tidak wajib)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Dokumen resmi untuk diunduh pembaca, paling besar 10 MB. PDF ini terbuka untuk umum."),
    )
    remove_photo = forms.BooleanField(label=_("Hapus foto"), required=False)
    remove_pdf = forms.BooleanField(label=_("Hapus PDF"), required=False)

    def __init__(self, *args, user: User, notice: Notice | None = None, **kwargs):
        if notice is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] |= {
                "kind": notice.kind,
                "target": f"r{notice.regency_id}" if notice.regency_id else f"p{notice.province_id}",
                "title": notice.title,
                "body": notice.body,
                "link": notice.link,
                "expires_on": notice.expires_on,
            }
        else:
            kwargs.setdefault("initial", {})
            kwargs["initial"].setdefault("expires_on", timezone.localdate() + timedelta(days=DEFAULT_DAYS))
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.targets: dict[str, Target] = {target.key: target for target in publish_targets(user)}
        cast(forms.ChoiceField, self.fields["target"]).choices = [("", _("Pilih wilayah"))] + [
            (key, _target_label(target)) for key, target in self.targets.items()
        ]
        if notice is None or not notice.photo:
            del self.fields["remove_photo"]
        if notice is None or not notice.pdf:
            del self.fields["remove_pdf"]
        self.checked_photo: files.CheckedPhoto | None = None
        self.checked_pdf: files.CheckedPdf | None = None

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if problem := expiry_problem(value):
            raise forms.ValidationError(problem)
        return value

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            try:
                processed = process_photo(upload)
            except PhotoRejected as rejected:
                raise forms.ValidationError(rejected.message) from None
            self.checked_photo = files.CheckedPhoto(
                width=processed.width,
                height=processed.height,
                renditions=[
                    files.Rendition(r.width, r.height, r.content, r.format) for r in processed.renditions
                ],
            )
        return upload

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload:
            if upload.size > PDF_MAX_BYTES:
                raise forms.ValidationError(_("PDF terlalu besar. Maksimum 10 MB."))
            content = upload.read()
            if problem := pdf_problem(content):
                raise forms.ValidationError(PDF_PROBLEMS[problem])
            self.checked_pdf = files.CheckedPdf(content=content, name=upload.name[-200:])
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.errors:
            self._files_to_choose_again()

    def _files_to_choose_again(self) -> None:
        """A form that comes back cannot keep the files chosen (browsers do not refill a file input):
        a chosen file that passed its own check says so (one that failed says what to choose)."""
        for name, what in (("photo", _("foto")), ("pdf", _("PDF"))):
            if self.files.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("Isian lain perlu diperbaiki, jadi %(what)s ini belum tersimpan: pilih lagi berkasnya.")
                    % {"what": what},
                )

    def draft(self) -> NoticeDraft:
        data = self.cleaned_data
        target = self.targets[data["target"]]
        return NoticeDraft(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            link=data["link"],
            expires_on=data["expires_on"],
            province_id=target.province.pk,
            regency_id=target.regency.pk if target.regency else None,
            photo=self.checked_photo,
            pdf=self.checked_pdf,
            remove_photo=data.get("remove_photo", False),
            remove_pdf=data.get("remove_pdf", False),
        )


def _target_label(target: Target) -> str:
    if target.regency is None:
        return str(_("Seluruh Provinsi %(province)s")) % {"province": target.province.name}
    return str(target.regency)


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Alasan penarikan (tercatat di log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan penarikan: alasan ini tercatat di log.")},
    )


class LabelForm(Form):
    """A label for a published or taken-down post, and the clarification that answers it, if any
    (its id; the view checks it is one the editor may link to)."""

    label = forms.ChoiceField(
        label=_("Label"),
        choices=[("", _("Pilih label")), *Label.choices],
        error_messages={"required": _("Pilih label dari daftar.")},
    )
    clarification = forms.IntegerField(label=_("Dijawab oleh klarifikasi (tidak wajib)"), required=False)
