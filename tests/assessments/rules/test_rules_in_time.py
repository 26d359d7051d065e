"""Rules in time (docs/domain.md §7): an evaluation applies the law in force on its as_of.

The one dated change known: in the EU, human starting material is governed by Directive
2004/23/EC until 6 Aug 2027 and by the SoHO Regulation (EU) 2024/1938 from 7 Aug 2027.
"""

from dataclasses import replace
from datetime import date

import pytest

from assessments.rules import Facts, evaluate, get_ruleset
from assessments.rules import citations as C
from assessments.rules.dated import ALWAYS, Period, periods
from assessments.rules.evidence import catalogue_for, dated_standards
from assessments.rules.rule import Amendment, bind_in_time
from assessments.rules.sources import plant_source
from assessments.rules.uk import PROFILE as UK_PROFILE
from tests.assess_support import run
from tests.rules_support import findings_of, make_facts

LAST_DAY = date(2027, 8, 6)  # the Directive's last day
FIRST_DAY = date(2027, 8, 7)  # the SoHO Regulation applies
DIRECTIVE, SOHO = "2004/23/EC", "2024/1938"

HUMAN_INJECTED = {"source": "human-other", "route": "injection"}
PLACENTAL = {"source": "human-placental-amniotic", "route": "topical-intact-skin"}
AUTOLOGOUS = {"source": "autologous-prp", "route": "topical-compromised-skin"}


def on(day: date, jurisdiction: str = "EU", **answers) -> Facts:
    return replace(make_facts(jurisdiction, **answers), as_of=day)


@pytest.mark.parametrize(
    "rule_id, answers",
    [
        ("EU-SRC-HUMAN-MEDICINE", HUMAN_INJECTED),
        ("EU-SRC-PLACENTAL", PLACENTAL),
        ("EU-SRC-AUTOLOGOUS", AUTOLOGOUS),
    ],
)
@pytest.mark.parametrize(
    "day, cited, not_cited",
    [
        (date(2026, 11, 15), DIRECTIVE, SOHO),
        (LAST_DAY, DIRECTIVE, SOHO),
        (FIRST_DAY, SOHO, DIRECTIVE),
        (date(2030, 1, 1), SOHO, DIRECTIVE),
    ],
)
def test_human_starting_material_cites_the_law_in_force(rule_id, answers, day, cited, not_cited):
    (finding,) = findings_of(evaluate(on(day, **answers)), rule_id)
    assert cited in finding.citation and not_cited not in finding.citation


@pytest.mark.parametrize(
    "day, words",
    [
        (LAST_DAY, "falls under Directive 2004/23/EC."),
        (FIRST_DAY, "falls under the SoHO Regulation (EU) 2024/1938."),
    ],
)
def test_the_explanation_follows_the_date_too(day, words):
    (finding,) = findings_of(evaluate(on(day, **HUMAN_INJECTED)), "EU-SRC-HUMAN-MEDICINE")
    assert finding.explanation.endswith(words)


@pytest.mark.parametrize("day", [LAST_DAY, FIRST_DAY])
def test_only_the_citation_changes_not_the_verdict_or_findings(day):
    before = evaluate(on(LAST_DAY, **HUMAN_INJECTED))
    after = evaluate(on(day, **HUMAN_INJECTED))
    assert after.verdict is before.verdict
    assert [(f.rule_id, f.severity) for f in after.findings] == [
        (f.rule_id, f.severity) for f in before.findings
    ]


@pytest.mark.parametrize("jurisdiction", ["UK", "US"])
def test_other_jurisdictions_do_not_change_on_that_day(jurisdiction):
    before = evaluate(on(LAST_DAY, jurisdiction, **HUMAN_INJECTED))
    after = evaluate(on(FIRST_DAY, jurisdiction, **HUMAN_INJECTED))
    assert [f.citation for f in after.findings] == [f.citation for f in before.findings]


@pytest.mark.parametrize(
    "day, standard", [(LAST_DAY, C.EU_DONOR_SCREENING), (FIRST_DAY, C.EU_DONOR_SCREENING_SOHO)]
)
def test_the_donor_screening_standard_is_dated(day, standard):
    assert catalogue_for("EU", as_of=day)["donor-screening"].standard == standard
    facts = on(day, source="human-other", drop=("donor-screening",))
    (finding,) = [f for f in findings_of(evaluate(facts), "EU-EVID-REQUIRED") if f.document]
    assert finding.document == "donor-screening" and finding.citation == standard
    assert catalogue_for("UK", as_of=day)["donor-screening"].standard.startswith("HT(QSHA)")


def test_the_page_gets_every_dated_standard():
    ((before, first), (after, second)) = dated_standards("EU")["donor-screening"]
    assert (before.label, first) == ("Until 6 Aug 2027", C.EU_DONOR_SCREENING)
    assert (after.label, second) == ("From 7 Aug 2027", C.EU_DONOR_SCREENING_SOHO)
    assert dated_standards("UK") == {}


