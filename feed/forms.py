from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Regency
from posts.models import Category

from .selectors import SEARCH_MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Kata kunci"), required=False, max_length=5000, strip=True)
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
        if len(query) > SEARCH_MAX_QUERY:
            self.truncated = True
        return query[:SEARCH_MAX_QUERY]
