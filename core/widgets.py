"""Form widgets that cost less to render.

Django's `Select` builds a dictionary for each option and renders it through two template
includes (select_option.html and attrs.html). On a filter with one choice per supplier
that was most of a page's growth: ~55 µs per option, so a clinic with 100 suppliers paid
~6 ms on `/register/` and `/exports/`, against ~1.5 ms with 20 (docs/performance.md).
"""

from html import escape

from django import forms
from django.utils.choices import normalize_choices
from django.utils.safestring import SafeData, mark_safe


class PlainSelect(forms.Select):
    """A `<select>` whose options are written in one pass, with the same markup as
    Django's: for flat choice lists whose options carry no attributes of their own (no
    option groups, no per-option attrs)."""

    template_name = "core/widgets/plain_select.html"

    # Choices kept as given when they are a list: flat (value, label) pairs need no
    # normalising, and Django's walks every pair each time they are set (~4 µs an option).
    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = value if isinstance(value, list) else normalize_choices(value)

    def get_context(self, name, value, attrs):
        # The Widget context only: ChoiceWidget's would build every option's dictionary.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(self.format_value(value))
        options = []
        for option, label in self.choices:
            # What format_html would write, without its per-call overhead (~5 µs an option).
            text = str(option)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{_escaped(text)}"{selected}>{_escaped(label)}</option>')
        context["widget"]["options_html"] = mark_safe("".join(options))
        return context


def _escaped(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper: the same text."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


class DateInput(forms.DateInput):
    """The browser's date picker; the value is written as ISO 8601, which it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
