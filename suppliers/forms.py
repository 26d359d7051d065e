from django import forms

from core.widgets import PlainSelect
from suppliers.countries import country_choices
from suppliers.models import Supplier
from suppliers.services import EDITABLE_FIELDS


class SupplierForm(forms.ModelForm):
    # Asked every time and chosen from the ISO 3166 list: a guessed country on a due-diligence
    # record is worse than none.
    country = forms.ChoiceField(
        label="Country",
        help_text="Where the supplier is registered (the country of its company register).",
        error_messages={"required": "Choose the country the supplier is registered in."},
    )

    class Meta:
        model = Supplier
        fields = list(EDITABLE_FIELDS)  # what the service lets a clinic user set
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["country"].choices = country_choices(self.instance.country)

    def clean_legal_name(self):
        # The database constraint is case-insensitive; say so per field instead of a 500.
        name = self.cleaned_data["legal_name"].strip()
        clash = Supplier.objects.for_clinic(self.clinic).filter(legal_name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Your clinic already has a supplier with this legal name.")
        return name


class SupplierFilterField(forms.ModelChoiceField):
    """ "Any supplier" or one of a clinic's suppliers, for a list's filters (the register and
    the exports page). Every supplier of the clinic is an option, so the options are plain
    (pk, name) pairs read in one query and written in one pass (core/widgets.py); the
    queryset only checks a submitted choice. `limit_to` picks the clinic."""

    widget = PlainSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "Any supplier")
        super().__init__(queryset=Supplier.objects.none(), **kwargs)

    def limit_to(self, clinic) -> None:
        suppliers = Supplier.objects.for_clinic(clinic)
        self.queryset = suppliers  # what a submitted choice must be one of
        # Only the widget shows the options: the field checks a choice against the queryset.
        self.widget.choices = [("", self.empty_label), *suppliers.for_choices()]
