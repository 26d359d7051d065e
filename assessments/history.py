"""An assessment's history in sentences: one line per event, newest first.

"Cara Clinician uploaded the Certificate of analysis (lot GT-2611)", "Max Manager marked the
Certificate of analysis as checked", "Max Manager returned it: “…”", "Max Manager signed it off
as approved". The lines are read from the same audit records
as the full technical trail (core/history.py), which the page keeps one click away; nothing
here is stored. Documents are named as the assessment's jurisdiction names them (the one
catalogue, through assessments/checklist.py), people by their full names, times in UK time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.formats import date_format

from assessments.checklist import document_info
from assessments.evidence_checks import EvidenceCheck
from assessments.models import Assessment, EvidenceItem
from assessments.reports.context import person as full_name
from assessments.rules import Verdict
from assessments.signing import SignatureMeaning
from core.history import DEFAULT_LIMIT, HistoryLine, local_time, merged, record_pairs
from core.saving import fit_change_reason
from products.models import EvidenceType

DRAFT = Assessment.Status.DRAFT
SUBMITTED = Assessment.Status.SUBMITTED
FINALISED = Assessment.Status.FINALISED
DAY = "j M Y"

# The answers a person gives, as a sentence names them. Fields missing here (findings, the
# wizard's step, timestamps, the signed snapshot) are bookkeeping: the full trail shows them.
ANSWER_NAMES = {
    "product_id": "the product",
    "batch_lot": "the batch / lot",
    "jurisdiction": "the jurisdiction",
    "route_id": "how the clinic will use it",
    "marketed_as": "how it is marketed",
    "inci": "the ingredient list",
    "claims": "the marketing claims",
    "source_category_id": "the source (Q1)",
    "source_answer": "the supplier's words on the source",
    "cell_status_id": "the cell status (Q2)",
    "cell_status_answer": "the supplier's words on the cell status",
    "testing_answer": "the supplier's words on testing (Q3)",
}


# The change reason of a document someone outside the clinic provided (record_evidence's
# `supplied`): the history names them, and the clinic member it is filed under.
SUPPLIED_REASON = "Supplied: "


def supplied_reason(supplied: str) -> str:
    """The change reason for a document `supplied` from outside, within the column's length."""
    return fit_change_reason(SUPPLIED_REASON + supplied)


def _issued(item) -> str:
    return f"issued {date_format(item.issued_on, DAY)}" if item.issued_on else "no issue date"


def _expires(item) -> str:
    return f"expires {date_format(item.expires_on, DAY)}" if item.expires_on else "no expiry date"


def _result(item) -> str:
    return f"result {EvidenceItem.Result(item.result).label}"


def _lot(item) -> str:
    return f"lot {item.lot}" if item.lot else "no lot"


def _lab(item) -> str:
    return f"laboratory {item.lab}" if item.lab else "no laboratory"


# What a reader records from a document, and how a sentence says its new value.
DOCUMENT_DETAILS: dict[str, Callable[[object], str]] = {
    "issued_on": _issued,
    "expires_on": _expires,
    "result": _result,
    "lot": _lot,
    "lab": _lab,
    "notes": lambda item: "notes",
}


def person(user) -> str:
    """Who did it, as the report names people; "ExoCheck" for what the system did itself."""
    return full_name(user) or "ExoCheck"


