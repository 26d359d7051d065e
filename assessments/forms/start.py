"""Starting an assessment: pick a product, or name a new product (and supplier) inline."""

import uuid

from django import forms
from django.core import signing

from products.models import ExosomeProduct
from suppliers.models import Supplier

START_TOKEN_SALT = "assessments.start"
START_TOKEN_MAX_AGE = 24 * 3600


def new_start_token(user) -> str:
    """A server-made, signed id for the assessment this form will create (idempotency key)."""
    return signing.dumps({"id": uuid.uuid4().hex, "user": user.pk}, salt=START_TOKEN_SALT)


def start_token_id(token: str, user) -> uuid.UUID | None:
    """The assessment id a start token carries, if it is genuine, recent and this user's."""
    try:
        data = signing.loads(token, salt=START_TOKEN_SALT, max_age=START_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    try:
        return uuid.UUID(hex=str(data.get("id", "")))
    except ValueError:
        return None


class StartAssessmentForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    product = forms.ModelChoiceField(
        queryset=ExosomeProduct.objects.none(),
        required=False,
        empty_label="— Choose a product —",
        help_text="Products your clinic has recorded, with their supplier.",
    )
    new_product_name = forms.CharField(
        label="New product name",
        max_length=200,
        required=False,
        help_text="Only if the product is not in the list: you can add its details at step 1.",
    )
    supplier = forms.ModelChoiceField(
        label="Supplier of the new product",
        queryset=Supplier.objects.none(),
        required=False,
        empty_label="— Choose a supplier —",
    )
    new_supplier_name = forms.CharField(
        label="Or a new supplier's legal name",
        max_length=200,
        required=False,
        help_text="As on the supplier's invoices.",
    )

    def __init__(self, *args, clinic, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.user = user
        self.fields["product"].queryset = (
            ExosomeProduct.objects.for_clinic(clinic)
            .select_related("supplier")
            .order_by("supplier__legal_name", "name")
        )
        self.fields["product"].label_from_instance = lambda p: f"{p} — {p.supplier}"
        self.fields["supplier"].queryset = Supplier.objects.for_clinic(clinic)

    def clean_token(self):
        public_id = start_token_id(self.cleaned_data["token"], self.user)
        if public_id is None:
            raise forms.ValidationError(
                "This form has expired. Check the details and press Start again."
            )
        return public_id

    def clean(self):
        cleaned = super().clean()
        product = cleaned.get("product")
        new_name = (cleaned.get("new_product_name") or "").strip()
        if product and new_name:
            self.add_error(
                "new_product_name", "Choose a product from the list or name a new one, not both."
            )
        elif not product and not new_name and not self.errors.get("product"):
            self.add_error("product", "Choose a product, or name a new one below.")
        elif new_name:
            self._clean_new_product(cleaned, new_name)
        return cleaned

    def _clean_new_product(self, cleaned, new_name):
        supplier = cleaned.get("supplier")
        supplier_name = (cleaned.get("new_supplier_name") or "").strip()
        if supplier and supplier_name:
            self.add_error(
                "new_supplier_name", "Choose a supplier from the list or name a new one, not both."
            )
        elif not supplier and not supplier_name:
            self.add_error("supplier", "Choose the product's supplier, or name a new one.")
        elif supplier_name:
            clash = Supplier.objects.for_clinic(self.clinic).filter(
                legal_name__iexact=supplier_name
            )
            if clash.exists():
                self.add_error(
                    "new_supplier_name",
                    "Your clinic already has a supplier with this name: choose it from the list.",
                )
        elif ExosomeProduct.objects.filter(supplier=supplier, name__iexact=new_name).exists():
            self.add_error(
                "new_product_name",
                "This supplier already has a product with this name: choose it from the list.",
            )