def test_each_dated_rule_has_consecutive_versions_covering_every_day():
    dated = {spec.id: spec for spec in get_ruleset("EU").rules if spec.amended}
    assert set(dated) == {"EU-SRC-HUMAN-MEDICINE", "EU-SRC-PLACENTAL", "EU-SRC-AUTOLOGOUS"}
    for spec in dated.values():
        first, second = spec.versions
        assert first.in_force == Period(None, LAST_DAY)
        assert second.in_force == Period(FIRST_DAY, None)
        assert spec.on(LAST_DAY) is first and spec.on(FIRST_DAY) is second
        assert first.id == second.id and first.title == second.title
        assert first.severities == second.severities and first.citation != second.citation
    undated = [spec for spec in get_ruleset("EU").rules if not spec.amended]
    assert all(spec.in_force is ALWAYS and spec.versions == (spec,) for spec in undated)


@pytest.mark.parametrize(
    "period, day, inside",
    [
        (Period(None, LAST_DAY), LAST_DAY, True),
        (Period(None, LAST_DAY), FIRST_DAY, False),
        (Period(FIRST_DAY, None), LAST_DAY, False),
        (Period(FIRST_DAY, None), FIRST_DAY, True),
        (Period(FIRST_DAY, date(2030, 1, 1)), date(2030, 1, 1), True),
        (Period(FIRST_DAY, date(2030, 1, 1)), date(2030, 1, 2), False),
        (ALWAYS, date(1990, 1, 1), True),
    ],
)
def test_a_period_includes_both_ends(period, day, inside):
    assert period.contains(day) is inside


@pytest.mark.parametrize(
    "period, label",
    [
        (ALWAYS, "In force"),
        (Period(FIRST_DAY, None), "From 7 Aug 2027"),
        (Period(None, LAST_DAY), "Until 6 Aug 2027"),
        (Period(FIRST_DAY, date(2030, 1, 1)), "From 7 Aug 2027 until 1 Jan 2030"),
    ],
)
def test_a_period_in_words(period, label):
    assert period.label == label


def test_periods_split_at_each_start():
    later = date(2030, 1, 1)
    assert periods([]) == [ALWAYS]
    assert periods([later, FIRST_DAY]) == [
        Period(None, LAST_DAY),
        Period(FIRST_DAY, date(2029, 12, 31)),
        Period(later, None),
    ]
    assert not Period(None, LAST_DAY).overlaps(Period(FIRST_DAY, None))
    assert Period(None, FIRST_DAY).overlaps(Period(FIRST_DAY, None))
    with pytest.raises(ValueError, match="same day"):
        periods([FIRST_DAY, FIRST_DAY])
    with pytest.raises(ValueError, match="before it starts"):
        Period(FIRST_DAY, LAST_DAY)


def test_an_amendment_applies_only_to_the_rules_it_names():
    """A test amendment of the UK plant rule: the wording changes on its day, nothing else."""
    reworded = replace(UK_PROFILE, cite_plant="Plant Regulations 2030")
    change = Amendment(date(2030, 1, 1), reworded, (plant_source,), why="A test change.")
    spec = bind_in_time(plant_source, UK_PROFILE, [change])
    facts = make_facts("UK", "plant")
    (before,) = spec.run(replace(facts, as_of=date(2029, 12, 31)))
    (after,) = spec.run(replace(facts, as_of=date(2030, 1, 1)))
    assert before.citation == UK_PROFILE.cite_plant and after.citation == "Plant Regulations 2030"
    untouched = bind_in_time(plant_source, UK_PROFILE, [replace(change, rules=())])
    assert untouched.amended == () and untouched.in_force is ALWAYS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_of, cited, not_cited",
    [("2027-08-06", DIRECTIVE, SOHO), ("2027-08-07", SOHO, DIRECTIVE)],
)
def test_assess_product_cites_the_law_of_its_as_of(as_of, cited, not_cited):
    result = run(
        {
            "jurisdiction": "EU",
            "as_of": as_of,
            "source_category": "human-msc-adipose",
            "cell_status": "cell-free",
            "route": "injection",
        }
    )
    (finding,) = [f for f in result["findings"] if f["rule"] == "EU-SRC-HUMAN-MEDICINE"]
    assert cited in finding["citation"] and not_cited not in finding["citation"]
    assert result["verdict"] == "not-permitted"


@pytest.mark.django_db
def test_how_exocheck_decides_shows_each_rules_dates(client):
    html = client.get("/how-exocheck-decides/").content.decode()

    def row(rule_id: str) -> str:
        start = html.index(f'<tr id="{rule_id}">')
        return html[start : html.index("</tr>", start)]

    medicine = row("EU-SRC-HUMAN-MEDICINE")
    assert "Until 6 Aug 2027:</span> " + C.EU_MEDICINE in medicine
    assert "From 7 Aug 2027:</span> " + C.EU_MEDICINE_SOHO in medicine
    assert '<td data-label="In force">In force</td>' in row("EU-SRC-PLANT")
    assert '<td data-label="In force">In force</td>' in row("UK-SRC-HUMAN-MEDICINE")
    assert "From 7 Aug 2027: The SoHO Regulation (EU) 2024/1938 replaces" in " ".join(html.split())
    donor = html[html.index('id="EU-document-donor-screening"') :]
    assert C.EU_DONOR_SCREENING_SOHO in donor[: donor.index("</tr>")]
