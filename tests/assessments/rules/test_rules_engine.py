"""The engine: facts, verdicts, ordering, serialisation and the rulesets' self-description
(docs/domain.md §5); rules as module-level functions (assessments/rules/rule.py)."""

import re
import subprocess
import sys
from datetime import date
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.rules import (
    CELL_STATUSES,
    JURISDICTIONS,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    RULESETS,
    SOURCE_CATEGORY_ORIGINS,
    EvidenceFact,
    Facts,
    Finding,
    Origin,
    Precedence,
    Result,
    Rule,
    Ruleset,
    Severity,
    UnknownValueError,
    Verdict,
    eu,
    evaluate,
    get_ruleset,
    origin_for_slug,
    sources,
    uk,
    us,
)
from assessments.rules.rule import rule as rule_decorator
from tests.paths import REPO_ROOT
from tests.rules_support import facts_for_source, make_facts, rule_ids, rules_by_id

AS_OF = date(2026, 11, 15)
REPO = REPO_ROOT


def test_the_rules_import_without_django():
    code = (
        "import sys; import assessments.rules; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'config')); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_origin_values_and_the_twelve_source_slugs():
    assert [o.value for o in Origin] == [
        "human",
        "autologous",
        "plant",
        "animal",
        "microbial",
        "synthetic",
        "unknown",
    ]
    assert len(SOURCE_CATEGORY_ORIGINS) == 12
    assert SOURCE_CATEGORY_ORIGINS["human-placental-amniotic"] is Origin.HUMAN
    assert SOURCE_CATEGORY_ORIGINS["autologous-prp"] is Origin.AUTOLOGOUS


def test_allowed_values_match_the_domain_doc():
    """docs/domain.md §3.2–§3.4, and results and jurisdictions."""
    assert CELL_STATUSES == ("live-cell", "cell-free", "post-culture-processed", "unknown")
    assert ROUTES == ("topical-intact-skin", "topical-compromised-skin", "injection")
    assert MARKETED_AS == ("cosmetic", "medicine", "device", "unknown")
    assert RESULTS == ("pass", "fail", "not-stated")
    assert JURISDICTIONS == ("UK", "EU", "US")


@pytest.mark.parametrize(
    "make, field, allowed",
    [
        (lambda: Facts(cell_status="alive"), "cell status", "live-cell"),
        (lambda: Facts(route="oral"), "route", "topical-intact-skin"),
        (lambda: Facts(marketed_as="food"), "marketed as", "cosmetic"),
        (lambda: Facts(jurisdiction="FR"), "jurisdiction", "UK, EU, US"),
        (lambda: Facts(origin="martian"), "origin", "autologous"),
        # the conversion a stored assessment's source goes through (facts/record.py)
        (lambda: origin_for_slug("martian-tears"), "source category", "human-msc-adipose"),
        (lambda: EvidenceFact("horoscope"), "evidence type", "certificate-of-analysis"),
        (lambda: EvidenceFact("cpsr", result="maybe"), "result", "not-stated"),
        (lambda: get_ruleset("FR"), "jurisdiction", "UK"),
        (lambda: Severity.parse("grave"), "severity", "critical"),
    ],
)
def test_bad_values_raise_one_line_naming_the_field_and_allowed_values(make, field, allowed):
    with pytest.raises(UnknownValueError) as raised:
        make()
    message = str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert raised.value.field == field
    assert message.startswith(f"Unknown {field} ")
    assert allowed in message
    assert "\n" not in message


def test_a_known_slug_gives_its_origin_and_an_admin_added_one_keeps_the_given_origin():
    assert Facts(source_category="animal").origin is Origin.ANIMAL
    assert facts_for_source("human-other").origin is Origin.HUMAN
    added = Facts(source_category="human-keratinocyte-line", origin="human")
    assert added.origin is Origin.HUMAN
    assert Facts(source_category="human-keratinocyte-line").origin is None


def test_facts_accept_lists_and_keep_tuples():
    facts = Facts(inci=["AQUA"], claims=["Hydrates"], evidence=[EvidenceFact("cpsr")])
    assert facts.inci == ("AQUA",) and facts.claims == ("Hydrates",)
    assert isinstance(facts.evidence, tuple)
    assert hash(facts)


@given(st.lists(st.sampled_from(list(Severity))))
def test_the_verdict_is_always_the_worst_severity(severities):
    findings = [Finding.make(s, title="t", explanation="e", next_step="n") for s in severities]
    verdict = Verdict.from_findings(findings)
    expected = {
        Severity.CRITICAL: Verdict.NOT_PERMITTED,
        Severity.MISSING: Verdict.INSUFFICIENT_INFORMATION,
        Severity.CAUTION: Verdict.CONDITIONAL,
    }
    worst = next((expected[s] for s in expected if s in severities), Verdict.ACCEPTABLE)
    assert verdict is worst
    assert verdict.rank == max((s.rank for s in severities), default=0)


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_has_a_label_and_a_meaning(verdict):
    assert verdict.label and verdict.meaning.endswith(".")


def test_severity_rank_puts_critical_worst():
    ranked = sorted(Severity, key=lambda s: s.rank, reverse=True)
    assert ranked == [Severity.CRITICAL, Severity.MISSING, Severity.CAUTION, Severity.INFO]


def test_finding_and_result_round_trip_through_dicts():
    result = evaluate(facts_for_source("unknown", as_of=AS_OF, lot="L1"))
    data = result.to_dict()
    assert list(data) == ["ruleset", "verdict", "findings"]
    assert list(data["findings"][0]) == [
        "rule",
        "severity",
        "title",
        "explanation",
        "citation",
        "next_step",
    ]
    assert data["verdict"] == "insufficient-information"
    assert Result.from_dict(data) == result
    assert Finding.from_dict(data["findings"][0]) == result.findings[0]


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_evaluate_uses_the_ruleset_of_the_jurisdiction(jurisdiction):
    result = evaluate(facts_for_source("synthetic", jurisdiction=jurisdiction, as_of=AS_OF))
    assert result.ruleset == f"{jurisdiction}-2026.11" == RULESETS[jurisdiction].version
    assert all(f.rule_id.startswith(f"{jurisdiction}-") for f in result.findings)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@pytest.mark.parametrize("source", SOURCE_CATEGORY_ORIGINS)
def test_every_combination_of_answers_gives_a_verdict(jurisdiction, source):
    ruleset = get_ruleset(jurisdiction)
    specs = rules_by_id(ruleset)
    for cell_status in [*CELL_STATUSES, None]:
        for route in [*ROUTES, None]:
            for marketed_as in MARKETED_AS:
                facts = facts_for_source(
                    source,
                    jurisdiction=jurisdiction,
                    as_of=AS_OF,
                    cell_status=cell_status,
                    route=route,
                    marketed_as=marketed_as,
                )
                result = evaluate(facts)
                assert isinstance(result.verdict, Verdict)
                assert result.verdict is Verdict.from_findings(result.findings)
                assert result == evaluate(facts)  # deterministic
                precedence = [specs[f.rule_id].precedence for f in result.findings]
                assert precedence == sorted(precedence)
                for f in result.findings:
                    assert f.rule_id in specs
                    assert f.title and f.explanation and f.citation and f.next_step


def test_findings_are_ordered_by_precedence_then_severity():
    facts = Facts(
        as_of=AS_OF,
        source_category="human-other",
        route="injection",
        cell_status="live-cell",
        claims=("Cures eczema",),
        lot="L1",
        evidence=(
            EvidenceFact("certificate-of-analysis", lot="L1", result="fail"),
            EvidenceFact("gmp-certificate", expires=date(2020, 1, 1)),
        ),
    )
    result = evaluate(facts)
    ruleset = get_ruleset("UK")
    specs = rules_by_id(ruleset)
    keys = [(specs[f.rule_id].precedence, -f.severity.rank) for f in result.findings]
    assert keys == sorted(keys)
    assert result.findings[0].rule_id == "UK-SRC-HUMAN-MEDICINE"
    evidence = [f for f in result.findings if f.rule_id.startswith("UK-EVID-")]
    assert evidence[0].rule_id == "UK-EVID-FAILED"


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_each_ruleset_describes_its_rules_for_the_how_it_decides_page(jurisdiction):
    ruleset = RULESETS[jurisdiction]
    assert ruleset.jurisdiction == jurisdiction
    assert ruleset.version == f"{jurisdiction}-2026.11"
    assert ruleset.name and ruleset.scope and ruleset.uncertainties
    assert len(rules_by_id(ruleset)) == len(ruleset.rules)
    for spec in ruleset.rules:
        assert spec.id.startswith(f"{jurisdiction}-")
        assert spec.title and spec.trigger and spec.citation and spec.rationale
        assert spec.severities and all(isinstance(s, Severity) for s in spec.severities)
        assert len(set(spec.severities)) == len(spec.severities)
        assert spec.severity is max(spec.severities, key=lambda s: s.rank)
        assert isinstance(spec.precedence, Precedence)


def test_the_uk_ruleset_has_every_rule_of_the_domain_doc():
    """docs/domain.md §6."""
    listed = {
        "UK-SRC-HUMAN-COSMETIC",
        "UK-SRC-HUMAN-MEDICINE",
        "UK-SRC-PLACENTAL",
        "UK-CELL-LIVE-HUMAN",
        "UK-COMPOSITION-HUMAN",
        "UK-ROUTE-INJECTION",
        "UK-CLAIMS-MEDICINAL",
        "UK-ROUTE-COMPROMISED",
        "UK-SRC-PLANT",
        "UK-SRC-ANIMAL",
        "UK-SRC-MICROBIAL",
        "UK-SRC-SYNTHETIC",
        "UK-SRC-AUTOLOGOUS",
        "UK-SRC-UNKNOWN",
        "UK-CELL-UNKNOWN",
        "UK-EVID-REQUIRED",
        "UK-EVID-RECOMMENDED",
        "UK-EVID-EXPIRED",
        "UK-EVID-LOT",
        "UK-EVID-FAILED",
        "UK-EVID-UNVERIFIED",
    }
    assert listed <= set(rule_ids(get_ruleset("UK")))
    # one addition: the clinic's own answer, the route, left blank
    assert set(rule_ids(get_ruleset("UK"))) - listed == {"UK-ROUTE-UNKNOWN"}


def test_a_rule_id_cannot_be_registered_twice():
    ruleset = get_ruleset("UK")
    plant = rules_by_id(ruleset)["UK-SRC-PLANT"]
    with pytest.raises(ValueError, match="registered twice"):
        Ruleset("UK", "UK-test", "Test", rules=[*ruleset.rules, plant])
    with pytest.raises(ValueError, match="registered twice"):
        Ruleset.for_profile(uk.PROFILE, (*uk.RULES, sources.plant_source), version="v", name="n")


def test_a_ruleset_only_takes_rules_of_its_jurisdiction():
    with pytest.raises(ValueError, match="not a EU id"):
        Ruleset("EU", "EU-test", "Test", rules=[rules_by_id(get_ruleset("UK"))["UK-SRC-PLANT"]])


# --- Rules as module-level functions (rule.py) -------------------------------------------------

MODULES = {"UK": uk, "EU": eu, "US": us}
ALL_RULES = [(j, r) for j, module in MODULES.items() for r in module.RULES]
PAST = date(2020, 1, 1)


def sample_facts(jurisdiction):
    """A spread of products: every source, route and cell status, with and without documents,
    with problems in them, and with human INCI names and medicinal or borderline claims."""
    texts = [
        {},
        {"inci": ("AQUA", "HUMAN KERATINOCYTES")},
        {"claims": ("Heals wounds",)},
        {"claims": ("Regenerates",)},
    ]
    problems = [
        {"gmp-certificate": {"expires": PAST}, "stability": {"issued": None}},
        {"stability": {"expires": PAST}, "gmp-certificate": {"issued": None}},
        {"certificate-of-analysis": {"lot": "L9"}, "microbial-limits": {"result": "fail"}},
        None,
    ]
    for source in [*SOURCE_CATEGORY_ORIGINS, None]:
        for route in [*ROUTES, None]:
            for cell_status, marketed_as in (("live-cell", "medicine"), (None, "cosmetic")):
                for text, change in zip(texts, problems, strict=True):
                    answers = {
                        "route": route,
                        "cell_status": cell_status,
                        "marketed_as": marketed_as,
                    }
                    yield make_facts(jurisdiction, source, evidence=(), **answers, **text)
                    yield make_facts(jurisdiction, source, change=change, **answers, **text)


@cache
def sampled(jurisdiction):
    """sample_facts with each one's result, evaluated once per test run."""
    return [(facts, evaluate(facts)) for facts in sample_facts(jurisdiction)]


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_finding_has_a_severity_its_rule_declares(jurisdiction):
    ruleset = get_ruleset(jurisdiction)
    specs = rules_by_id(ruleset)
    seen = set()
    for _, result in sampled(jurisdiction):
        for finding in result.findings:
            spec = specs[finding.rule_id]
            assert finding.severity in spec.severities, (spec.id, finding.severity)
            seen.add((spec.id, finding.severity))
    # ...and the sample gives every severity a rule declares, but one: no recommended
    # document is lot-specific (docs/domain.md §3.5), so a wrong lot is never a caution.
    declared = {(spec.id, s) for spec in ruleset.rules for s in spec.severities}
    assert declared - seen == {(f"{jurisdiction}-EVID-LOT", Severity.CAUTION)}


def test_a_rule_can_be_imported_and_called_alone():
    from assessments.rules.sources import plant_source
    from assessments.rules.uk import PROFILE

    facts = make_facts("UK", "plant", evidence=())
    (finding,) = plant_source(facts, PROFILE)

    assert finding.rule_id == "UK-SRC-PLANT"
    assert finding.severity is Severity.INFO
    assert finding.title == "Plant-derived vesicles"
    assert finding.citation == PROFILE.cite_plant
    assert "SCPN" in finding.explanation and finding.next_step
    assert finding in evaluate(facts).findings
    assert plant_source(make_facts("UK", "synthetic"), PROFILE) == []
    # the plain function underneath, as written in sources.py
    assert isinstance(plant_source.func(facts, PROFILE), Finding)
    assert plant_source.func(make_facts("UK", "animal"), PROFILE) is None


@pytest.mark.parametrize(
    "jurisdiction, rule", ALL_RULES, ids=[f"{j}-{r.suffix}" for j, r in ALL_RULES]
)
def test_each_rule_called_alone_gives_what_its_ruleset_gives(jurisdiction, rule):
    profile = MODULES[jurisdiction].PROFILE
    rule_id = rule.id_in(profile)
    fired = 0
    for facts, result in sampled(jurisdiction):
        alone = rule(facts, profile)
        in_ruleset = [f for f in result.findings if f.rule_id == rule_id]
        # the ruleset puts a rule's worse findings first, otherwise keeps their order
        assert sorted(alone, key=lambda f: -f.severity.rank) == in_ruleset
        fired += bool(alone)
    assert fired, f"{rule_id} never fired on the sample"


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_each_jurisdiction_lists_its_rules_in_page_order(jurisdiction):
    module = MODULES[jurisdiction]
    assert rule_ids(get_ruleset(jurisdiction)) == tuple(
        r.id_in(module.PROFILE) for r in module.RULES
    )
    assert all(isinstance(r, Rule) for r in module.RULES)
    assert list(RULESETS) == list(JURISDICTIONS)


def test_each_rule_id_suffix_is_written_once_next_to_its_function():
    """One grep for an id without its jurisdiction prefix finds the rule's @rule line."""
    package = REPO / "assessments" / "rules"
    sources_by_file = {f.name: f.read_text() for f in package.glob("*.py")}
    for _, rule in ALL_RULES:
        pattern = re.compile(re.escape(rule.suffix) + r"(?![\w-])")
        hits = [name for name, text in sources_by_file.items() for _ in pattern.finditer(text)]
        module = rule.func.__module__.rsplit(".", 1)[-1]
        assert hits == [f"{module}.py"], (rule.suffix, hits)
        assert f'"{rule.suffix}"' in sources_by_file[f"{module}.py"]


def test_a_rule_function_takes_facts_and_the_profile():
    def wrong(facts):
        return None

    with pytest.raises(TypeError, match=r"\(facts, p\)"):
        rule_decorator(
            "X-Y", title="t", trigger="t", severity=Severity.INFO, citation="c", precedence=1
        )(wrong)
    with pytest.raises(TypeError, match="exactly one of severity and severities"):
        rule_decorator("X-Y", title="t", trigger="t", citation="c", precedence=1)
