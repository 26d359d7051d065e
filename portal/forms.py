"""Forms of the portal: the clinic's request, the supplier's answers, uploads and
declaration, and the clinic's confirmation of what a document says."""

from django import forms
from django.template.defaultfilters import filesizeformat

from assessments.forms.evidence import DocumentFactsForm
from assessments.models import Assessment
from assessments.uploads import ACCEPT_ATTRIBUTE, check_upload, max_upload_bytes
from core.limits import NOTE_MAX_CHARS, SUPPLIER_ANSWER_MAX_CHARS
from portal.asks import (
    DECLARATION,
    QUESTION_TITLES,
    cell_status_choices,
    question_text,
    source_choices,
)
from portal.models import PortalSettings


class RequestForm(forms.Form):
    email = forms.EmailField(
        label="Send to",
        help_text="The supplier's contact. The link works for whoever holds it: check the address.",
    )
    reason = forms.CharField(
        label="Why we ask (optional, shown to the supplier)",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valid_days = forms.IntegerField(
        label="Link valid for (days)", min_value=1, max_value=60, help_text="1 to 60 days."
    )

    def __init__(self, *args, supplier=None, assessments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assessments is not None:
            self.fields["assessments"] = forms.ModelMultipleChoiceField(
                label="Products to ask about (their draft assessments)",
                queryset=assessments,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose at least one product."},
            )
            self.fields["assessments"].label_from_instance = _assessment_label
            self.order_fields(["assessments"])


def _assessment_label(assessment: Assessment) -> str:
    lot = f", lot {assessment.batch_lot}" if assessment.batch_lot else ""
    return f"{assessment.product.name}{lot} ({assessment.document_id})"


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PortalSettings
        fields = ["link_valid_days"]


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why it is retired",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: superseded by the 2027 certificate, or withdrawn by the "
        "issuer. Kept in the document's history.",
    )


class AnswerForm(forms.Form):
    """The questions one product's assessment asks, each with a word-for-word answer."""

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=f"a{item.pk}", **kwargs)
        self.item = item
        text = {"max_length": SUPPLIER_ANSWER_MAX_CHARS, "required": False}
        if "source" in item.questions:
            self.fields["source_choice"] = forms.ChoiceField(
                label=QUESTION_TITLES["source"],
                help_text=question_text("source"),
                choices=source_choices(),
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["source_text"] = forms.CharField(
                label="Your answer to question 1, word for word",
                widget=forms.Textarea(attrs={"rows": 3}),
                **text,
            )
        if "cell_status" in item.questions:
            self.fields["cell_status_choice"] = forms.ChoiceField(
                label=QUESTION_TITLES["cell_status"],
                help_text=question_text("cell_status"),
                choices=cell_status_choices(),
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["cell_status_text"] = forms.CharField(
                label="Your answer to question 2, word for word",
                widget=forms.Textarea(attrs={"rows": 3}),
                **text,
            )
        if "testing" in item.questions:
            self.fields["testing_text"] = forms.CharField(
                label=QUESTION_TITLES["testing"],
                help_text=question_text("testing") + " Answer word for word.",
                widget=forms.Textarea(attrs={"rows": 4}),
                **text,
            )


class DeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label=DECLARATION,
        error_messages={"required": "Tick the declaration to submit."},
    )
    name = forms.CharField(label="Your full name", max_length=200)
    role = forms.CharField(label="Your role", max_length=200)
    company = forms.CharField(label="Company", max_length=200)


class UploadForm(DocumentFactsForm):
    """One document from the supplier: the file and the facts written on it."""

    file = forms.FileField(
        label="File (PDF, PNG or JPEG)",
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    field_order = ["file", "issued_on", "expires_on", "lot", "lab", "result"]

    def __init__(self, *args, item, document, **kwargs):
        super().__init__(
            *args,
            prefix=f"u{item.pk}-{document.slug}",
            lot_specific=document.lot_specific,
            test_report=document.test_report,
            **kwargs,
        )
        self.item, self.document = item, document
        self.fields["file"].help_text = f"At most {filesizeformat(max_upload_bytes())}."
        self.fields["issued_on"].help_text = "As printed on the document."
        if "lot" in self.fields:
            self.fields["lot"].initial = item.assessment.batch_lot
            self.fields["lot"].help_text = "This document counts only for the lot it names."
        if "result" in self.fields:
            self.fields["result"].help_text = "As printed on the report."

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class ConfirmForm(DocumentFactsForm):
    """The clinic member's reading of a supplier's document (pre-filled with what the
    supplier stated; correct anything the file says differently)."""

    def __init__(self, *args, document, **kwargs):
        info = kwargs.pop("info")
        super().__init__(
            *args,
            prefix=f"c{document.pk}",
            lot_specific=info.lot_specific,
            test_report=info.test_report,
            initial=DocumentFactsForm.facts_of(document),
            **kwargs,
        )
        self.document = document
