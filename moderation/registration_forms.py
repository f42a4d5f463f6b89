"""The "Daftarkan KIM" form and the reviewers' decision forms."""

import re
from datetime import date
from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import RegistrationRequest
from communities.registrations import decree_store, slug_problem
from communities.selectors import regions
from kimportal.forms import Form

from .decrees import DecreeRejected, decree_check

_KEPT_SALT = "moderation.registration.decree"
_WHATSAPP = re.compile(r"^(?:\+?62|0)8[0-9]{7,12}$")


class DescribedErrorsMixin:
    """A field with an error points at it (`aria-describedby`, `aria-invalid`), as screen readers need."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin for forms.Form
        self.describe_errors()

    def describe_errors(self) -> None:
        for name in self.errors:  # type: ignore[attr-defined]  # as above
            if name in self.fields:  # type: ignore[attr-defined]  # as above
                field = self[name]  # type: ignore[index]  # as above
                ids = [f"{field.auto_id}_error"] + ([f"{field.auto_id}_helptext"] if field.help_text else [])
                field.field.widget.attrs.update({"aria-describedby": " ".join(ids), "aria-invalid": "true"})


def _regency_choices() -> list:
    """Kabupaten/kota grouped by province (an <optgroup> each): chosen without JavaScript."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for regency in sorted(
        regions().regencies_by_id.values(), key=lambda r: (r.province.name, r.kind, r.name)
    ):
        grouped.setdefault(regency.province.name, []).append((regency.pk, str(regency)))
    return [("", _("Pilih kabupaten/kota")), *grouped.items()]


def _province_choices() -> list:
    provinces = {r.province.pk: r.province.name for r in regions().regencies_by_id.values()}
    return [("", _("Pilih provinsi")), *sorted(provinces.items(), key=lambda item: item[1])]


