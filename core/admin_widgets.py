"""Autocomplete fields in the Django admin that survive a value that is not an id.

Django's AutocompleteSelect looks up the selected values to show them again when a form is
re-displayed with errors, filtering the related table by them as they came: a POSTed
`clinic=:` (impossible from the page, easy from a script) raised ValueError there, and
`clinic=9223372036854775808` OverflowError on SQLite: server errors (tests/core/test_fuzz_urls.py
found both). Values the related key cannot read are left
out of that lookup; the form itself already refuses them with a field error.
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


def readable(db_field, values) -> list:
    """The values the related model's key field can read."""
    remote = db_field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or "pk")
    kept = []
    for value in values:
        try:
            # to_python reads the text; the validators check it fits the column (an id
            # beyond 64 bits overflows SQLite's INTEGER).
            target.run_validators(target.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue
        kept.append(value)
    return kept


class AutocompleteSelect(widgets.AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, readable(self.field, value), attr)


class AutocompleteSelectMultiple(widgets.AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, readable(self.field, value), attr)


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline with `autocomplete_fields`: the widgets above instead."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
