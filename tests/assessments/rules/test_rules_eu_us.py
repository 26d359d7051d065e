"""EU-2026.11 and US-2026.11 (docs/domain.md §7, §8)."""

from datetime import date
from functools import partial

import pytest

from assessments.rules import (
    CELL_STATUSES,
    MARKETED_AS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    Origin,
    Severity,
    Verdict,
    get_ruleset,
)
from tests import rules_support
from tests.rules_support import covered, findings_of, fires, quiet, rule_ids

LOT = "B-7"
HUMAN_SLUGS = [s for s, o in SOURCE_CATEGORY_ORIGINS.items() if o is Origin.HUMAN]
AUTHORISED = {"marketing-authorisation": {}}

# rules_support.assess(jurisdiction, source, ...): "full" evidence is every document asked
# for, current and passing, except the marketing authorisation, which a case adds through
# change. Here the lot assessed is B-7.
assess = partial(rules_support.assess, lot=LOT)


EU_CASES = [
    fires("EU-SRC-HUMAN-COSMETIC", source="human-msc-adipose"),
    fires("EU-SRC-HUMAN-COSMETIC", source="human-other", route=None),
    quiet("EU-SRC-HUMAN-COSMETIC", source="human-other", route="injection"),
    quiet("EU-SRC-HUMAN-COSMETIC", source="plant"),
    fires("EU-SRC-HUMAN-MEDICINE", source="human-platelet", route="injection"),
    quiet("EU-SRC-HUMAN-MEDICINE", source="human-platelet"),
    fires("EU-SRC-PLACENTAL", source="human-placental-amniotic"),
    quiet("EU-SRC-PLACENTAL", source="human-msc-adipose"),
    fires("EU-CELL-LIVE-HUMAN", source="human-msc-bone-marrow", cell_status="live-cell"),
    quiet("EU-CELL-LIVE-HUMAN", source="human-msc-bone-marrow", cell_status="cell-free"),
    fires("EU-COMPOSITION-HUMAN", inci=("HUMAN UMBILICAL CORD STEM CELL CONDITIONED MEDIA",)),
    quiet("EU-COMPOSITION-HUMAN", inci=("ROSA DAMASCENA FLOWER WATER",)),
    fires("EU-ROUTE-INJECTION", route="injection"),
    quiet("EU-ROUTE-INJECTION", route="injection", change=AUTHORISED),
    quiet("EU-ROUTE-INJECTION", source="autologous-prp", route="injection"),
    fires("EU-ROUTE-COMPROMISED", route="topical-compromised-skin"),
    quiet("EU-ROUTE-COMPROMISED", route="topical-intact-skin"),
    fires("EU-CLAIMS-MEDICINAL", claims=("Reduces alopecia",)),
    quiet("EU-CLAIMS-MEDICINAL", claims=("Plumps and smooths",)),
    fires("EU-SRC-PLANT", source="plant"),
    quiet("EU-SRC-PLANT", source="microbial"),
    fires("EU-SRC-ANIMAL", source="animal"),
    quiet("EU-SRC-ANIMAL", source="plant"),
    fires("EU-SRC-MICROBIAL", source="microbial"),
    quiet("EU-SRC-MICROBIAL", source="plant"),
    fires("EU-SRC-SYNTHETIC", source="synthetic"),
    quiet("EU-SRC-SYNTHETIC", source="plant"),
    fires("EU-SRC-AUTOLOGOUS", source="autologous-prp"),
    quiet("EU-SRC-AUTOLOGOUS", source="plant"),
    fires("EU-SRC-UNKNOWN", source="unknown"),
    quiet("EU-SRC-UNKNOWN", source="plant"),
    fires("EU-CELL-UNKNOWN", cell_status=None),
    quiet("EU-CELL-UNKNOWN", cell_status="post-culture-processed"),
    fires("EU-ROUTE-UNKNOWN", route=None),
    quiet("EU-ROUTE-UNKNOWN", route="injection"),
    fires("EU-EVID-REQUIRED", drop=("scpn-notification",)),
    quiet("EU-EVID-REQUIRED"),
    fires("EU-EVID-RECOMMENDED", drop=("ev-markers",)),
    quiet("EU-EVID-RECOMMENDED"),
    fires("EU-EVID-EXPIRED", change={"cpsr": {"expires": date(2026, 1, 1)}}),
    quiet("EU-EVID-EXPIRED"),
    fires("EU-EVID-LOT", change={"certificate-of-analysis": {"lot": "B-6"}}),
    quiet("EU-EVID-LOT"),
    fires("EU-EVID-UNVERIFIED", change={"gmp-certificate": {"issued": None}}),
    fires("EU-EVID-UNVERIFIED", change={"certificate-of-analysis": {"result": "not-stated"}}),
    quiet("EU-EVID-UNVERIFIED"),
    fires("EU-EVID-FAILED", change={"endotoxin": {"result": "fail"}}),
    quiet("EU-EVID-FAILED"),
]

