"""The project's form base classes: every text field loses invisible characters (kimportal.text)
before Django's own cleaning, so length limits, uniqueness checks and slugs see the visible text;
a file cut off at the upload cap (kimportal.uploads) gets a clear message.
Every form of the project derives from these (tests/kimportal/test_text_hygiene.py checks it)."""

from typing import Any

from django import forms

from .text import strip_invisible
from .uploads import too_large_message


def _not_cut_off(to_python):
    def clean(value: Any) -> Any:
        if getattr(value, "too_large", False):  # cut off at the upload cap (kimportal.uploads)
            raise forms.ValidationError(too_large_message(value), code="too_large")
        return to_python(value)

    clean.visible_only = True
    return clean


def _visible(to_python):
    def clean(value: Any) -> Any:
        value = to_python(value)
        return strip_invisible(value) if isinstance(value, str) else value

    clean.visible_only = True  # the mark that it is wrapped once
    return clean


class VisibleTextMixin:
    """Strips invisible characters from every text field but passwords and `keep_invisible` ones
    (rich text, where a zero-width joiner holds emoji and scripts together)."""

    keep_invisible: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        # Here rather than in __init__: forms add fields (a caption per photo) after theirs.
        for name, field in self.fields.items():
            if getattr(field.to_python, "visible_only", False):
                continue  # wrapped already
            if isinstance(field, forms.FileField):
                field.to_python = _not_cut_off(field.to_python)  # type: ignore[method-assign]  # this form's copy
            elif (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and name not in self.keep_invisible
            ):
                field.to_python = _visible(field.to_python)  # type: ignore[method-assign]  # as above
        super().full_clean()  # type: ignore[misc]  # Form's


class Form(VisibleTextMixin, forms.Form):
    pass


class ModelForm(VisibleTextMixin, forms.ModelForm):
    pass
