from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from posts.models import Category

from .selectors import SEARCH_MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Kata kunci"), required=False, strip=True)
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.filter(communities__isnull=False).distinct().order_by("kind", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Semua kabupaten/kota"),
    )
    kategori = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Semua kategori")), *Category.choices], required=False
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(query) <= SEARCH_MAX_QUERY:
            return query
        self.truncated = True
        cut = query[: SEARCH_MAX_QUERY + 1]
        # Never search for half a word: drop the word the limit cut through.
        return cut.rsplit(None, 1)[0] if " " in cut else cut[:SEARCH_MAX_QUERY]
