"""Everything the PDF report prints, gathered from one Assessment in a few queries.

The template receives plain values (strings, dicts, lists), so rendering never touches the
database and every piece of user text reaches the template unmodified, to be escaped there.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from assessments.checklist import checklist_for, document_info
from assessments.models import Assessment
from assessments.record_names import record_names
from assessments.rules import Verdict, origin_for_slug
from assessments.signed_record import missing_rows
from assessments.signing import SignatureMeaning

REPORT_TEMPLATE = "reports/assessment.html"

DISCLAIMER = (
    "ExoCheck is decision support for supplier due diligence. It is not legal advice. It "
    "records what the supplier said and supplied, and applies a published reading of the law "
    "as of the ruleset version above; the clinic remains responsible for its purchasing and "
    "clinical decisions. Where the law is unsettled the finding says so."
)

QUESTIONS = (
    ("Q1", "Where are these exosomes derived from?"),
    ("Q2", "Are they live-cell, cell-free, or processed post-cell culture?"),
    ("Q3", "What testing is performed for sterility, content and consistency?"),
)

SEVERITY_LABELS = {
    "critical": "Critical",
    "missing": "Missing",
    "caution": "Caution",
    "info": "Information",
}

# The public page that explains the rules; its URL name is tried first, its path otherwise.
HOW_IT_DECIDES_URL_NAME = "rules"
HOW_IT_DECIDES_PATH = "/how-exocheck-decides/"


def format_datetime(value) -> str:
    """'25 Nov 2026, 13:21 GMT (Europe/London, UTC+00:00)': the local time with its zone's
    name and offset, as signatures need; the same wording on screen (the `when` filter)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    zone = timezone.get_current_timezone_name()
    return (
        f"{format_date(local, 'j M Y, H:i')} {local.tzname()} "
        f"({zone}, UTC{offset[:3]}:{offset[3:]})"
    )


def format_day(value) -> str:
    return format_date(value, "j M Y") if value else ""


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def how_it_decides_url(site_url: str = "") -> str:
    try:
        path = reverse(HOW_IT_DECIDES_URL_NAME)
    except NoReverseMatch:
        path = HOW_IT_DECIDES_PATH
    base = (site_url or getattr(settings, "SITE_URL", "")).rstrip("/")
    return f"{base}{path}"


def load_for_report(pk: int, clinic=None) -> Assessment:
    """The assessment with everything the report reads, in one query."""
    queryset = Assessment.objects.with_related().select_related(
        "clinic", "submitted_by", "signed_by", "previous_version"
    )
    if clinic is not None:
        queryset = queryset.for_clinic(clinic)
    return queryset.get(pk=pk)


def report_context(assessment: Assessment, *, site_url: str = "") -> dict:
    """The report's context. Anything not finalised is a draft and is watermarked as one."""
    evidence = list(assessment.evidence_items.select_related("evidence_type"))
    provided = [item for item in evidence if item.provided]
    checklist = checklist_for(assessment, items=evidence)
    how_url = how_it_decides_url(site_url)
    # Names as the record says them: at sign-off the snapshot just built from this same
    # read, so the stored PDF and every later page and file show the same names.
    names = record_names(assessment)
    return {
        "draft": not assessment.is_finalised,
        "clinic": _clinic(assessment.clinic),
        "document": _document(assessment),
        "supplier": names.supplier,
        "product": names.product,
        "assessment": _answers(assessment, names),
        "questions": _questions(assessment, names, provided),
        "checklist_as_of": format_day(checklist.as_of),
        "verdict": _verdict(assessment.verdict),
        "findings": [
            {**finding, "severity_label": SEVERITY_LABELS.get(finding.get("severity"), "")}
            for finding in assessment.findings or []
        ],
        "evidence": [_evidence_row(item, assessment.jurisdiction) for item in provided],
        "missing": missing_rows(checklist),
        "people": _people(assessment),
        "signature": _signature(assessment),
        "ruleset": assessment.ruleset_version or "not evaluated",
        "evaluated_at": format_datetime(assessment.evaluated_at),
        "how_it_decides_url": how_url,
        # Only an absolute http(s) URL becomes a link: a bare path would resolve against the
        # report's file: base URL.
        "how_it_decides_absolute": how_url.startswith(("https://", "http://")),
        "disclaimer": DISCLAIMER,
    }


