"""One ModelForm per questionnaire step, each editing only its own fields.

Every step accepts a partial answer when the user saves a draft or goes back; `strict`
(pressing Continue) asks for what the step needs before moving on.
"""

from dataclasses import dataclass

from django import forms

from assessments.models import Assessment
from assessments.steps import (
    CELLS_STEP,
    DOCUMENTS_STEP,
    PRODUCT_STEP,
    REVIEW_STEP,
    SOURCE_STEP,
)
from products.models import CellStatus, ExosomeProduct, Route, SourceCategory

NOT_ANSWERED = ""


@dataclass(frozen=True)
class Option:
    """One radio card: the value posted, its name, and the reference data's own words."""

    value: str
    label: str
    description: str = ""
    examples: str = ""


def _active_or_current(model, current_id):
    """Active reference rows, plus the one already chosen even if an admin retired it."""
    queryset = model.objects.active()
    if current_id:
        queryset = model.objects.filter(active=True) | model.objects.filter(pk=current_id)
    return queryset.order_by("display_order", "name")


class StepForm(forms.ModelForm):
    step = 0

    def __init__(self, *args, strict: bool = False, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        self.clinic = clinic

    def answers(self) -> dict[str, object]:
        """The cleaned answers this step asks, as the drafting service takes them
        (`save_answers(answers=...)`): the service never sees a form."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }

    def selected(self, name: str) -> str | None:
        """The radio value to show as checked: what was posted, else what is stored.

        None means nothing is chosen yet; NOT_ANSWERED means "the supplier has not answered"
        was chosen (shown for an empty answer once the user has been past this step)."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        value = getattr(self.instance, f"{name}_id")
        if value is not None:
            return str(value)
        return NOT_ANSWERED if self.instance.current_step > self.step else None

    def _options(self, name: str, *, not_answered: str | None = None) -> list[Option]:
        options = [
            Option(str(row.pk), row.name, row.description, getattr(row, "examples", "") or "")
            for row in self.fields[name].queryset
        ]
        if not_answered:
            options.append(Option(NOT_ANSWERED, "Supplier has not answered", not_answered))
        return options

    def require_choice(self, name: str, message: str) -> None:
        if self.strict and self.data.get(self.add_prefix(name)) is None:
            self.add_error(name, message)


class ProductStepForm(StepForm):
    step = PRODUCT_STEP

    class Meta:
        model = Assessment
        fields = ["product", "batch_lot", "jurisdiction", "route", "marketed_as", "inci", "claims"]
        labels = {"route": "How your clinic will use it"}
        help_texts = {
            "batch_lot": "As printed on the pack or invoice. Needed to continue; a draft can "
            "be saved without it.",
            "jurisdiction": "Where the clinic uses the product: it decides which law applies.",
            "marketed_as": "As the supplier presents it: label, website, brochure.",
            "inci": "One ingredient per line, or comma-separated, exactly as on the label.",
            "claims": "One claim per line, as the supplier words them.",
        }
        widgets = {
            "route": forms.RadioSelect,
            "inci": forms.Textarea(attrs={"rows": 4}),
            "claims": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = ExosomeProduct.objects.for_clinic(
            self.clinic
        ).select_related("supplier")
        self.fields["product"].help_text = "The details below stay as they are if you change it."
        self.fields["route"].queryset = _active_or_current(Route, self.instance.route_id)
        self.fields["route"].empty_label = None

    @property
    def route_options(self) -> list[Option]:
        return self._options("route")

    @property
    def route_selected(self) -> str | None:
        if self.is_bound:
            return self.data.get(self.add_prefix("route"))
        return str(self.instance.route_id) if self.instance.route_id else None

    def clean(self):
        cleaned = super().clean()
        if self.strict:
            if not (cleaned.get("batch_lot") or "").strip() and "batch_lot" not in self.errors:
                self.add_error(
                    "batch_lot",
                    "Enter the batch or lot number, as printed on the pack or invoice.",
                )
            if not cleaned.get("route") and "route" not in self.errors:
                self.add_error("route", "Choose how your clinic will use the product.")
        return cleaned


class SourceStepForm(StepForm):
    step = SOURCE_STEP

    class Meta:
        model = Assessment
        fields = ["source_category", "source_answer"]
        labels = {
            "source_category": "Where the supplier says the exosomes come from",
            "source_answer": "The supplier's answer, word for word",
        }
        help_texts = {
            "source_answer": "Copy their words exactly, from an email, brochure or call note.",
        }
        widgets = {
            "source_category": forms.RadioSelect,
            "source_answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_category"].queryset = _active_or_current(
            SourceCategory, self.instance.source_category_id
        )

    @property
    def choice_selected(self) -> str | None:
        return self.selected("source_category")

    @property
    def options(self) -> list[Option]:
        return self._options(
            "source_category",
            not_answered="No answer yet: the question is still open with the supplier.",
        )

    def clean(self):
        cleaned = super().clean()
        self.require_choice(
            "source_category",
            "Choose where the supplier says the exosomes come from, or “Supplier has not "
            "answered”.",
        )
        return cleaned


class CellStatusStepForm(StepForm):
    step = CELLS_STEP

    class Meta:
        model = Assessment
        fields = ["cell_status", "cell_status_answer"]
        labels = {
            "cell_status": "What the supplier says the product contains",
            "cell_status_answer": "The supplier's answer, word for word",
        }
        help_texts = {
            "cell_status_answer": "Copy their words exactly, from an email, brochure or call note.",
        }
        widgets = {
            "cell_status": forms.RadioSelect,
            "cell_status_answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell_status"].queryset = _active_or_current(
            CellStatus, self.instance.cell_status_id
        )

    @property
    def choice_selected(self) -> str | None:
        return self.selected("cell_status")

    @property
    def options(self) -> list[Option]:
        return self._options(
            "cell_status",
            not_answered="No answer yet: the question is still open with the supplier.",
        )

    def clean(self):
        cleaned = super().clean()
        self.require_choice(
            "cell_status",
            "Choose what the supplier says the product contains, or “Supplier has not answered”.",
        )
        return cleaned


class TestingStepForm(StepForm):
    step = DOCUMENTS_STEP

    class Meta:
        model = Assessment
        fields = ["testing_answer"]
        labels = {"testing_answer": "The supplier's answer, word for word"}
        help_texts = {
            "testing_answer": "What the supplier says about sterility, content and consistency "
            "testing, copied exactly.",
        }
        widgets = {"testing_answer": forms.Textarea(attrs={"rows": 3})}


class ReviewStepForm(StepForm):
    """The review step edits nothing: it records where to resume."""

    step = REVIEW_STEP

    class Meta:
        model = Assessment
        fields: list[str] = []
