from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from communities.selectors import Regions, regions
from posts.models import Category

from .selectors import SEARCH_MAX_QUERY

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
    q = forms.CharField(label=_("Kata kunci"), required=False, strip=True)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    kategori = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Semua kategori")), *Category.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].choices = [("", _("Semua kabupaten/kota")), *regency_choices()]

    def clean_kabupaten(self) -> Regency | None:
        return regions().regencies_by_slug.get(self.cleaned_data["kabupaten"])

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(query) <= SEARCH_MAX_QUERY:
            return query
        self.truncated = True
        cut = query[: SEARCH_MAX_QUERY + 1]
        # Never search for half a word: drop the word the limit cut through.
        return cut.rsplit(None, 1)[0] if " " in cut else cut[:SEARCH_MAX_QUERY]
