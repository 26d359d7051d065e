"""One document of the Q3 checklist: upload it with its details, or record it as not provided."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from assessments.models import EvidenceItem
from assessments.uploads import ACCEPT_ATTRIBUTE, check_upload, max_upload_bytes
from core.widgets import DateInput


def check_document_dates(form: forms.Form, cleaned: dict) -> None:
    """The dates typed from a document, as every form that records them checks them (the
    wizard's upload, the supplier's upload, the clinic's confirmation): a document cannot
    have been issued in the future (a typo that once read as "no issue date" everywhere),
    nor expire before it was issued."""
    issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
    if issued and issued > timezone.localdate():
        form.add_error(
            "issued_on",
            "The issue date is in the future: enter the date printed on the document.",
        )
    if issued and expires and expires < issued:
        form.add_error("expires_on", "The expiry date cannot be before the issue date.")


# What a document says, as both forms below ask it (each field object is the form's own).
def _lab_field() -> forms.CharField:
    return forms.CharField(label="Laboratory or issuer", max_length=200, required=False)


def _lot_field() -> forms.CharField:
    return forms.CharField(label="Lot it was issued for", max_length=80, required=False)


def _result_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Result",
        choices=EvidenceItem.Result.choices,
        initial=EvidenceItem.Result.NOT_STATED,
        required=False,
    )


class EvidenceItemForm(forms.Form):
    file = forms.FileField(
        label="Document (PDF, PNG or JPEG)",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    not_provided = forms.BooleanField(label="The supplier has not provided this", required=False)
    lab = _lab_field()
    lot = _lot_field()
    issued_on = forms.DateField(label="Issued", required=False, widget=DateInput())
    expires_on = forms.DateField(label="Expires", required=False, widget=DateInput())
    result = _result_field()

    def __init__(self, *args, row, **kwargs):
        """`row` is one document of the assessment's checklist (assessments.checklist)."""
        super().__init__(*args, prefix=f"ev-{row.slug}", **kwargs)
        self.row = row
        self.evidence_type = row.evidence_type
        self.on_file = list(row.items)
        self.marked_not_provided = row.not_provided
        self.default_lot = row.lot if row.lot_specific else ""
        self.fields["lot"].initial = self.default_lot
        if row.lot_specific:
            self.fields["lot"].help_text = "This document counts only for the lot it names."
        self.fields["file"].help_text = f"At most {filesizeformat(max_upload_bytes())}."
        self.fields[
            "issued_on"
        ].help_text = (
            "As printed on the document. Until it is recorded the document counts as not checked."
        )
        if row.test_report:
            self.fields[
                "result"
            ].help_text = (
                "As printed on the report. A test report counts only once its result is recorded."
            )
        else:
            # Only a test report has a result (as on the supplier's upload form): a GMP
            # certificate or a declaration offered "Pass/Fail" and then read "result: not
            # stated". It is stored as not stated.
            del self.fields["result"]
        self.fields["not_provided"].initial = self.marked_not_provided and not self.on_file

    @property
    def is_required(self) -> bool:
        return self.row.is_required

    def clean_result(self):
        return self.cleaned_data.get("result") or EvidenceItem.Result.NOT_STATED

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        return check_upload(uploaded) if uploaded else None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        not_provided = cleaned.get("not_provided")
        if upload and not_provided:
            self.add_error(
                "not_provided", "You chose a document: untick “not provided”, or remove the file."
            )
        if not_provided and self.on_file:
            self.add_error(
                "not_provided",
                "A document is already on file: remove it first if the supplier withdrew it.",
            )
        check_document_dates(self, cleaned)
        if not upload and "file" not in self.errors and self._details_typed(cleaned):
            self.add_error("file", "Choose the document these details belong to.")
        return cleaned

    def _details_typed(self, cleaned) -> bool:
        return bool(
            cleaned.get("lab")
            or cleaned.get("issued_on")
            or cleaned.get("expires_on")
            or (cleaned.get("lot") or "").strip() not in {"", self.default_lot}
            or cleaned.get("result") not in {None, "", EvidenceItem.Result.NOT_STATED}
        )

    @property
    def wants_upload(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("file"))

    @property
    def wants_not_provided(self) -> bool:
        return bool(
            self.is_valid()
            and self.cleaned_data.get("not_provided")
            and not self.on_file
            and not self.marked_not_provided
        )

    @property
    def wants_unmark(self) -> bool:
        """The "not provided" box was ticked before and is now cleared (with no upload, which
        replaces the record by itself)."""
        return bool(
            self.is_valid()
            and self.marked_not_provided
            and not self.cleaned_data.get("not_provided")
            and not self.cleaned_data.get("file")
        )


class DocumentFactsForm(forms.Form):
    """What a document says: issue date, expiry, lot, laboratory and (test report) result,
    as its reader records them from the file: the supplier uploading it, the clinic member
    confirming a supplier's document, or the clinic member completing an upload."""

    lab = _lab_field()
    lot = _lot_field()
    issued_on = forms.DateField(label="Issue date", widget=DateInput())
    expires_on = forms.DateField(label="Expiry date", required=False, widget=DateInput())
    result = _result_field()

    def __init__(self, *args, lot_specific: bool, test_report: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not lot_specific:
            del self.fields["lot"]
        if not test_report:
            del self.fields["result"]

    def clean(self):
        cleaned = super().clean()
        check_document_dates(self, cleaned)
        return cleaned

    @staticmethod
    def facts_of(document) -> dict:
        """What a stored document (an evidence item, a supplier's document) is recorded as
        saying: the initial values when someone records or confirms it."""
        return {
            "lab": document.lab,
            "lot": document.lot,
            "issued_on": document.issued_on,
            "expires_on": document.expires_on,
            "result": document.result,
        }

    def facts(self) -> dict:
        data = self.cleaned_data
        return {
            "lab": data.get("lab", ""),
            "lot": data.get("lot", ""),
            "issued_on": data.get("issued_on"),
            "expires_on": data.get("expires_on"),
            "result": data.get("result") or EvidenceItem.Result.NOT_STATED,
        }
