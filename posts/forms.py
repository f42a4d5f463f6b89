"""The post form: parses what a member typed; the rules for saving live in posts.services."""

from collections.abc import Sequence

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kimportal.forms import Form

from .html import body_html, editable_text
from .images import HEIF_SUPPORTED, MAX_UPLOAD_BYTES
from .models import TITLE_MAX_LENGTH, Category, Photo, Post
from .photos import MAX_PHOTOS_PER_POST
from .services import POST_FIELDS, PhotoEdit, PostChanges
from .videos import MAX_INPUT_LENGTH, parse_video_url

MAX_TAGS = 10
TAG_MAX_LENGTH = 50
BODY_MAX_LENGTH = 100_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoUploadField(forms.FileField):
    """Renders a multiple file input; the files themselves are checked by posts.photos.photos_add."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return data


def parse_tags(value: str) -> list[str]:
    """Comma-separated tags, trimmed, "#" dropped, duplicates (any case) removed, order kept."""
    tags, seen = [], set()
    for raw in (value or "").split(","):
        tag = " ".join(raw.strip().lstrip("#").split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


class PostForm(Form):
    """Title, body, activity, category, tags, new photos, and caption/order/remove/cover per photo.

    `photos` are the photos shown in the form: the post's own and the member's uploads not yet
    attached. With `lenient=True` (autosave) nothing is required and invalid fields are skipped.
    """

    keep_invisible = ("body",)  # rich text: zero-width joiners hold emoji together; nh3 cleans it

    title = forms.CharField(
        label=_("Judul"),
        max_length=TITLE_MAX_LENGTH,
        required=False,  # required by the service on a full save, so autosave can keep a draft
        error_messages={
            "max_length": _(
                "Judul paling banyak %(limit_value)d karakter, sekarang %(show_value)d karakter. "
                "Persingkat judulnya."
            )
        },
    )
    body = forms.CharField(
        label=_("Isi tulisan"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        # The plain text box's rule (no JavaScript); the editor shows its own help.
        help_text=_("Pisahkan paragraf dengan baris kosong."),
        error_messages={"max_length": _("Isi tulisan terlalu panjang: maksimum %(limit_value)d karakter.")},
    )
    activity_date = forms.DateField(
        label=_("Tanggal kegiatan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 17-08-2026.")},
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
    )
    activity_place = forms.CharField(label=_("Tempat kegiatan"), max_length=150, required=False)
    category = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Pilih kategori"))] + Category.choices, required=False
    )
    tags = forms.CharField(
        label=_("Tag"),
        required=False,
        help_text=_("Pisahkan dengan koma, misalnya: batik, umkm, posyandu. Maksimum 10 tag."),
    )
    photos = PhotoUploadField(
        label=_("Tambah foto"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
        help_text=format_lazy(
            _(
                "JPG, PNG, WebP, atau HEIC (foto iPhone). Maksimum {count} foto per tulisan, "
                "masing-masing {mb} MB."
            )
            if HEIF_SUPPORTED
            else _("JPG, PNG, atau WebP. Maksimum {count} foto per tulisan, masing-masing {mb} MB."),
            count=MAX_PHOTOS_PER_POST,
            mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        ),
    )

    video_url = forms.CharField(
        label=_("Tautan video"),
        required=False,
        max_length=MAX_INPUT_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "url", "inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "Tidak wajib. Tempel tautan satu video YouTube atau Facebook (dari tombol Bagikan), "
            "misalnya https://youtu.be/…"
        ),
        error_messages={
            "max_length": _("Tautan video terlalu panjang. Salin lagi tautannya dari tombol Bagikan.")
        },
    )

    def __init__(
        self,
        data=None,
        files=None,
        *,
        post: Post | None = None,
        photos: Sequence[Photo] = (),
        lenient: bool = False,
    ):
        if data is not None and "body" in data:
            # Re-shown bodies are the sanitised ones: the editor loads them as HTML.
            data = data.copy()
            data["body"] = editable_text(body_html(data["body"]))
        initial = {}
        if post is not None:
            initial = {name: getattr(post, name) for name in POST_FIELDS}
            initial["body"] = editable_text(post.body)
            initial["tags"] = ", ".join(sorted(post.tags.names()))
            initial["cover"] = post.cover_id
        super().__init__(data, files, initial=initial)
        self.post = post
        self.lenient = lenient
        self.photo_list = list(photos)
        for photo in self.photo_list:
            self.fields[f"caption_{photo.pk}"] = forms.CharField(
                label=_("Keterangan foto"), max_length=300, required=False, initial=photo.caption
            )
            self.fields[f"order_{photo.pk}"] = forms.IntegerField(
                label=_("Urutan"), min_value=1, max_value=99, required=False, initial=photo.position or None
            )
            self.fields[f"remove_{photo.pk}"] = forms.BooleanField(label=_("Hapus foto ini"), required=False)
        self.fields["cover"] = forms.TypedChoiceField(
            choices=[(photo.pk, str(photo.pk)) for photo in self.photo_list],
            coerce=int,
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
        )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if not title and not self.lenient:
            raise forms.ValidationError(_("Judul wajib diisi."))
        return title

    def clean_video_url(self) -> str:
        """The video in its normal form (posts.videos), or "" for none."""
        text = self.cleaned_data["video_url"]
        return parse_video_url(text).url if text.strip() else ""

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            message = ngettext_lazy(
                "Maksimum %(limit)d tag; Anda menulis %(count)d tag. Pilih yang paling penting.",
                "Maksimum %(limit)d tag; Anda menulis %(count)d tag. Pilih yang paling penting.",
                "count",
            )
            raise forms.ValidationError(message % {"limit": MAX_TAGS, "count": len(tags)})
        too_long = [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Setiap tag paling banyak %(limit)d karakter: “%(tag)s…” terlalu panjang.")
                % {"limit": TAG_MAX_LENGTH, "tag": too_long[0][:20]}
            )
        return tags

    def photo_rows(self) -> list[dict]:
        """Each photo with its bound caption, order and remove fields, for the template."""
        cover = self["cover"].value()
        chosen = str(cover) if cover not in (None, "") else ""
        if not chosen and self.photo_list:
            chosen = str(self.post.cover_id if self.post and self.post.cover_id else self.photo_list[0].pk)
        return [
            {
                "photo": photo,
                "thumbnail": photo.thumbnail,
                "caption": self[f"caption_{photo.pk}"],
                "order": self[f"order_{photo.pk}"],
                "remove": self[f"remove_{photo.pk}"],
                "is_cover": str(photo.pk) == chosen,
            }
            for photo in self.photo_list
        ]

    def changes(self, *, attach: list[Photo]) -> PostChanges:
        """The valid input as a PostChanges; when lenient, the fields with errors are left out."""
        data = self.cleaned_data
        photos = {}
        for photo in self.photo_list:
            names = [f"caption_{photo.pk}", f"order_{photo.pk}", f"remove_{photo.pk}"]
            if all(name in data for name in names):
                photos[photo.pk] = PhotoEdit(
                    caption=data[names[0]], position=data[names[1]], remove=data[names[2]]
                )
        return PostChanges(
            fields={name: data[name] for name in POST_FIELDS if name in data},
            tags=data.get("tags"),
            photos=photos,
            attach=attach,
            cover_id=data.get("cover"),
        )
