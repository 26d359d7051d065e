"""The five evidence rules (brief §2, Q3), shared by every ruleset.

For each document the product needs, at most one kind of problem is reported per document
on file: a failed result, an expiry, or a wrong lot; only when nothing at all is on file is
it reported as absent. So an expired certificate gives EVID-EXPIRED, not EVID-REQUIRED too.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import citations as C
from .evidence import EvidenceInfo, Requirement, catalogue_for, evidence_requirements
from .facts import EvidenceFact, Facts
from .findings import Finding, Severity
from .profile import Profile
from .registry import Precedence, Ruleset


def requirements_for(facts: Facts, jurisdiction: str) -> list[Requirement]:
    return evidence_requirements(
        origin=facts.origin,
        cell_status=facts.cell_status,
        route=facts.route,
        marketed_as=facts.marketed_as,
        jurisdiction=jurisdiction,
    )


def _unmet(facts: Facts, code: str) -> Iterator[tuple[Requirement, EvidenceInfo, list]]:
    """Each requirement with nothing usable on file, with the unfailed documents there are."""
    docs = catalogue_for(code)
    for req in requirements_for(facts, code):
        if facts.on_file(req.type):
            continue
        present = [e for e in facts.documents(req.type) if not e.failed]
        if any(e.failed for e in facts.documents(req.type)) and not present:
            continue  # EVID-FAILED already says it, more strongly
        yield req, docs[req.type], present


def _severity(req: Requirement) -> Severity:
    return Severity.MISSING if req.is_required else Severity.CAUTION


def _lot(e: EvidenceFact) -> str:
    return f"lot {e.lot}" if e.lot.strip() else "no stated lot"


def add_evidence_rules(rs: Ruleset, p: Profile) -> None:
    code = p.code

    @rs.rule(
        p.rule_id("EVID-FAILED"),
        title="A test on file failed",
        trigger="Any document on file records the result “fail”.",
        severity=Severity.CRITICAL,
        citation="As in the evidence catalogue: the standard of the failed test",
        precedence=Precedence.EVIDENCE,
    )
    def evidence_failed(facts: Facts) -> Iterator[Finding]:
        """A failed test means the batch does not meet its specification."""
        docs = catalogue_for(code)
        for e in facts.evidence:
            if e.failed:
                info = docs[e.type]
                yield Finding.critical(
                    title=f"Failed: {info.name}",
                    explanation=f"The {info.name} on file ({_lot(e)}) records a failed "
                    "result: the batch failed a test and must not be used.",
                    citation=info.standard,
                    next_step="Quarantine the stock, do not use it, and ask the supplier for "
                    "an investigation report and a replacement lot with a passing result.",
                )

    @rs.rule(
        p.rule_id("EVID-REQUIRED"),
        title="A required document is missing",
        trigger="A document required for these answers is not on file.",
        severity=Severity.MISSING,
        citation="As in the evidence catalogue, per document",
        precedence=Precedence.EVIDENCE,
    )
    def required_missing(facts: Facts) -> Iterator[Finding]:
        """Without the required documents the clinic cannot show the product is safe."""
        for req, info, present in _unmet(facts, code):
            if req.is_required and not present:
                yield Finding.missing(
                    title=f"Missing: {info.name}",
                    explanation=f"{req.reason} The {info.name} shows {info.proves} "
                    f"({info.standard}); none is on file.",
                    citation=info.standard,
                    next_step=f"Ask the supplier for the {info.name}.",
                )

    @rs.rule(
        p.rule_id("EVID-RECOMMENDED"),
        title="A recommended document is missing",
        trigger="A recommended document is not on file.",
        severity=Severity.CAUTION,
        citation="As in the evidence catalogue, per document",
        precedence=Precedence.EVIDENCE,
    )
    def recommended_missing(facts: Facts) -> Iterator[Finding]:
        """Recommended documents close known gaps in the evidence for vesicle products."""
        for req, info, present in _unmet(facts, code):
            if not req.is_required and not present:
                yield Finding.caution(
                    title=f"Recommended: {info.name}",
                    explanation=f"{req.reason} The {info.name} shows {info.proves} "
                    f"({info.standard}); none is on file.",
                    citation=info.standard,
                    next_step=f"Ask the supplier for the {info.name}.",
                )

    @rs.rule(
        p.rule_id("EVID-EXPIRED"),
        title="A document has expired",
        trigger="A needed document on file is past its expiry date, with no current one.",
        severity="missing (caution for a recommended document)",
        citation=C.EVIDENCE_DATES,
        precedence=Precedence.EVIDENCE,
    )
    def evidence_expired(facts: Facts) -> Iterator[Finding]:
        """A document past its expiry date counts as missing."""
        for req, info, present in _unmet(facts, code):
            expired = [e for e in present if e.expired(facts.as_of)]
            if expired:
                last = max(e.expires for e in expired)
                yield Finding.make(
                    _severity(req),
                    title=f"Expired: {info.name}",
                    explanation=f"The {info.name} on file expired on "
                    f"{last.isoformat()}, before this assessment "
                    f"({facts.as_of.isoformat()}); an expired document counts as missing.",
                    next_step=f"Ask the supplier for a current {info.name}.",
                )

    @rs.rule(
        p.rule_id("EVID-LOT"),
        title="A lot-specific document is for another lot",
        trigger="A certificate of analysis, sterility or endotoxin result on file names a "
        "different lot from the one assessed (or none).",
        severity="missing (caution for a recommended document)",
        citation=C.EVIDENCE_LOTS,
        precedence=Precedence.EVIDENCE,
    )
    def evidence_wrong_lot(facts: Facts) -> Iterator[Finding]:
        """A lot's results say nothing about another lot."""
        for req, info, present in _unmet(facts, code):
            wrong = [e for e in present if not e.expired(facts.as_of) and e.wrong_lot(facts.lot)]
            if wrong:
                lots = ", ".join(sorted({_lot(e) for e in wrong}))
                yield Finding.make(
                    _severity(req),
                    title=f"Wrong lot: {info.name}",
                    explanation=f"The {info.name} on file is for {lots}, not lot "
                    f"{facts.lot} being assessed. It counts only for the lot it names.",
                    next_step=f"Ask the supplier for the {info.name} of lot {facts.lot}.",
                )
