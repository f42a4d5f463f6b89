from functools import cached_property
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from kimportal.forms import Form
from kimportal.pagination import PAGE_PARAM, BadCursor, Key, decode_cursor

from . import selectors
from .models import Label, Report, Submission

QUEUE_STATES = [
    (Submission.State.PENDING, _("Menunggu")),
    (Submission.State.APPROVED, _("Disetujui")),
    (Submission.State.CHANGES_REQUESTED, _("Perlu perbaikan")),
    (Submission.State.REJECTED, _("Ditolak")),
    (Submission.State.WITHDRAWN, _("Ditarik penulis")),
]

PRESET_REASONS = [
    ("foto", _("Foto tidak jelas")),
    ("hoaks", _("Informasi belum terverifikasi/berpotensi hoaks")),
    ("bukan-kim", _("Bukan kegiatan KIM")),
    ("data-pribadi", _("Data pribadi terlihat")),
]


class CursorField(forms.CharField):
    """A keyset pagination cursor ("micros.id") from the query string."""

    def to_python(self, value: Any) -> Key | None:  # type: ignore[override]  # a cursor, not text
        try:
            return decode_cursor(super().to_python(value))
        except BadCursor:
            raise forms.ValidationError(_("Halaman tidak dikenal."), code="cursor") from None


class ListFilterForm(Form):
    """Query-string filters: a bad value is ignored (and named), never an error page."""

    halaman = CursorField(required=False)  # PAGE_PARAM

    def filters(self) -> tuple[dict, list[str]]:
        """(valid values with defaults for the rest, labels of the ignored parameters)."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or self.fields[name].initial for name in self.fields}
        ignored = [str(self.fields[name].label or name) for name in self.errors]
        return values, ignored


class QueueFilterForm(ListFilterForm):
    """Whose submissions: one kabupaten/kota (offered to those who review several) or community.

    Plain integers checked against the user's kabupaten/kota; communities are read for the one in view
    only. A province admin's thousands of communities, read on every page to check the filter, made
    the queue cost more the bigger the province. Drawn by Django's Select widget: at most one
    kabupaten/kota's communities, whose options cost ~1.4 ms per 36 on a ~45 ms page.
    """

    regency = forms.IntegerField(label=_("Kabupaten/kota"), required=False, widget=forms.Select)
    community = forms.IntegerField(label=_("Komunitas"), required=False, widget=forms.Select)
    state = forms.ChoiceField(
        label=_("Status"), choices=QUEUE_STATES, required=False, initial=Submission.State.PENDING
    )
    field_order = ["regency", "community", "state"]

    def __init__(self, data, *, regencies: list[Regency]) -> None:
        super().__init__(data)
        self.regencies = {regency.pk: regency for regency in regencies}
        self.community_regency: int | None = None  # of a valid `community`
        self.fields[PAGE_PARAM].label = _("Halaman")
        self.fields["regency"].widget.choices = self.regency_options
        self.fields["community"].widget.choices = lambda: self.community_options or []  # read if drawn

    @property
    def several_regencies(self) -> bool:
        return len(self.regencies) > 1

    @property
    def regency_options(self) -> list[tuple]:
        return [
            ("", _("Semua kabupaten/kota")),
            *((pk, str(regency)) for pk, regency in self.regencies.items()),
        ]

    @cached_property
    def community_options(self) -> list[tuple] | None:
        """The communities of the kabupaten/kota in view: the chosen one, the chosen community's, or
        the only one. None for someone who reviews several and has chosen neither: a province admin's
        thousand communities in one list help nobody and cost more than the rest of the page."""
        self.is_valid()  # validated first (once): the answer depends on the cleaned values
        regency = self.cleaned_data.get("regency") or self.community_regency
        if regency is None and not self.several_regencies:
            regency = next(iter(self.regencies), None)
        communities = selectors.communities_in(regency) if regency else []
        return [("", _("Semua komunitas")), *communities] if communities else None

    def clean_regency(self) -> int | None:
        regency = self.cleaned_data["regency"]
        if regency is not None and regency not in self.regencies:
            raise forms.ValidationError(_("Kabupaten/kota ini tidak ada di wilayah Anda."))
        return regency

    def clean_community(self) -> int | None:
        community = self.cleaned_data["community"]
        if community is None:
            return None
        regency = selectors.regency_of_community(community)
        if regency not in self.regencies:
            raise forms.ValidationError(_("Komunitas ini tidak ada di wilayah Anda."))
        chosen = self.cleaned_data.get("regency")
        if chosen and regency != chosen:
            raise forms.ValidationError(_("Komunitas ini tidak ada di kabupaten/kota yang dipilih."))
        self.community_regency = regency
        return community


class AuditLogFilterForm(ListFilterForm):
    regency = forms.TypedChoiceField(label=_("Kabupaten/kota"), coerce=int, required=False, empty_value=None)
    field_order = ["regency"]

    def __init__(self, data, *, regencies: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["regency"].choices = [("", _("Semua kabupaten/kota")), *regencies]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields[PAGE_PARAM].label = _("Halaman")


class ReasonForm(Form):
    """A reason the author will read: preset reasons, free text, or both."""

    presets = forms.MultipleChoiceField(
        label=_("Alasan umum"),
        choices=PRESET_REASONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Catatan untuk penulis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if not data.get("presets") and not (data.get("note") or "").strip():
            raise forms.ValidationError(
                _("Pilih atau tuliskan alasannya agar penulis tahu apa yang harus diperbaiki."), code="reason"
            )
        return data

    @property
    def reason(self) -> str:
        """The reason as stored and sent to the author: in the portal's language, one item a line."""
        labels = dict(PRESET_REASONS)
        with translation.override(settings.LANGUAGE_CODE):
            lines = [str(labels[key]) for key in self.cleaned_data["presets"]]
        note = self.cleaned_data["note"].strip()
        return "\n".join([*lines, note] if note else lines)


class RejectForm(ReasonForm):
    confirm = forms.BooleanField(
        label=_("Saya yakin. Penolakan bersifat final: penulis tidak dapat mengirim tulisan ini lagi."),
        error_messages={"required": _("Centang konfirmasi untuk menolak.")},
    )


class TakeDownForm(Form):
    reason = forms.CharField(
        label=_("Alasan diturunkan"),
        max_length=2000,
        error_messages={"required": _("Tuliskan alasannya: penulis akan membacanya.")},
    )
    # The editor's category and the clarification that answers the post (moderation.labels).
    label = forms.ChoiceField(
        label=_("Label"), choices=[("", _("Tanpa label")), *Label.choices], required=False
    )
    clarification = forms.IntegerField(label=_("Dijawab oleh klarifikasi (tidak wajib)"), required=False)


class ReportForm(Form):
    reason = forms.ChoiceField(
        label=_("Alasan laporan"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Keterangan (tidak wajib)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
