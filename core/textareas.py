"""A newline typed in a textarea is one character, on the server as in the browser.

The browser's `maxlength` counts a newline as one character, but a form submits each as
CRLF (HTML's form encoding), so a text stopped at exactly the limit arrived one character
over it per line and was refused ("it has 20001"). Every textarea's value is therefore read
with its newlines normalised to LF before any field cleans or measures it, and is stored
that way.

This is done once, on Django's Textarea widget itself (installed from CoreConfig.ready), so
every textarea-backed field is covered: model forms, fields declared with
`widget=forms.Textarea(...)`, the supplier portal's forms and Django admin's textareas (its
widget is a subclass), without each form having to remember it.
"""

from django import forms


def normalise_newlines(text: str) -> str:
    """CRLF (every browser) and a lone CR (old Mac text pasted in) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_read_posted_value = forms.Textarea.value_from_datadict


def _value_with_plain_newlines(self, data, files, name):
    value = _read_posted_value(self, data, files, name)
    return normalise_newlines(value) if isinstance(value, str) else value


def install() -> None:
    """Make every Textarea read its posted value with normalised newlines."""
    forms.Textarea.value_from_datadict = _value_with_plain_newlines  # type: ignore[method-assign]
