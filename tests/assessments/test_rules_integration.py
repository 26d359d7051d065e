"""Stored assessments and the rules: what is evaluated, what is stored, and what never changes."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from assessments.checklist import checklist_for
from assessments.checks import reference_data_matches_rules
from assessments.evaluation import evaluate_assessment, facts_for, refresh_findings
from assessments.immutability import RecordLocked
from assessments.models import Assessment, EvidenceItem
from assessments.rules import (
    Finding,
    Precedence,
    Result,
    RuleSpec,
    UnknownValueError,
    get_ruleset,
)
from products.models import CellStatus, EvidenceType, Route, SourceCategory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 25)
PLANT_COSMETIC_DOCUMENTS = [
    "certificate-of-analysis",
    "gmp-certificate",
    "origin-declaration",
    "ev-characterisation",
    "ev-markers",
    "stability",
    "cpsr",
    "scpn-notification",
    "microbial-limits",
    "preservative-efficacy",
]


def ref(model, slug):
    return model.objects.get(slug=slug) if slug else None


def make_assessment(
    product,
    user,
    *,
    source="plant",
    cell_status="cell-free",
    route="topical-intact-skin",
    **fields,
):
    defaults = {"batch_lot": "A123", "marketed_as": "cosmetic", "jurisdiction": "UK"}
    return Assessment.objects.create(
        clinic=product.clinic,
        product=product,
        created_by=user,
        source_category=ref(SourceCategory, source),
        cell_status=ref(CellStatus, cell_status),
        route=ref(Route, route),
        **{**defaults, **fields},
    )


def add_documents(
    assessment, *slugs, lot="A123", expires=date(2027, 1, 10), result="pass", provided=True
):
    for slug in slugs:
        EvidenceItem.objects.create(
            clinic=assessment.clinic,
            assessment=assessment,
            evidence_type=EvidenceType.objects.get(slug=slug),
            lot=lot,
            issued_on=date(2026, 1, 10),
            expires_on=expires,
            result=result,
            provided=provided,
            uploaded_by=assessment.created_by,
        )


def evaluate_and_save(assessment, *, as_of=AS_OF):
    result = refresh_findings(assessment, as_of=as_of)
    assessment.save()
    assessment.refresh_from_db()
    return result


def stored_snapshot(assessment):
    """The outcome as the record stores it, read back through the rules' public Result."""
    return Result.from_dict(
        {
            "ruleset": assessment.ruleset_version,
            "verdict": assessment.verdict,
            "findings": assessment.findings,
        }
    )


def finalise(assessment):
    now = timezone.now()
    assessment.status = Assessment.Status.FINALISED
    assessment.submitted_at = now
    assessment.finalised_at = now
    assessment.save()


@pytest.fixture
def plant_assessment(plant_product, clinician):
    return make_assessment(plant_product, clinician)


@pytest.fixture
def release_new_rules(monkeypatch):
    """Call to change the UK rules as a later release might: a new version with a new rule."""

    def everything_now_needs_a_licence(facts):
        return Finding.critical(
            title="Licence now required",
            explanation="A later law requires a licence for every product.",
            next_step="Stop.",
        )

    def release():
        uk = get_ruleset("UK")
        spec = RuleSpec(
            "UK-NEW-LICENCE",
            "Licence now required",
            "Always.",
            "critical",
            "A later statute",
            everything_now_needs_a_licence,
            Precedence.SOURCE,
        )
        monkeypatch.setattr(uk, "version", "UK-2027.01")
        monkeypatch.setattr(uk, "rules", [*uk.rules, spec])

    return release


# --- What is stored ----------------------------------------------------------------------------


def test_refresh_stores_ruleset_version_verdict_and_findings_snapshot(plant_assessment):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)

    result = evaluate_and_save(plant_assessment)

    assert plant_assessment.ruleset_version == "UK-2026.11"
    assert plant_assessment.verdict == "acceptable"
    assert plant_assessment.findings == [f.to_dict() for f in result.findings]
    assert [f["rule"] for f in plant_assessment.findings] == ["UK-SRC-PLANT"]
    assert set(plant_assessment.findings[0]) == {
        "rule",
        "severity",
        "title",
        "explanation",
        "citation",
        "next_step",
    }
    assert plant_assessment.evaluated_at is not None


