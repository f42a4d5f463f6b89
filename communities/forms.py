"""Forms for community management and for accepting an invitation."""

import re
import warnings
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

from kimportal.forms import Form, ModelForm

from .models import PROFILE_FIELDS, Community, Membership
from .services import LOGO_SIDE

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000  # A 2 MB PNG can still hold a decompression bomb; refuse before decoding.
LOGO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
PHONE_PATTERN = re.compile(r"^[0-9+()\-. ]{6,30}$")
# Each social link must point at its own network; pasting the Instagram link into Facebook is common.
SOCIAL_HOSTS = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "instagram": ("instagram.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "tiktok": ("tiktok.com",),
}


def _https_url_fields(field: models.Field, **kwargs) -> forms.Field | None:
    """Typed without a scheme ('facebook.com/kimku'), a link means https."""
    if isinstance(field, models.URLField):
        return field.formfield(assume_scheme="https", **kwargs)
    return field.formfield(**kwargs)


def _decodes(upload) -> bool:
    """Whether the whole image decodes, as the logo's WebP will be made (ImageField only reads the
    header: a truncated JPEG passes it, then failed in services._logo_webp with a 500)."""
    upload.seek(0)
    try:
        with warnings.catch_warnings(), Image.open(upload) as image:
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.draft("RGB", (LOGO_SIDE, LOGO_SIDE))
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    finally:
        upload.seek(0)
    return True


class CommunityProfileForm(ModelForm):
    class Meta:
        model = Community
        fields = ["name", "logo", *PROFILE_FIELDS[1:]]
        formfield_callback = _https_url_fields
        labels = {"name": _("Nama komunitas")}
        help_texts = {
            "logo": _("Gambar JPG, PNG, atau WebP, paling besar 2 MB. Sebaiknya persegi."),
            "about": _("Ceritakan singkat kegiatan dan wilayah komunitas Anda."),
            "phone": _("Contoh: 0285 421234 atau +62 812 3456 7890"),
            "facebook": _("Alamat lengkap halaman, misalnya https://facebook.com/kimanda"),
        }
        error_messages = {
            "logo": {
                "invalid_image": _(
                    "Berkas ini bukan gambar atau rusak. Pilih berkas gambar JPG, PNG, atau WebP."
                ),
                "invalid_extension": _("Logo harus berupa gambar JPG, PNG, atau WebP."),
            },
        }
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        image = getattr(logo, "image", None)  # set by ImageField only for a new, valid upload
        if image is None:
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas logo %(size)s; paling besar 2 MB. Perkecil gambarnya lalu unggah lagi."),
                params={"size": filesizeformat(logo.size)},
            )
        if image.format not in LOGO_FORMATS:
            raise forms.ValidationError(_("Logo harus berupa gambar JPG, PNG, atau WebP."))
        if image.width * image.height > LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                _("Ukuran gambar logo terlalu besar. Perkecil gambarnya lalu unggah lagi.")
            )
        if not _decodes(logo):
            raise forms.ValidationError(
                self.fields["logo"].error_messages["invalid_image"], code="invalid_image"
            )
        return logo

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(
                _("Nomor telepon hanya boleh berisi angka, spasi, dan tanda + - ( ).")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        for field, hosts in SOCIAL_HOSTS.items():
            url = cleaned.get(field)
            if not url:
                continue
            host = (urlsplit(url).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in hosts):
                self.add_error(
                    field,
                    _("Tautan ini bukan alamat %(network)s. Contoh: https://%(host)s/namakomunitas")
                    % {"network": self.fields[field].label, "host": hosts[0]},
                )
        return cleaned


class InvitationEmailForm(Form):
    email = forms.EmailField(
        label=_("Email orang yang diundang"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    role = forms.ChoiceField(
        label=_("Peran"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class InvitationLinkForm(Form):
    role = forms.ChoiceField(
        label=_("Peran"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class MembershipRoleForm(Form):
    role = forms.ChoiceField(label=_("Peran"), choices=Membership.Role.choices)


class InvitationSignupForm(Form):
    """A new account made from an invitation; the email is fixed when the invitation names one."""

    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invited_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited_email:
            # A disabled field ignores what is posted: the address is the one the invitation was sent to.
            self.fields["email"].initial = invited_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Undangan ini dikirim ke alamat ini.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Email ini sudah terdaftar. Masuk dengan akun tersebut untuk menerima undangan.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Kedua kata sandi tidak sama. Ketik ulang keduanya."))
        elif password2:
            user = get_user_model()(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password2, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