US_CASES = [
    fires("US-ROUTE-INJECTION", source="plant", route="injection"),
    fires("US-ROUTE-INJECTION", source="synthetic", route="injection"),
    fires("US-ROUTE-INJECTION", source="autologous-prp", route="injection"),
    fires("US-ROUTE-INJECTION", source="human-msc-adipose", route="injection"),
    quiet("US-ROUTE-INJECTION", source="plant", route="injection", change=AUTHORISED),
    quiet("US-ROUTE-INJECTION", source="plant", route="topical-compromised-skin"),
    fires("US-SRC-HUMAN-COSMETIC", source="human-msc-umbilical-cord"),
    fires("US-SRC-HUMAN-COSMETIC", source="human-platelet", route="topical-compromised-skin"),
    quiet("US-SRC-HUMAN-COSMETIC", source="human-platelet", route="injection"),
    quiet("US-SRC-HUMAN-COSMETIC", source="autologous-prp"),
    fires("US-CELL-LIVE-HUMAN", source="human-other", cell_status="live-cell"),
    quiet("US-CELL-LIVE-HUMAN", source="human-other", cell_status="post-culture-processed"),
    fires("US-COMPOSITION-HUMAN", source="plant", inci=("HUMAN FIBROBLAST CONDITIONED MEDIA",)),
    quiet("US-COMPOSITION-HUMAN", source="human-other", inci=("HUMAN FIBROBLAST",)),
    fires("US-ROUTE-COMPROMISED", route="topical-compromised-skin"),
    quiet("US-ROUTE-COMPROMISED", source="human-other", route="topical-compromised-skin"),
    fires("US-CLAIMS-DRUG", claims=("Treats rosacea",)),
    fires("US-CLAIMS-DRUG", marketed_as="medicine"),
    quiet("US-CLAIMS-DRUG", claims=("Softens the look of fine lines",)),
    quiet("US-CLAIMS-DRUG", marketed_as="medicine", change=AUTHORISED),
    fires("US-SRC-PLANT", source="plant"),
    quiet("US-SRC-PLANT", source="animal"),
    fires("US-SRC-ANIMAL", source="animal"),
    quiet("US-SRC-ANIMAL", source="microbial"),
    fires("US-SRC-MICROBIAL", source="microbial"),
    quiet("US-SRC-MICROBIAL", source="animal"),
    fires("US-SRC-SYNTHETIC", source="synthetic"),
    quiet("US-SRC-SYNTHETIC", source="microbial"),
    fires("US-SRC-AUTOLOGOUS", source="autologous-prp"),
    quiet("US-SRC-AUTOLOGOUS", source="human-platelet"),
    fires("US-SRC-UNKNOWN", source=None),
    quiet("US-SRC-UNKNOWN", source="synthetic"),
    fires("US-CELL-UNKNOWN", cell_status="unknown"),
    quiet("US-CELL-UNKNOWN", cell_status="live-cell"),
    fires("US-ROUTE-UNKNOWN", route=None),
    quiet("US-ROUTE-UNKNOWN", route="topical-intact-skin"),
    fires("US-EVID-REQUIRED", evidence=()),
    quiet("US-EVID-REQUIRED"),
    fires("US-EVID-RECOMMENDED", drop=("stability",)),
    quiet("US-EVID-RECOMMENDED"),
    fires("US-EVID-EXPIRED", change={"gmp-certificate": {"expires": date(2025, 12, 31)}}),
    quiet("US-EVID-EXPIRED"),
    fires("US-EVID-LOT", change={"certificate-of-analysis": {"lot": "B-8"}}),
    quiet("US-EVID-LOT"),
    fires("US-EVID-UNVERIFIED", change={"ev-characterisation": {"issued": None}}),
    quiet("US-EVID-UNVERIFIED"),
    fires("US-EVID-FAILED", change={"certificate-of-analysis": {"result": "fail"}}),
    quiet("US-EVID-FAILED"),
]


@pytest.mark.parametrize("rule_id, answers, fires", EU_CASES)
def test_eu_rule_fires_only_when_it_should(rule_id, answers, fires):
    assert (rule_id in assess("EU", **answers).rule_ids) is fires


@pytest.mark.parametrize("rule_id, answers, fires", US_CASES)
def test_us_rule_fires_only_when_it_should(rule_id, answers, fires):
    assert (rule_id in assess("US", **answers).rule_ids) is fires


@pytest.mark.parametrize("jurisdiction, cases", [("EU", EU_CASES), ("US", US_CASES)])
def test_every_rule_has_a_case_that_fires_and_one_that_does_not(jurisdiction, cases):
    pairs = covered(cases)
    for rule_id in rule_ids(get_ruleset(jurisdiction)):
        assert (rule_id, True) in pairs, rule_id
        assert (rule_id, False) in pairs, rule_id


