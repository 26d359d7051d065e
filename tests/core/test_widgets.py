"""core/widgets.py: PlainSelect writes the same markup as Django's Select, faster."""

import re

import pytest
from django import forms

from core.widgets import PlainSelect

CHOICES = [("", "Any supplier"), (1, 'Acme <Labs> & "Sons"'), (2, "Béta"), (30, "Gamma")]


def _form(widget, data=None):
    class Filter(forms.Form):
        supplier = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)

    return Filter(data)


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("data", [None, {"supplier": "2"}, {"supplier": "30"}, {"supplier": "x"}])
def test_the_markup_is_djangos(data):
    plain = _form(PlainSelect, data)
    django_select = _form(forms.Select, data)
    plain.is_valid(), django_select.is_valid()
    assert _markup(str(plain["supplier"])) == _markup(str(django_select["supplier"]))


def test_labels_are_escaped_and_the_choice_is_selected():
    html = str(_form(PlainSelect, {"supplier": "1"})["supplier"])
    assert 'value="1" selected>Acme &lt;Labs&gt; &amp; &quot;Sons&quot;</option>' in html
    assert html.count(" selected") == 1
