from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from posts import models
from posts.models import Post

register = template.Library()


@register.filter
def status_label(value: str) -> StrOrPromise:
    """A post status ("published") as readers of the console say it ("Tayang")."""
    return Post.Status(value).label if value in Post.Status.values else value


@register.filter
def age(value) -> str:
    """How long ago, in its largest unit only ("2 hari")."""
    return timesince(value, depth=1) if value else ""


@register.filter
def ago(value) -> str:
    """How long ago ("3 hari lalu"), or "baru saja" within the first minute."""
    if not value:
        return ""
    if timezone.now() - value < datetime.timedelta(minutes=1):
        return str(_("baru saja"))
    return _("%(age)s lalu") % {"age": timesince(value, depth=1)}


@register.filter
def duration_hours(hours: float | None) -> str:
    """A duration given in hours, as minutes, hours (under two days) or days."""
    if hours is None:
        return "–"
    if hours < 1:
        return _("%(n)s menit") % {"n": round(hours * 60)}
    if hours < 48:
        return _("%(n)s jam") % {"n": floatformat(hours, 1)}
    return _("%(n)s hari") % {"n": floatformat(hours / 24, 1)}


@register.filter
def category_label(value: str) -> str:
    return models.category_label(value)
