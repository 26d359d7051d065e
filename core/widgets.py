"""Form widgets that cost less to render.

Django's `Select` builds a dictionary for each option and renders it through two template
includes (select_option.html and attrs.html). On a filter with one choice per supplier
that was most of a page's growth: ~55 µs per option, so a clinic with 100 suppliers paid
~6 ms on `/register/` and `/exports/`, against ~1.5 ms with 20 (docs/performance.md).
"""

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")


class PlainSelect(forms.Select):
    """A `<select>` whose options are written in one pass, with the same markup as
    Django's: for flat choice lists whose options carry no attributes of their own (no
    option groups, no per-option attrs)."""

    template_name = "core/widgets/plain_select.html"

    def get_context(self, name, value, attrs):
        # The Widget context only: ChoiceWidget's would build every option's dictionary.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(self.format_value(value))
        context["widget"]["options_html"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, SELECTED if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return context
