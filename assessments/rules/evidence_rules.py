"""The six evidence rules (docs/domain.md §4.1, rules …-EVID-* of §6–§8), in every ruleset.

Each reads the evidence checklist (checklist.py) and nothing else: a document has exactly one
status there, and each status has exactly one rule. So an expired certificate gives the
expired finding, never the missing one too, and the findings name exactly the documents that
the PDF's "What is missing" and the supplier request name (§4.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import cast

from . import citations as C
from .checklist import ChecklistEntry, evidence_checklist, summary
from .documents import EvidenceFact, EvidenceStatus
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .rule import Precedence, rule

ABSENT = (EvidenceStatus.MISSING, EvidenceStatus.NOT_PROVIDED)
# A problem with a needed document is as serious as its absence: missing if required, a
# caution if recommended (§4.1).
BY_LEVEL = (Severity.MISSING, Severity.CAUTION)


def _entries(facts: Facts, *statuses: EvidenceStatus) -> Iterator[ChecklistEntry]:
    return (entry for entry in evidence_checklist(facts) if entry.status in statuses)


def _severity(entry: ChecklistEntry) -> Severity:
    return Severity.MISSING if entry.is_required else Severity.CAUTION


def _lot(e: EvidenceFact) -> str:
    return f"lot {e.lot}" if e.lot.strip() else "no stated lot"


def _absent(entry: ChecklistEntry) -> Finding:
    info = entry.info
    refused = entry.status is EvidenceStatus.NOT_PROVIDED
    title = ("Missing: " if entry.is_required else "Recommended: ") + info.name
    if refused:
        title += " (not provided by the supplier)"
    said = "The supplier has said it will not provide one." if refused else "None is on file."
    return Finding.make(
        _severity(entry),
        title=title,
        explanation=f"{entry.reason} The {info.name} shows {info.proves} ({info.standard}). {said}",
        citation=info.standard,
        next_step=f"Ask the supplier for the {info.name}."
        + (" Without it the product cannot be shown to be safe." if refused else ""),
        document=entry.slug,
    )


@rule(
    "EVID-FAILED",
    title="A test on file failed",
    trigger="Any document on file records the result “fail”.",
    severity=Severity.CRITICAL,
    citation="As in the evidence catalogue: the standard of the failed test",
    precedence=Precedence.EVIDENCE,
    next_step="Quarantine the stock, do not use it, and ask the supplier for an investigation "
    "report and a replacement lot with a passing result.",
)
def evidence_failed(facts: Facts, p: Profile) -> Iterator[Finding]:
    """A failed test means the batch does not meet its specification."""
    for entry in _entries(facts, EvidenceStatus.FAILED):
        for e in entry.documents:
            if e.failed:
                yield Finding.critical(
                    title=f"Failed: {entry.name}",
                    explanation=f"The {entry.name} on file ({_lot(e)}) records a failed "
                    "result: the batch failed a test and must not be used.",
                    citation=entry.info.standard,
                    document=entry.slug,
                )


@rule(
    "EVID-REQUIRED",
    title="A required document is missing",
    trigger="A document required for these answers is not on file, or the supplier has said "
    "it will not provide it.",
    severity=Severity.MISSING,
    citation="As in the evidence catalogue, per document",
    precedence=Precedence.EVIDENCE,
)
def required_missing(facts: Facts, p: Profile) -> Iterator[Finding]:
    """Without the required documents the clinic cannot show the product is safe."""
    for entry in _entries(facts, *ABSENT):
        if entry.is_required:
            yield _absent(entry)


@rule(
    "EVID-RECOMMENDED",
    title="A recommended document is missing",
    trigger="A recommended document is not on file, or the supplier has said it will not "
    "provide it.",
    severity=Severity.CAUTION,
    citation="As in the evidence catalogue, per document",
    precedence=Precedence.EVIDENCE,
)
def recommended_missing(facts: Facts, p: Profile) -> Iterator[Finding]:
    """Recommended documents close known gaps in the evidence for vesicle products."""
    for entry in _entries(facts, *ABSENT):
        if not entry.is_required:
            yield _absent(entry)


@rule(
    "EVID-EXPIRED",
    title="A document has expired",
    trigger="A needed document on file is past its expiry date, with no usable one; a "
    "caution for a recommended document.",
    severities=BY_LEVEL,
    citation=C.EVIDENCE_DATES,
    precedence=Precedence.EVIDENCE,
)
def evidence_expired(facts: Facts, p: Profile) -> Iterator[Finding]:
    """A document past its expiry date counts as missing."""
    for entry in _entries(facts, EvidenceStatus.EXPIRED):
        # An expired entry has a document with an expiry date, so latest_expiry is a date.
        expiry = cast(date, entry.latest_expiry)
        yield Finding.make(
            _severity(entry),
            title=f"Expired: {entry.name}",
            explanation=f"The {entry.name} on file expired on "
            f"{expiry.isoformat()}, before this assessment "
            f"({facts.as_of.isoformat()}); an expired document counts as missing.",
            next_step=f"Ask the supplier for a current {entry.name}.",
            document=entry.slug,
        )


@rule(
    "EVID-LOT",
    title="A lot-specific document is for another lot",
    trigger="A certificate of analysis, sterility or endotoxin result on file names a "
    "different lot from the one assessed (or none); a caution for a recommended document.",
    severities=BY_LEVEL,
    citation=C.EVIDENCE_LOTS,
    precedence=Precedence.EVIDENCE,
)
def evidence_wrong_lot(facts: Facts, p: Profile) -> Iterator[Finding]:
    """A lot's results say nothing about another lot."""
    for entry in _entries(facts, EvidenceStatus.WRONG_LOT):
        yield Finding.make(
            _severity(entry),
            title=f"Wrong lot: {entry.name}",
            explanation=f"The {entry.name} on file is for "
            f"{', '.join(entry.other_lots)}, not lot {facts.lot} being assessed. It "
            "counts only for the lot it names.",
            next_step=f"Ask the supplier for the {entry.name} of lot {facts.lot}.",
            document=entry.slug,
        )


@rule(
    "EVID-UNVERIFIED",
    title="A document is uploaded but not checked",
    trigger="A needed document is on file but its issue date is not recorded, or (for a test "
    "report) its result is not recorded, or it is dated after the assessment; a caution for "
    "a recommended document.",
    severities=BY_LEVEL,
    citation=C.EVIDENCE_UNVERIFIED,
    precedence=Precedence.EVIDENCE,
)
def evidence_unverified(facts: Facts, p: Profile) -> Iterator[Finding]:
    """A bare upload is never evidence: the person who reads it records what it says."""
    for entry in _entries(facts, EvidenceStatus.UNVERIFIED):
        future = [d.issued for d in entry.documents if d.issued and d.issued > facts.as_of]
        detail = (
            f" Its issue date ({max(future).isoformat()}) is after this assessment "
            f"({facts.as_of.isoformat()})."
            if future
            else ""
        )
        yield Finding.make(
            _severity(entry),
            title=f"Not checked: {entry.name}",
            explanation=f"The {entry.name} is uploaded but not checked: "
            f"{summary(entry, lot=facts.lot).split(': ', 1)[-1]}.{detail} Until then it "
            "counts as missing.",
            next_step=f"Open the {entry.name}, record its issue date"
            + (" and result" if entry.info.test_report else "")
            + " as printed on it, or ask the supplier for a copy that states them.",
            document=entry.slug,
        )


# In the order every ruleset lists them.
RULES = (
    evidence_failed,
    required_missing,
    recommended_missing,
    evidence_expired,
    evidence_wrong_lot,
    evidence_unverified,
)
