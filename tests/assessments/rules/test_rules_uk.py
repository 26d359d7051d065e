"""UK-2026.11 (docs/domain.md §6): each rule fires when it should and only then."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from assessments.rules import (
    CELL_STATUSES,
    MARKETED_AS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    EvidenceFact,
    Origin,
    Severity,
    Verdict,
    evaluate,
    get_ruleset,
)
from tests import rules_support
from tests.rules_support import (
    AS_OF,
    LOT,
    covered,
    findings_of,
    fires,
    full_evidence,
    quiet,
    rule_ids,
)

YESTERDAY = AS_OF - timedelta(days=1)
HUMAN_SLUGS = [s for s, o in SOURCE_CATEGORY_ORIGINS.items() if o is Origin.HUMAN]
UK = get_ruleset("UK")


def assess(source="plant", **answers):
    """A UK assessment (rules_support.assess), the source first."""
    return rules_support.assess("UK", source, **answers)


def make_facts(source="plant", **answers):
    return rules_support.make_facts("UK", source, **answers)


MA = {"marketing-authorisation": {"expires": AS_OF + timedelta(days=90), "result": "pass"}}


CASES = [
    fires("UK-SRC-HUMAN-COSMETIC", source="human-msc-adipose"),
    fires("UK-SRC-HUMAN-COSMETIC", source="human-platelet", route="topical-compromised-skin"),
    fires("UK-SRC-HUMAN-COSMETIC", source="human-other", route=None),
    quiet("UK-SRC-HUMAN-COSMETIC", source="human-msc-bone-marrow", route="injection"),
    quiet("UK-SRC-HUMAN-COSMETIC", source="plant"),
    quiet("UK-SRC-HUMAN-COSMETIC", source="autologous-prp"),
    fires("UK-SRC-HUMAN-MEDICINE", source="human-msc-umbilical-cord", route="injection"),
    fires("UK-SRC-HUMAN-MEDICINE", source="human-platelet", route="injection", change=MA),
    quiet("UK-SRC-HUMAN-MEDICINE", source="human-msc-adipose"),
    quiet("UK-SRC-HUMAN-MEDICINE", source="plant", route="injection"),
    fires("UK-SRC-PLACENTAL", source="human-placental-amniotic"),
    fires("UK-SRC-PLACENTAL", source="human-placental-amniotic", route="injection"),
    quiet("UK-SRC-PLACENTAL", source="human-msc-umbilical-cord"),
    fires("UK-CELL-LIVE-HUMAN", source="human-other", cell_status="live-cell"),
    quiet("UK-CELL-LIVE-HUMAN", source="human-other", cell_status="cell-free"),
    quiet("UK-CELL-LIVE-HUMAN", source="animal", cell_status="live-cell"),
    quiet("UK-CELL-LIVE-HUMAN", source="autologous-prp", cell_status="live-cell"),
    fires("UK-COMPOSITION-HUMAN", inci=("AQUA", "HUMAN ADIPOCYTE CONDITIONED MEDIA EXTRACT")),
    fires("UK-COMPOSITION-HUMAN", inci=("Hydrolyzed Human Placental Protein",)),
    fires("UK-COMPOSITION-HUMAN", source="synthetic", inci=("rh-Oligopeptide-1",)),
    fires("UK-COMPOSITION-HUMAN", source="microbial", inci=("RH-POLYPEPTIDE-22",)),
    fires("UK-COMPOSITION-HUMAN", source="unknown", inci=("HUMAN KERATINOCYTES",)),
    quiet("UK-COMPOSITION-HUMAN", inci=("AQUA", "CAMELLIA SINENSIS LEAF EXTRACT")),
    quiet("UK-COMPOSITION-HUMAN", source="synthetic", inci=("sh-Oligopeptide-1",)),
    quiet("UK-COMPOSITION-HUMAN", source="human-other", inci=("HUMAN KERATINOCYTES",)),
    fires("UK-ROUTE-INJECTION", route="injection"),
    fires("UK-ROUTE-INJECTION", source="unknown", route="injection"),
    fires("UK-ROUTE-INJECTION", source="human-platelet", route="injection"),
    fires(
        "UK-ROUTE-INJECTION",
        route="injection",
        change={"marketing-authorisation": {"expires": YESTERDAY}},
    ),
    quiet("UK-ROUTE-INJECTION", route="injection", change=MA),
    quiet("UK-ROUTE-INJECTION", source="autologous-prp", route="injection"),
    quiet("UK-ROUTE-INJECTION", route="topical-compromised-skin"),
    fires("UK-ROUTE-COMPROMISED", route="topical-compromised-skin"),
    fires(
        "UK-ROUTE-COMPROMISED",
        source="synthetic",
        route="topical-compromised-skin",
        marketed_as="unknown",
    ),
    quiet("UK-ROUTE-COMPROMISED", route="topical-intact-skin"),
    quiet("UK-ROUTE-COMPROMISED", source="human-msc-adipose", route="topical-compromised-skin"),
    quiet("UK-ROUTE-COMPROMISED", source="autologous-prp", route="topical-compromised-skin"),
    fires("UK-CLAIMS-MEDICINAL", marketed_as="medicine"),
    fires("UK-CLAIMS-MEDICINAL", claims=("Visibly improves acne scars",)),
    fires("UK-CLAIMS-MEDICINAL", claims=("Hydrates", "Helps with hair loss")),
    fires("UK-CLAIMS-MEDICINAL", claims=("Heals wounds faster",)),
    fires("UK-CLAIMS-MEDICINAL", claims=("For psoriasis and rosacea",)),
    fires("UK-CLAIMS-MEDICINAL", claims=("Regenerates tired skin",)),
    quiet("UK-CLAIMS-MEDICINAL", claims=("Hydrates and brightens", "Healthy-looking glow")),
    quiet("UK-CLAIMS-MEDICINAL", marketed_as="medicine", change=MA),
    quiet("UK-CLAIMS-MEDICINAL", claims=("Treats alopecia",), change=MA),
    fires("UK-SRC-PLANT", source="plant"),
    fires("UK-SRC-PLANT", source="plant", route="topical-compromised-skin"),
    quiet("UK-SRC-PLANT", source="plant", route="injection"),
    quiet("UK-SRC-PLANT", source="synthetic"),
    fires("UK-SRC-ANIMAL", source="animal"),
    fires("UK-SRC-ANIMAL", source="animal", evidence=()),
    quiet("UK-SRC-ANIMAL", source="plant"),
    fires("UK-SRC-MICROBIAL", source="microbial"),
    quiet("UK-SRC-MICROBIAL", source="synthetic"),
    fires("UK-SRC-SYNTHETIC", source="synthetic"),
    quiet("UK-SRC-SYNTHETIC", source="plant"),
    fires("UK-SRC-AUTOLOGOUS", source="autologous-prp"),
    quiet("UK-SRC-AUTOLOGOUS", source="human-platelet"),
    fires("UK-SRC-UNKNOWN", source="unknown"),
    fires("UK-SRC-UNKNOWN", source=None),
    fires("UK-SRC-UNKNOWN", source=None, origin=Origin.UNKNOWN),
    quiet("UK-SRC-UNKNOWN", source="plant"),
    quiet("UK-SRC-UNKNOWN", source=None, origin="plant"),
    fires("UK-CELL-UNKNOWN", cell_status=None),
    fires("UK-CELL-UNKNOWN", cell_status="unknown"),
    quiet("UK-CELL-UNKNOWN", cell_status="cell-free"),
    fires("UK-ROUTE-UNKNOWN", route=None),
    quiet("UK-ROUTE-UNKNOWN", route="topical-intact-skin"),
    fires("UK-EVID-REQUIRED", evidence=()),
    fires("UK-EVID-REQUIRED", drop=("gmp-certificate",)),
    quiet("UK-EVID-REQUIRED", drop=("stability",)),
    quiet("UK-EVID-REQUIRED"),
    fires("UK-EVID-RECOMMENDED", drop=("stability",)),
    quiet("UK-EVID-RECOMMENDED", drop=("gmp-certificate",)),
    fires("UK-EVID-EXPIRED", change={"gmp-certificate": {"expires": YESTERDAY}}),
    fires("UK-EVID-EXPIRED", change={"stability": {"expires": YESTERDAY}}),
    quiet("UK-EVID-EXPIRED", change={"gmp-certificate": {"expires": AS_OF}}),
    fires("UK-EVID-LOT", change={"certificate-of-analysis": {"lot": "L2"}}),
    fires("UK-EVID-LOT", change={"certificate-of-analysis": {"lot": ""}}),
    fires("UK-EVID-LOT", route="injection", change={"endotoxin": {"lot": "L9"}}),
    quiet("UK-EVID-LOT", change={"certificate-of-analysis": {"lot": " l1 "}}),
    quiet("UK-EVID-LOT", change={"gmp-certificate": {"lot": "L2"}}),
    fires("UK-EVID-UNVERIFIED", change={"gmp-certificate": {"issued": None}}),
    fires("UK-EVID-UNVERIFIED", change={"sterility": {"result": "not-stated"}}, route="injection"),
    fires("UK-EVID-UNVERIFIED", change={"cpsr": {"issued": AS_OF + timedelta(days=1)}}),
    fires("UK-EVID-UNVERIFIED", change={"stability": {"result": "not-stated"}}),
    quiet("UK-EVID-UNVERIFIED", change={"gmp-certificate": {"result": "not-stated"}}),
    quiet("UK-EVID-UNVERIFIED", change={"cpsr": {"issued": AS_OF}}),
    quiet("UK-EVID-UNVERIFIED", change={"gmp-certificate": {"issued": None, "expires": YESTERDAY}}),
    fires("UK-EVID-FAILED", change={"microbial-limits": {"result": "fail"}}),
    fires("UK-EVID-FAILED", change={"sterility": {"result": "fail"}}),
    quiet("UK-EVID-FAILED", change={"microbial-limits": {"result": "not-stated"}}),
]


@pytest.mark.parametrize("rule_id, answers, fires", CASES)
def test_rule_fires_only_when_it_should(rule_id, answers, fires):
    result = assess(**answers)
    assert (rule_id in result.rule_ids) is fires, result.rule_ids


def test_every_uk_rule_has_a_case_that_fires_and_one_that_does_not():
    pairs = covered(CASES)
    for rule_id in rule_ids(UK):
        assert (rule_id, True) in pairs, rule_id
        assert (rule_id, False) in pairs, rule_id


@pytest.mark.parametrize("source", HUMAN_SLUGS)
@pytest.mark.parametrize("route", [*ROUTES, None])
def test_every_human_source_is_not_permitted_on_every_route(source, route):
    for cell_status in [*CELL_STATUSES, None]:
        for marketed_as in MARKETED_AS:
            for evidence in ("full", ()):
                result = assess(
                    source,
                    route=route,
                    cell_status=cell_status,
                    marketed_as=marketed_as,
                    evidence=evidence,
                    change=MA,
                )
                assert result.verdict is Verdict.NOT_PERMITTED


def test_a_fully_evidenced_plant_cosmetic_on_intact_skin_is_acceptable():
    result = assess("plant")
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.rule_ids == ("UK-SRC-PLANT",)
    assert result.ruleset == "UK-2026.11"


def test_missing_a_recommended_document_makes_it_conditional():
    result = assess("plant", drop=("ev-markers",))
    assert result.verdict is Verdict.CONDITIONAL
    assert [f.rule_id for f in result.findings if f.severity is Severity.CAUTION] == [
        "UK-EVID-RECOMMENDED"
    ]


def test_missing_a_required_document_makes_it_insufficient_information():
    result = assess("plant", drop=("cpsr",))
    assert result.verdict is Verdict.INSUFFICIENT_INFORMATION
    (finding,) = findings_of(result, "UK-EVID-REQUIRED")
    assert "Cosmetic Product Safety Report" in finding.title
    assert "Art. 10" in finding.explanation


def test_autologous_prp_with_a_marked_kit_is_conditional_and_asks_for_nothing_else():
    result = assess("autologous-prp", route="topical-compromised-skin", marketed_as="device")
    assert result.verdict is Verdict.CONDITIONAL
    assert result.rule_ids == ("UK-SRC-AUTOLOGOUS",)
    assert "UKCA or CE" in result.findings[0].explanation


def test_autologous_prp_without_a_marked_kit_asks_for_it():
    result = assess("autologous-prp", evidence=())
    assert result.verdict is Verdict.INSUFFICIENT_INFORMATION
    (finding,) = findings_of(result, "UK-EVID-REQUIRED")
    assert "Device conformity" in finding.title


def test_an_expired_document_is_reported_once_with_its_date():
    result = assess(change={"gmp-certificate": {"expires": date(2026, 3, 31)}})
    assert result.verdict is Verdict.INSUFFICIENT_INFORMATION
    (expired,) = findings_of(result, "UK-EVID-EXPIRED")
    assert expired.severity is Severity.MISSING
    assert "2026-03-31" in expired.explanation
    assert findings_of(result, "UK-EVID-REQUIRED") == []


def test_an_expired_recommended_document_is_a_caution():
    result = assess(change={"stability": {"expires": YESTERDAY}})
    assert result.verdict is Verdict.CONDITIONAL
    assert findings_of(result, "UK-EVID-EXPIRED")[0].severity is Severity.CAUTION


def test_a_wrong_lot_is_reported_once_naming_both_lots():
    result = assess(change={"certificate-of-analysis": {"lot": "L0"}})
    (wrong,) = findings_of(result, "UK-EVID-LOT")
    assert wrong.severity is Severity.MISSING
    assert "lot L0" in wrong.explanation and "lot L1" in wrong.explanation
    assert findings_of(result, "UK-EVID-REQUIRED") == []


def plant_with_extra(doc):
    """The fully evidenced plant cosmetic, with one more document on file."""
    facts = make_facts("plant")
    assert facts.lot == LOT
    return replace(facts, evidence=(*full_evidence(facts), doc))


def test_a_current_document_outweighs_an_expired_one_of_the_same_type():
    facts = plant_with_extra(EvidenceFact("gmp-certificate", expires=date(2020, 1, 1)))
    assert evaluate(facts).verdict is Verdict.ACCEPTABLE


def test_a_failed_test_is_critical_even_when_a_passing_one_is_on_file():
    result = evaluate(
        plant_with_extra(EvidenceFact("certificate-of-analysis", lot=LOT, result="fail"))
    )
    assert result.verdict is Verdict.NOT_PERMITTED
    (failed,) = findings_of(result, "UK-EVID-FAILED")
    assert "lot L1" in failed.explanation


def test_a_failed_document_is_not_also_reported_missing():
    result = assess(change={"cpsr": {"result": "fail"}})
    assert findings_of(result, "UK-EVID-REQUIRED") == []


@pytest.mark.parametrize(
    "answers, severity",
    [
        ({"claims": ("Regenerates tired skin",)}, Severity.CAUTION),
        ({"claims": ("Regenerates skin and heals acne scars",)}, Severity.CRITICAL),
        ({"marketed_as": "medicine"}, Severity.CRITICAL),
    ],
)
def test_borderline_wording_is_a_caution_and_disease_claims_are_critical(answers, severity):
    (finding,) = findings_of(assess(**answers), "UK-CLAIMS-MEDICINAL")
    assert finding.severity is severity


@pytest.mark.parametrize(
    "answers, severity",
    [
        ({"source": "animal"}, Severity.INFO),
        ({"source": "animal", "drop": ("origin-declaration",)}, Severity.MISSING),
        ({"source": "microbial"}, Severity.INFO),
        ({"source": "microbial", "drop": ("microbial-limits",)}, Severity.MISSING),
        ({"source": "microbial", "route": "injection", "change": MA}, Severity.MISSING),
    ],
)
def test_animal_and_microbial_sources_depend_on_their_declarations(answers, severity):
    rule = f"UK-SRC-{answers['source'].upper()}"
    (finding,) = findings_of(assess(**answers), rule)
    assert finding.severity is severity


@pytest.mark.parametrize(
    "rule_id, answers, expected",
    [
        ("UK-SRC-HUMAN-COSMETIC", {"source": "human-other"}, "Annex II entry 416"),
        ("UK-SRC-HUMAN-COSMETIC", {"source": "human-other"}, "DBT statement"),
        ("UK-SRC-HUMAN-MEDICINE", {"source": "human-other", "route": "injection"}, "reg. 46"),
        ("UK-SRC-PLACENTAL", {"source": "human-placental-amniotic"}, "Human Tissue Act 2004"),
        ("UK-CELL-LIVE-HUMAN", {"source": "human-other", "cell_status": "live-cell"}, "reg. 2A"),
        ("UK-COMPOSITION-HUMAN", {"inci": ("HUMAN KERATINOCYTES",)}, "CosIng"),
        ("UK-ROUTE-INJECTION", {"route": "injection"}, "Art. 2(1)(a)"),
        ("UK-CLAIMS-MEDICINAL", {"marketed_as": "medicine"}, "presentation limb"),
        ("UK-ROUTE-COMPROMISED", {"route": "topical-compromised-skin"}, "Art. 3, 10"),
        ("UK-SRC-PLANT", {}, "Art. 4, 8, 10, 13"),
        ("UK-SRC-ANIMAL", {"source": "animal"}, "entry 419"),
        ("UK-SRC-SYNTHETIC", {"source": "synthetic"}, "655/2013"),
        ("UK-SRC-AUTOLOGOUS", {"source": "autologous-prp"}, "2004/23/EC"),
        ("UK-EVID-REQUIRED", {"drop": ("microbial-limits",)}, "ISO 17516"),
        ("UK-EVID-FAILED", {"change": {"cpsr": {"result": "fail"}}}, "Annex I"),
    ],
)
def test_findings_carry_the_citation_of_the_domain_doc(rule_id, answers, expected):
    """docs/domain.md §6, "legal basis"."""
    (finding,) = findings_of(assess(**answers), rule_id)
    assert expected in finding.citation


@pytest.mark.parametrize(
    "rule_id, answers, words",
    [
        ("UK-ROUTE-COMPROMISED", {"route": "topical-compromised-skin"}, ["not settled", "MHRA"]),
        ("UK-SRC-AUTOLOGOUS", {"source": "autologous-prp"}, ["MHRA borderline advice"]),
        ("UK-COMPOSITION-HUMAN", {"inci": ("AQUA", "RH-OLIGOPEPTIDE-1")}, ["RH-OLIGOPEPTIDE-1"]),
        ("UK-CLAIMS-MEDICINAL", {"claims": ("Clears eczema",)}, ["eczema"]),
        ("UK-SRC-HUMAN-COSMETIC", {"source": "human-other", "route": None}, ["route has not been"]),
    ],
)
def test_explanations_say_what_was_found_and_what_is_uncertain(rule_id, answers, words):
    (finding,) = findings_of(assess(**answers), rule_id)
    for word in words:
        assert word in finding.explanation


def test_uk_ruleset_shows_the_known_uncertainties():
    text = " ".join(UK.uncertainties)
    assert "No MHRA statement specific to exosomes" in text
    assert "microneedling" in text and "not settled" in text


def test_findings_read_in_the_precedence_of_the_domain_doc():
    """docs/domain.md §5: human origin, route, live cells, claims, ..., evidence."""
    result = assess(
        "human-other",
        route="injection",
        cell_status="live-cell",
        marketed_as="medicine",
        claims=("Heals wounds",),
        evidence=(),
    )
    ids = result.rule_ids
    first = [
        ids.index(r)
        for r in (
            "UK-SRC-HUMAN-MEDICINE",
            "UK-ROUTE-INJECTION",
            "UK-CELL-LIVE-HUMAN",
            "UK-CLAIMS-MEDICINAL",
            "UK-EVID-REQUIRED",
        )
    ]
    assert first == sorted(first)