@pytest.mark.parametrize("jurisdiction", ["EU", "US"])
def test_a_fully_evidenced_plant_cosmetic_is_acceptable(jurisdiction):
    result = assess(jurisdiction, "plant")
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.ruleset == f"{jurisdiction}-2026.11"


@pytest.mark.parametrize("source", HUMAN_SLUGS)
@pytest.mark.parametrize("route", [*ROUTES, None])
def test_every_human_source_is_not_permitted_in_the_eu(source, route):
    for cell_status in [*CELL_STATUSES, None]:
        for marketed_as in MARKETED_AS:
            result = assess(
                "EU", source, route=route, cell_status=cell_status, marketed_as=marketed_as
            )
            assert result.verdict is Verdict.NOT_PERMITTED


@pytest.mark.parametrize("source", SOURCE_CATEGORY_ORIGINS)
def test_any_injected_product_is_not_permitted_in_the_us_without_ind_or_bla(source):
    result = assess("US", source, route="injection")
    assert result.verdict is Verdict.NOT_PERMITTED
    assert result.findings[0].rule_id == "US-ROUTE-INJECTION"


@pytest.mark.parametrize("source", ["human-msc-adipose", "human-platelet", "human-other"])
def test_a_human_derived_topical_cosmetic_is_only_a_caution_in_the_us(source):
    result = assess("US", source, route="topical-intact-skin")
    assert result.verdict is Verdict.CONDITIONAL
    (finding,) = findings_of(result, "US-SRC-HUMAN-COSMETIC")
    assert "MoCRA" in finding.explanation and "MoCRA" in finding.citation


def test_us_drug_claims_on_a_human_cosmetic_are_critical():
    result = assess("US", "human-msc-adipose", claims=("Repairs acne scars",))
    assert result.verdict is Verdict.NOT_PERMITTED
    (finding,) = findings_of(result, "US-CLAIMS-DRUG")
    assert finding.severity is Severity.CRITICAL
    assert "201(g)" in finding.citation


@pytest.mark.parametrize(
    "jurisdiction, rule_id, answers, expected",
    [
        ("EU", "EU-SRC-HUMAN-COSMETIC", {"source": "human-other"}, "1223/2009 Annex II entry 416"),
        (
            "EU",
            "EU-SRC-HUMAN-MEDICINE",
            {"source": "human-other", "route": "injection"},
            "2001/83/EC",
        ),
        (
            # Assessed in November 2026: Directive 2004/23/EC is in force; the SoHO Regulation
            # (EU) 2024/1938 is cited from 7 Aug 2027 (test_rules_in_time.py).
            "EU",
            "EU-SRC-HUMAN-MEDICINE",
            {"source": "human-other", "route": "injection"},
            "2004/23/EC",
        ),
        (
            "EU",
            "EU-CELL-LIVE-HUMAN",
            {"source": "human-other", "cell_status": "live-cell"},
            "1394/2007",
        ),
        ("EU", "EU-SRC-ANIMAL", {"source": "animal"}, "entry 419"),
        ("EU", "EU-EVID-REQUIRED", {"drop": ("scpn-notification",)}, "1223/2009 Art. 4, 13"),
        ("US", "US-ROUTE-INJECTION", {"route": "injection"}, "6 Dec 2019"),
        ("US", "US-ROUTE-INJECTION", {"route": "injection"}, "PHS Act s. 351"),
        (
            "US",
            "US-CELL-LIVE-HUMAN",
            {"source": "human-other", "cell_status": "live-cell"},
            "1271.10(a)",
        ),
        ("US", "US-SRC-ANIMAL", {"source": "animal"}, "700.27"),
        ("US", "US-SRC-AUTOLOGOUS", {"source": "autologous-prp"}, "1271.15(b)"),
    ],
)
def test_findings_carry_their_jurisdictions_citation(jurisdiction, rule_id, answers, expected):
    (finding,) = findings_of(assess(jurisdiction, **answers), rule_id)
    assert expected in finding.citation


def test_eu_names_the_cpnp_where_the_uk_names_the_scpn():
    (eu,) = findings_of(assess("EU", drop=("scpn-notification",)), "EU-EVID-REQUIRED")
    (uk,) = findings_of(assess("UK", drop=("scpn-notification",)), "UK-EVID-REQUIRED")
    assert "CPNP" in eu.title and "SCPN" not in eu.explanation
    assert "SCPN" in uk.title


def test_us_asks_for_ind_or_bla_rather_than_an_mhra_authorisation():
    (finding,) = findings_of(assess("US", route="injection"), "US-ROUTE-INJECTION")
    assert "IND or BLA" in finding.explanation and "MHRA" not in finding.explanation


@pytest.mark.parametrize("jurisdiction", ["EU", "US"])
def test_each_ruleset_states_its_uncertainties(jurisdiction):
    ruleset = get_ruleset(jurisdiction)
    assert ruleset.uncertainties
    assert all(note.endswith(".") for note in ruleset.uncertainties)