def _clinic(clinic) -> dict:
    return {
        "name": clinic.name,
        "address_lines": [line for line in clinic.address.splitlines() if line.strip()],
        "registration_number": clinic.registration_number,
    }


def _document(assessment) -> dict:
    previous = assessment.previous_version
    return {
        "id": assessment.document_id,
        "version": assessment.version,
        "status": assessment.get_status_display(),
        "supersedes": previous.document_id if previous else "",
        "generated_at": format_datetime(timezone.now()),
        "finalised_at": format_datetime(assessment.finalised_at),
        "public_id": str(assessment.public_id),
    }


def _answers(assessment, names) -> dict:
    return {
        "batch_lot": names.batch_lot,
        "route": str(names.route) if names.route else "",
        "jurisdiction": assessment.get_jurisdiction_display(),
        "marketed_as": assessment.get_marketed_as_display(),
        "inci": assessment.inci,
        "claims": assessment.claims,
    }


def _questions(assessment, names, provided) -> list[dict]:
    source = names.source_category
    cell_status = names.cell_status
    structured = [
        f"{source.name} ({origin_for_slug(source.slug).label})" if source else "",
        cell_status.name if cell_status else "",
        _testing_summary(provided, assessment.jurisdiction),
    ]
    words = [assessment.source_answer, assessment.cell_status_answer, assessment.testing_answer]
    return [
        {"number": number, "text": text, "structured": answer, "supplier_words": said}
        for (number, text), answer, said in zip(QUESTIONS, structured, words, strict=True)
    ]


def _testing_summary(provided, jurisdiction: str) -> str:
    if not provided:
        return ""
    names = ", ".join(
        dict.fromkeys(document_info(item.evidence_type, jurisdiction).name for item in provided)
    )
    count = len(provided)
    # "Received", not "on file": on file means a document counts (assessments/checklist.py),
    # and a received one may not yet (not checked, expired, another lot).
    return f"{count} document{'s' if count != 1 else ''} received: {names}"


def _verdict(code: str) -> dict:
    if not code:
        return {"code": "none", "label": "Not evaluated", "meaning": "The rules have not run."}
    verdict = Verdict(code)
    return {"code": verdict.value, "label": verdict.label, "meaning": verdict.meaning}


def _evidence_row(item, jurisdiction: str) -> dict:
    info = document_info(item.evidence_type, jurisdiction)
    return {
        "type": info.name,
        "standard": info.standard,
        "lab": item.lab,
        "lot": item.lot,
        "issued": format_day(item.issued_on),
        "expires": format_day(item.expires_on),
        "result": item.get_result_display(),
        "result_code": item.result,
        "sha256": item.sha256,
        "filename": item.original_filename,
        "notes": item.notes,
    }


def _people(assessment) -> dict:
    answered_by = assessment.submitted_by or assessment.created_by
    return {
        "answered_by": person(answered_by),
        "started_by": person(assessment.created_by),
        "started_at": format_datetime(assessment.created_at),
        "submitted_at": format_datetime(assessment.submitted_at),
    }


def _signature(assessment) -> dict | None:
    if not assessment.is_finalised:
        return None
    meaning = assessment.signature_meaning
    if meaning in SignatureMeaning.values:
        meaning = SignatureMeaning(meaning)
        meaning_label, meaning_statement = meaning.label, meaning.statement
    else:
        meaning_label, meaning_statement = meaning, ""
    return {
        "name": assessment.signed_name,
        "role": assessment.signed_role,
        "account": assessment.signed_by.get_username() if assessment.signed_by else "",
        "at": format_datetime(assessment.finalised_at),
        "meaning": meaning_label,
        "meaning_statement": meaning_statement,
        "statement": assessment.sign_off_statement,
        # Four eyes, or the clinic's single-person sign-off: the report says which applied.
        "review": (
            "Single-person sign-off: the signer also submitted it (allowed by the clinic)"
            if assessment.signed_by_id and assessment.signed_by_id == assessment.submitted_by_id
            else "Submitted and signed by two different people"
        ),
    }