class RegistrationForm(DescribedErrorsMixin, Form):
    name = forms.CharField(label=_("Nama KIM"), max_length=120, help_text=_("Contoh: KIM Kraton Kidul"))
    province = forms.TypedChoiceField(label=_("Provinsi"), coerce=int)
    regency = forms.TypedChoiceField(label=_("Kabupaten/kota"), coerce=int)
    district = forms.CharField(label=_("Kecamatan"), max_length=100)
    village = forms.CharField(label=_("Desa/kelurahan"), max_length=100)
    address = forms.CharField(label=_("Alamat sekretariat"), max_length=255)
    decree_number = forms.CharField(label=_("Nomor SK penetapan"), max_length=100)
    decree_date = forms.DateField(
        label=_("Tanggal SK penetapan"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decree_file = forms.FileField(
        label=_("Berkas SK (PDF atau foto)"),
        required=False,
        help_text=_("PDF, JPG, PNG, atau HEIC, paling besar 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,application/pdf,image/jpeg,image/png,image/heic"}
        ),
    )
    decree_kept = forms.CharField(required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("Nama narahubung"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Email narahubung"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_whatsapp = forms.CharField(
        label=_("Nomor WhatsApp narahubung"),
        max_length=20,
        help_text=_("Contoh: 0812 3456 7890"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    slug = forms.CharField(
        label=_("Subdomain yang diinginkan"),
        max_length=80,  # longer input gets the rule's own message, not the browser's silent cut
        help_text=_(
            "Alamat situs KIM Anda: <em>nama</em>.kim.id. 3-40 huruf kecil, angka, atau tanda hubung; "
            "bukan nama sistem (www, mail, admin, api) dan tanpa kata tidak pantas."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}),
    )
    consent_terms = forms.BooleanField(
        label=_("Saya menyetujui syarat dan ketentuan Portal KIM."),
        error_messages={"required": _("Centang persetujuan syarat dan ketentuan untuk mendaftar.")},
    )
    consent_privacy = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi narahubung diproses untuk pendaftaran ini sesuai UU No. 27 Tahun 2022 "
            "tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Centang persetujuan pemrosesan data pribadi untuk mendaftar.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args, with_account: bool = False, editing: RegistrationRequest | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.editing = editing
        cast(forms.ChoiceField, self.fields["province"]).choices = _province_choices()
        cast(forms.ChoiceField, self.fields["regency"]).choices = _regency_choices()
        self.decree: tuple[str, str, str] | None = None  # (path, content type, shown name) once checked
        if with_account:
            self.fields["password1"] = forms.CharField(
                label=_("Kata sandi untuk akun Anda"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                help_text=_("Akun ini menjadi akun pengelola situs KIM Anda. Paling sedikit 8 karakter."),
            )
            self.fields["password2"] = forms.CharField(
                label=_("Ulangi kata sandi"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            )
        if editing is not None:  # consent was given when it was sent; the file is already there
            del self.fields["consent_terms"], self.fields["consent_privacy"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if problem := slug_problem(slug, exclude=self.editing):
            raise forms.ValidationError(problem)
        return slug

    def clean_contact_whatsapp(self) -> str:
        number = re.sub(r"[\s().-]", "", self.cleaned_data["contact_whatsapp"])
        if not _WHATSAPP.match(number):
            raise forms.ValidationError(
                _("Nomor WhatsApp tidak dikenali. Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890.")
            )
        return "+62" + re.sub(r"^(?:\+?62|0)", "", number)

    def clean_decree_date(self) -> date:
        value = self.cleaned_data["decree_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal SK tidak boleh di masa depan."))
        return value

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip().lower()

    def clean(self) -> dict:
        data = self.cleaned_data
        province, regency = data.get("province"), data.get("regency")
        if regency:
            found = regions().regencies_by_id.get(regency)
            if found is None:
                self.add_error("regency", _("Pilih kabupaten/kota dari daftar."))
            elif province and found.province_id != province:
                self.add_error(
                    "regency",
                    _(
                        "%(regency)s tidak berada di provinsi yang dipilih. "
                        "Periksa lagi provinsi atau kabupaten/kota."
                    )
                    % {"regency": found},
                )
            else:
                data["regency"] = found
        self._clean_decree()
        if "password1" in self.fields:
            self._clean_password(data)
        return data

    def _clean_decree(self) -> None:
        """Check a new file and keep it (private storage, a signed name in the form) for a re-shown form."""
        upload = self.cleaned_data.get("decree_file")
        if upload:
            try:
                decree = decree_check(upload, upload.size)
            except DecreeRejected as rejected:
                self.add_error("decree_file", rejected.message)
                return
            path = decree_store(decree.content, decree.extension)
            self.decree = (path, decree.content_type, upload.name)
            return
        kept = self.cleaned_data.get("decree_kept")
        if kept:
            try:
                path, content_type, shown = signing.loads(kept, salt=_KEPT_SALT, max_age=86400)
            except signing.BadSignature:
                pass
            else:
                self.decree = (path, content_type, shown)
                return
        if self.editing is None:
            self.add_error("decree_file", _("Unggah berkas SK penetapan KIM (PDF atau foto)."))

    def _clean_password(self, data: dict) -> None:
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif one:
            try:
                password_validation.validate_password(one)
            except forms.ValidationError as error:
                self.add_error("password1", error)

    @property
    def kept_decree(self) -> dict | None:
        """The checked file to carry to the next submit of this form: its signed token and name."""
        if self.decree is None:
            return None
        return {"token": signing.dumps(list(self.decree), salt=_KEPT_SALT), "name": self.decree[2]}

    def registration_data(self) -> dict:
        fields = ("name", "regency", "district", "village", "address", "decree_number", "decree_date")
        more = ("contact_name", "contact_email", "contact_whatsapp", "slug")
        return {field: self.cleaned_data[field] for field in (*fields, *more)}


REASONS = {
    "sk": _("Berkas SK penetapan tidak terbaca atau tidak lengkap."),
    "sk-lain": _("SK penetapan bukan untuk KIM ini atau bukan dari pejabat yang berwenang."),
    "wilayah": _("Desa/kelurahan atau kecamatan tidak sesuai dengan kabupaten/kota."),
    "ganda": _("KIM ini sudah terdaftar di Portal KIM."),
    "subdomain": _("Subdomain tidak sesuai dengan nama KIM."),
    "kontak": _("Narahubung tidak dapat dihubungi."),
}


class RegistrationDecisionForm(Form):
    """Preset reasons and a free text; together they must say something."""

    presets = forms.MultipleChoiceField(
        label=_("Alasan"), choices=list(REASONS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Catatan untuk pemohon"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict:
        data = self.cleaned_data
        if not data.get("presets") and not data.get("note", "").strip():
            raise forms.ValidationError(_("Pilih alasan atau tulis catatan untuk pemohon."))
        return data

    @property
    def reason(self) -> str:
        lines = [str(REASONS[key]) for key in self.cleaned_data["presets"]]
        if note := self.cleaned_data["note"].strip():
            lines.append(note)
        return "\n".join(lines)
