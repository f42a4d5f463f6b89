from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from communities.selectors import Regions, regions
from posts.models import Category

from .selectors import SEARCH_MAX_QUERY

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


_regency_choices: dict[str, tuple[Regions, list[tuple[str, str]]]] = {}


def regency_choices() -> list[tuple[str, str]]:
    """The home province's kabupaten/kota for the filter, from the regions each process keeps in
    memory, labelled once per language (no query, and no translation per option per page)."""
    language, current = translation.get_language(), regions()
    kept = _regency_choices.get(language)
    if kept is None or kept[0] is not current:
        home = settings.HOME_PROVINCE_CODE
        regencies = sorted(
            (r for r in current.regencies_by_slug.values() if not home or r.province.code == home),
            key=lambda r: (r.kind, r.name),
        )
        kept = _regency_choices[language] = (current, [(r.slug, str(r)) for r in regencies])
    return kept[1]


class SearchForm(forms.Form):
    """The search page's query string. A filter value that is not one (a cut or edited link) is
    dropped and named, and the search runs without it.

    The filters are plain text checked against the regions each process keeps in memory: as
    ChoiceFields, their ~40 choices were copied and normalised on every request, ~0.3 ms, about a
    tenth of a search's Python time."""

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