def test_the_stored_snapshot_is_the_whole_result(plant_assessment):
    # never evaluated: nothing stored
    assert not (plant_assessment.ruleset_version or plant_assessment.verdict)

    result = evaluate_and_save(plant_assessment)

    assert stored_snapshot(plant_assessment) == result


def test_draft_is_re_evaluated_when_its_evidence_changes(plant_assessment):
    evaluate_and_save(plant_assessment)
    assert plant_assessment.verdict == "insufficient-information"

    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)
    evaluate_and_save(plant_assessment)

    assert plant_assessment.verdict == "acceptable"


def test_draft_picks_up_changed_rules(plant_assessment, release_new_rules):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)
    evaluate_and_save(plant_assessment)

    release_new_rules()

    evaluate_and_save(plant_assessment)

    assert plant_assessment.ruleset_version == "UK-2027.01"
    assert plant_assessment.verdict == "not-permitted"
    assert "UK-NEW-LICENCE" in [f["rule"] for f in plant_assessment.findings]


def test_submitted_assessment_is_still_re_evaluated(plant_assessment):
    plant_assessment.status = Assessment.Status.SUBMITTED
    plant_assessment.submitted_at = timezone.now()
    plant_assessment.save()

    assert refresh_findings(plant_assessment, as_of=AS_OF) is not None
    assert plant_assessment.verdict == "insufficient-information"


def test_eu_assessment_is_evaluated_with_the_eu_ruleset(plant_product, clinician):
    assessment = make_assessment(plant_product, clinician, jurisdiction="EU")

    evaluate_and_save(assessment)

    assert assessment.ruleset_version == "EU-2026.11"
    assert all(f["rule"].startswith("EU-") for f in assessment.findings)


# --- A finalised assessment is the record --------------------------------------------------------


def test_finalised_snapshot_survives_a_rule_change(plant_assessment, monkeypatch):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)
    evaluate_and_save(plant_assessment)
    finalise(plant_assessment)
    before = (
        plant_assessment.ruleset_version,
        plant_assessment.verdict,
        plant_assessment.findings,
        plant_assessment.evaluated_at,
    )

    uk = get_ruleset("UK")
    monkeypatch.setattr(uk, "version", "UK-2027.01")
    monkeypatch.setattr(uk, "evaluate", lambda facts: pytest.fail("finalised re-evaluated"))
    assert refresh_findings(plant_assessment) is None
    # Saving it again is refused too (the record is immutable), so nothing can drift.
    with pytest.raises(RecordLocked), transaction.atomic():
        plant_assessment.save()
    plant_assessment.refresh_from_db()

    after = (
        plant_assessment.ruleset_version,
        plant_assessment.verdict,
        plant_assessment.findings,
        plant_assessment.evaluated_at,
    )
    assert after == before
    assert before[:2] == ("UK-2026.11", "acceptable")


def test_finalised_snapshot_survives_new_rules_and_new_evidence(
    plant_assessment, release_new_rules
):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)
    evaluate_and_save(plant_assessment)
    finalise(plant_assessment)
    snapshot = list(plant_assessment.findings)

    release_new_rules()
    # New evidence cannot be added to a signed record at all.
    with pytest.raises(RecordLocked), transaction.atomic():
        add_documents(plant_assessment, "sterility", result="fail")
    assert refresh_findings(plant_assessment) is None
    plant_assessment.refresh_from_db()

    assert plant_assessment.ruleset_version == "UK-2026.11"
    assert plant_assessment.verdict == "acceptable"
    assert plant_assessment.findings == snapshot
    assert stored_snapshot(plant_assessment).verdict.value == "acceptable"
    # The same record under the new rules reads differently: only a draft would store that.
    now = evaluate_assessment(plant_assessment, as_of=AS_OF)
    assert now.ruleset == "UK-2027.01"


# --- Reference data reaches the rules through its meaning, not its name ---------------------------


