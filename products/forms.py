from django import forms

from products.models import CellStatus, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier


class ExosomeProductForm(forms.ModelForm):
    class Meta:
        model = ExosomeProduct
        # In the page's order: products.services.EDITABLE_FIELDS and the routes (a test
        # keeps the two lists the same).
        fields = [
            "supplier",
            "name",
            "brand",
            "form",
            "marketed_as",
            "intended_routes",
            "source_category",
            "supplier_source_statement",
            "cell_status",
            "inci",
            "claims",
        ]
        widgets = {
            "intended_routes": forms.CheckboxSelectMultiple,
            "supplier_source_statement": forms.Textarea(attrs={"rows": 3}),
            "inci": forms.Textarea(attrs={"rows": 4}),
            "claims": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["supplier"].queryset = Supplier.objects.for_clinic(clinic)
        self.fields["intended_routes"].queryset = Route.objects.active()
        self.fields["source_category"].queryset = SourceCategory.objects.active()
        self.fields["source_category"].empty_label = "Not stated by the supplier"
        self.fields["cell_status"].queryset = CellStatus.objects.active()
        self.fields["cell_status"].empty_label = "Not stated by the supplier"

    def clean(self):
        cleaned = super().clean()
        supplier, name = cleaned.get("supplier"), cleaned.get("name")
        if supplier and name:
            clash = ExosomeProduct.objects.filter(supplier=supplier, name__iexact=name.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", "This supplier already has a product with this name.")
        return cleaned
