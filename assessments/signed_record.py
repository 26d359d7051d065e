"""The signed record: what a finalised assessment says, frozen in the save that finalises it.

An assessment points at rows that live on after sign-off: its product, the product's
supplier, the reference rows of its answers. Those get renamed (a product, a supplier's
trading name, an admin's rewording of a route), but the stored PDF keeps the names it was
signed with, so nothing else may show a finalised assessment under other names.

- `build_signed_record()` copies what the record says (product, brand, supplier, lot,
  route, answers, evidence metadata, what is missing, ruleset version, verdict, findings)
  into `Assessment.signed_record`. The sign-off service stores it in the same save that
  finalises, built from the same fresh read the PDF is rendered from; the immutability
  guard (assessments/immutability.py) keeps it as signed from then on.
- `assessments/record_names.py` is the one accessor every reader uses (pages, the
  register, ZIP member names, the PDF itself): the snapshot's values once finalised, the
  live rows before.

Plain field reads only, so migration 0005 backfills older records with the same builder.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from assessments.checklist import Checklist, checklist_for, document_info
from assessments.facts import assessment_date, facts_for
from assessments.record_names import (
    product_values,
    record_names,
    reference_values,
    supplier_values,
)
from assessments.rules import EvidenceStatus, document_status

# Bumped when the snapshot's shape changes; readers then know which shape a record has.
SCHEMA = 1


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def evidence_values(item: Any, jurisdiction: str, status: str) -> dict[str, Any]:
    return {
        "type": item.evidence_type.slug,
        "type_name": document_info(item.evidence_type, jurisdiction).name,
        "provided": item.provided,
        "filename": item.original_filename,
        "content_type": item.content_type,
        "size_bytes": item.size_bytes,
        "sha256": item.sha256,
        "lab": item.lab,
        "lot": item.lot,
        "issued_on": _iso(item.issued_on),
        "expires_on": _iso(item.expires_on),
        "result": item.result,
        "notes": item.notes,
        "status": status,
    }


def _evidence(assessment: Any, items: list[Any]) -> list[dict[str, Any]]:
    """Each document with its own status (docs/domain.md §4.1) on the assessment's date."""
    as_of = assessment_date(assessment)
    facts = facts_for(assessment, as_of=as_of, items=items)
    # facts.evidence holds the provided documents, one each, in the order of `items`.
    provided = iter(facts.evidence)
    rows = []
    for item in items:
        if item.provided:
            status = document_status(next(provided), as_of=as_of, lot=facts.lot).value
        else:
            status = EvidenceStatus.NOT_PROVIDED.value
        rows.append(evidence_values(item, assessment.jurisdiction, status))
    return rows


def missing_rows(checklist: Checklist) -> list[dict[str, str]]:
    """The checklist's missing answers, then each needed document not on file: the PDF's
    "What is missing" and the register's column."""
    rows = [
        {"name": answer.label, "level": "answer", "standard": "", "reason": "", "status": ""}
        for answer in checklist.answers
    ]
    rows += [
        {
            "name": row.name,
            "level": row.level,
            "standard": row.standard,
            "reason": row.reason,
            "status": row.summary,
            "status_label": row.status_label,
            "slug": row.slug,
        }
        for row in checklist.gaps
    ]
    return rows


def build_signed_record(
    assessment: Any,
    *,
    evidence: Iterable[Any],
    product: Any = None,
    supplier: Any = None,
    document_id: str = "",
) -> dict[str, Any]:
    """The snapshot of `assessment` with its `evidence` (all its items, as loaded).

    `product`, `supplier` and `document_id` default to the assessment's own; the backfill
    passes them because it reads the product and supplier as they were at sign-off."""
    evidence = list(evidence)
    product = product if product is not None else assessment.product
    supplier = supplier if supplier is not None else product.supplier
    jurisdiction = assessment.jurisdiction
    return {
        "schema": SCHEMA,
        "document_id": document_id or assessment.document_id,
        "product": product_values(product),
        "supplier": supplier_values(supplier),
        "batch_lot": assessment.batch_lot,
        "jurisdiction": jurisdiction,
        "route": reference_values(assessment.route),
        "marketed_as": assessment.marketed_as,
        "answers": {
            "inci": assessment.inci,
            "claims": assessment.claims,
            "source_category": reference_values(assessment.source_category),
            "source_answer": assessment.source_answer,
            "cell_status": reference_values(assessment.cell_status),
            "cell_status_answer": assessment.cell_status_answer,
            "testing_answer": assessment.testing_answer,
        },
        "evidence": _evidence(assessment, evidence),
        "missing": missing_rows(checklist_for(assessment, items=evidence)),
        "ruleset_version": assessment.ruleset_version,
        "verdict": assessment.verdict,
        "findings": list(assessment.findings or []),
        "evaluated_at": _iso(assessment.evaluated_at),
    }


def record_missing(assessment: Any, items: Iterable[Any]) -> list[dict[str, str]]:
    """What is missing: as signed once finalised; before, from the live checklist over
    `items` (the assessment's documents, read only then)."""
    signed = record_names(assessment).signed_missing
    return signed if signed is not None else missing_rows(checklist_for(assessment, items=items))
