from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from communities.selectors import regions
from kimportal.forms import Form
from posts.models import Category

from .fastpath import SEARCH_MAX_QUERY, regency_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SearchForm(Form):
    """The search page's query string. A filter value that is not one (a cut or edited link) is
    dropped and named, and the search runs without it.

    The filters are plain text checked against the regions each process keeps in memory, and drawn
    by `fastpath.select_html`: as ChoiceFields with Select widgets, their ~40 choices were copied,
    normalised and rendered a template per option on every request (see feed.fastpath)."""

    q = forms.CharField(label=_("Kata kunci"), required=False, strip=True)
    kabupaten = forms.CharField(label=_("Kabupaten/kota"), required=False)
    kategori = forms.CharField(label=_("Kategori"), required=False)

    @property
    def regency_options(self) -> list[tuple[str, StrOrPromise]]:
        return [("", _("Semua kabupaten/kota")), *regency_choices()]

    @property
    def category_options(self) -> list[tuple[str, StrOrPromise]]:
        return [("", _("Semua kategori")), *Category.choices]

    def clean_kabupaten(self) -> Regency | None:
        slug = self.cleaned_data["kabupaten"]
        if not slug:
            return None
        if slug not in dict(regency_choices()):
            raise forms.ValidationError(_("Kabupaten/kota tidak dikenal."), code="invalid_choice")
        return regions().regencies_by_slug[slug]

    def clean_kategori(self) -> str:
        category = self.cleaned_data["kategori"]
        if category and category not in Category.values:
            raise forms.ValidationError(_("Kategori tidak dikenal."), code="invalid_choice")
        return category

    def filters(self) -> tuple[str, Regency | None, str]:
        """(query, regency, category), without the values that are not valid."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("q", ""), data.get("kabupaten"), data.get("kategori", "")

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(query) <= SEARCH_MAX_QUERY:
            return query
        self.truncated = True
        cut = query[: SEARCH_MAX_QUERY + 1]
        # Never search for half a word: drop the word the limit cut through.
        return cut.rsplit(None, 1)[0] if " " in cut else cut[:SEARCH_MAX_QUERY]
