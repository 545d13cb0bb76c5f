"""Form fields shared by the app's forms."""

from __future__ import annotations

from django import forms

from assessments.limits import text_length, too_long


class LimitMixin:
    """A text field whose limit is shown and enforced, never applied silently.

    The widget gets `data-maxlength` (static/js/char-count.js shows a live counter) instead
    of the `maxlength` attribute, with which a browser cuts a pasted text short without a
    word; what is too long is refused with a message naming both lengths.
    """

    def __init__(self, *, limit: int, what: str = "This text", **kwargs):
        self.limit = limit
        self.what = what
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-maxlength"] = str(self.limit)
        return attrs

    def validate(self, value):
        super().validate(value)
        if value and text_length(value) > self.limit:
            raise forms.ValidationError(
                too_long(self.what, text_length(value), self.limit), code="max_length"
            )


class LimitedCharField(LimitMixin, forms.CharField):
    pass


class LimitedURLField(LimitMixin, forms.URLField):
    pass