def in_words(names: Iterable[str]) -> str:
    """["a", "b", "c"] as "a, b and c"."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _changed(record, previous, names: Iterable[str]) -> list[str]:
    return [name for name in names if getattr(record, name) != getattr(previous, name)]


def _status_sentence(record, previous, who: str) -> str:
    if previous.status == record.status:
        return ""
    if record.status == SUBMITTED:
        return f"{who} submitted it for review"
    if record.status == FINALISED:
        meaning = record.signature_meaning
        if meaning in SignatureMeaning.values:
            meaning = SignatureMeaning(meaning).label.lower()
        return f"{who} signed it off as {meaning}" if meaning else f"{who} signed it off"
    if previous.status == SUBMITTED and record.status == DRAFT:
        comment = " ".join(record.review_comment.split())
        return f"{who} returned it: “{comment}”" if comment else f"{who} returned it"
    return ""


def _assessment_sentence(record, previous) -> str:
    """One sentence for one stored version of the assessment, or "" for bookkeeping only."""
    who = person(record.history_user)
    if record.history_type == "+":
        if record.previous_version_id:
            return f"{who} started version {record.version} from the signed version before it"
        return f"{who} started the assessment"
    if record.history_type == "-":
        reason = record.history_change_reason or ""
        return f"{who} erased the record" + (f" ({reason})" if reason else "")
    if previous is None:
        return ""
    if status := _status_sentence(record, previous, who):
        return status
    parts = []
    answers = _changed(record, previous, ANSWER_NAMES)
    if answers:
        parts.append(f"{who} changed {in_words(ANSWER_NAMES[name] for name in answers)}")
    if record.verdict != previous.verdict and record.verdict:
        verdict = Verdict(record.verdict).label
        parts.append(f"the verdict is now {verdict}" if parts else f"The verdict became {verdict}")
    return "; ".join(parts)


def _document_sentence(record, previous, name: str) -> str:
    """One sentence for one stored version of an evidence item, or "" for bookkeeping only."""
    who = person(record.history_user)
    if record.history_type == "-":
        return f"{who} withdrew the {name}"
    lot = f" (lot {record.lot})" if record.lot else ""
    if record.history_type == "+":
        if not record.provided:
            return f"{who} recorded that the supplier will not provide the {name}"
        if record.history_user_id and record.uploaded_by_id != record.history_user_id:
            # A new version carries its predecessor's documents over (the same files).
            return f"{who} carried over the {name}{lot} from the previous version"
        reason = record.history_change_reason or ""
        if reason.startswith(SUPPLIED_REASON):
            supplied = reason.removeprefix(SUPPLIED_REASON)
            return f"The {name}{lot} was {supplied}; filed under {who}"
        return f"{who} uploaded the {name}{lot}"
    if previous is None:
        return ""
    changed = _changed(record, previous, DOCUMENT_DETAILS)
    if not changed:
        return ""
    details = in_words(DOCUMENT_DETAILS[field](record) for field in changed)
    return f"{who} recorded from the {name}: {details}"


def _check_sentence(record, name: str) -> str:
    """One sentence for a reviewer's "checked" mark being put on or taken off."""
    who = person(record.history_user)
    if record.history_type == "+":
        return f"{who} marked the {name} as checked"
    if record.history_type == "-":
        return f"{who} took the check off the {name}"
    return ""


def _document_names(assessment: Assessment) -> dict[int, str]:
    """{evidence item pk: its document's name in the assessment's jurisdiction} for every
    document the assessment ever had (withdrawn ones too), in two queries."""
    type_of = dict(
        EvidenceItem.history.filter(assessment_id=assessment.pk).values_list(
            "id", "evidence_type_id"
        )
    )
    names = {
        evidence_type.pk: document_info(evidence_type, assessment.jurisdiction).name
        for evidence_type in EvidenceType.objects.filter(pk__in=set(type_of.values()))
    }
    return {item_id: names[type_id] for item_id, type_id in type_of.items()}


def checks_history(assessment: Assessment):
    """The audit records of the "checked" marks on the assessment's documents (withdrawn
    ones too)."""
    item_ids = EvidenceItem.history.filter(assessment_id=assessment.pk).values("id")
    return EvidenceCheck.history.filter(evidence_item_id__in=item_ids)


def assessment_story(assessment: Assessment, *, limit: int = DEFAULT_LIMIT) -> list[HistoryLine]:
    """The assessment's events, its documents' and their checks', newest first, one
    sentence each."""
    lines = [
        HistoryLine(local_time(record.history_date), text)
        for record, previous in record_pairs(assessment.history.all(), limit=limit)
        if (text := _assessment_sentence(record, previous))
    ]
    names = _document_names(assessment)
    document_pairs = record_pairs(
        EvidenceItem.history.filter(assessment_id=assessment.pk), limit=limit
    )
    lines += [
        HistoryLine(local_time(record.history_date), text)
        for record, previous in document_pairs
        if (text := _document_sentence(record, previous, names[record.id]))
    ]
    lines += [
        HistoryLine(local_time(record.history_date), text)
        for record, _previous in record_pairs(checks_history(assessment), limit=limit)
        if (text := _check_sentence(record, names[record.evidence_item_id]))
    ]
    return merged(lines, limit=limit)