def test_a_source_category_the_rules_do_not_know_stops_start_up(plant_product, clinician):
    # The reference data holds exactly the rules' slugs: an extra row is a start-up error
    # naming the slug, never a value read some other way.
    SourceCategory.objects.create(slug="human-keratinocyte-new", name="Human keratinocytes")

    errors = reference_data_matches_rules()

    assert [error.id for error in errors] == ["exocheck.E001"]
    assert "'human-keratinocyte-new'" in errors[0].msg
    assert "unknown to the rules" in errors[0].msg


def test_the_reference_data_matches_the_rules(db):
    assert reference_data_matches_rules() == []


def test_a_stored_answer_the_rules_do_not_know_is_refused_not_dropped(plant_product, clinician):
    CellStatus.objects.create(slug="freeze-dried-new", name="Freeze-dried (new)")
    assessment = make_assessment(plant_product, clinician, cell_status="freeze-dried-new")

    with pytest.raises(UnknownValueError, match="freeze-dried-new"):
        facts_for(assessment)


def test_a_reference_row_missing_from_the_database_is_reported(db):
    Route.objects.filter(slug="injection").delete()

    (error,) = reference_data_matches_rules()

    assert "'injection'" in error.msg and "missing from the database" in error.msg


def test_unanswered_source_and_cell_status_are_insufficient_information(plant_product, clinician):
    assessment = make_assessment(plant_product, clinician, source=None, cell_status=None)

    evaluate_and_save(assessment)

    rules = [f["rule"] for f in assessment.findings]
    assert assessment.verdict == "insufficient-information"
    assert {"UK-SRC-UNKNOWN", "UK-CELL-UNKNOWN"} <= set(rules)


def test_document_marked_not_provided_does_not_count(plant_assessment):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS[1:])
    add_documents(plant_assessment, "certificate-of-analysis", provided=False)

    evaluate_and_save(plant_assessment)

    assert plant_assessment.verdict == "insufficient-information"
    (finding,) = [f for f in plant_assessment.findings if f["rule"] == "UK-EVID-REQUIRED"]
    assert finding["title"] == "Missing: Certificate of analysis (not provided by the supplier)"
    assert "will not provide" in finding["explanation"]
    assert finding["citation"]


def test_expiry_is_judged_on_the_evaluation_date(plant_assessment):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS, expires=date(2026, 12, 31))

    evaluate_and_save(plant_assessment, as_of=date(2027, 1, 1))

    assert plant_assessment.verdict == "insufficient-information"
    assert "UK-EVID-EXPIRED" in [f["rule"] for f in plant_assessment.findings]


def test_facts_use_a_fixed_number_of_queries(plant_assessment, django_assert_max_num_queries):
    add_documents(plant_assessment, *PLANT_COSMETIC_DOCUMENTS)
    assessment = Assessment.objects.with_related().get(pk=plant_assessment.pk)

    with django_assert_max_num_queries(1):
        facts = facts_for(assessment, as_of=AS_OF)

    assert len(facts.evidence) == len(PLANT_COSMETIC_DOCUMENTS)


# --- The Q3 checklist ---------------------------------------------------------------------------


def test_requirements_for_plant_ask_for_no_donor_screening(plant_assessment):
    slugs = [row.evidence_type.slug for row in checklist_for(plant_assessment).documents]

    assert "donor-screening" not in slugs
    assert "certificate-of-analysis" in slugs
    assert "cpsr" in slugs


def test_requirements_for_human_source_ask_for_donor_screening(human_product, clinician):
    assessment = make_assessment(human_product, clinician, source="human-msc-adipose")

    checklist = {row.slug: row for row in checklist_for(assessment).documents}

    assert checklist["donor-screening"].is_required
    assert isinstance(checklist["donor-screening"].evidence_type, EvidenceType)


def test_requirements_for_autologous_is_only_device_conformity(plant_product, clinician):
    assessment = make_assessment(plant_product, clinician, source="autologous-prp")

    assert [row.slug for row in checklist_for(assessment).documents] == ["device-conformity"]
