"""`POST /api/v1/evaluate` returns exactly what `manage.py assess_product` prints, for every
case of the rules tests' tables (tests/assessments/rules), and both equal the rules' own
result for the same facts.

The tables are found, not imported by name: every test module under tests/assessments/rules
is loaded and each module-level list of (rule id, answers, fires) cases is taken, so a table
added there is checked here too, and a module moved or deleted there leaves this test
working (tests/core/test_code_shape.py: no test module imports another by name).
"""

import importlib
import json
import re
from dataclasses import replace
from io import StringIO

import pytest
from _pytest.mark.structures import ParameterSet
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.facts import FactsInputError, facts_from_input
from assessments.rules import evaluate
from tests import rules_support
from tests.api.support import api_as
from tests.assess_support import EXAMPLE
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.django_db
RULES_TESTS = REPO_ROOT / "tests" / "assessments" / "rules"


def _tables():
    """(module name, LOT, case) for every rule case in the rules tests' tables."""
    found = []
    for path in sorted(RULES_TESTS.glob("test_*.py")):
        module = importlib.import_module(f"tests.assessments.rules.{path.stem}")
        lot = getattr(module, "LOT", rules_support.LOT)
        for value in vars(module).values():
            if isinstance(value, list) and value and all(_is_case(c) for c in value):
                found += [(path.stem, lot, case) for case in value]
    return found


def _is_case(case) -> bool:
    return (
        isinstance(case, ParameterSet)
        and len(case.values) == 3
        and isinstance(case.values[0], str)
        and case.values[0][:3] in ("UK-", "EU-", "US-")
        and isinstance(case.values[1], dict)
    )


CASES = [pytest.param(lot, case.values, id=f"{name}:{case.id}") for name, lot, case in _tables()]


def _iso(value):
    return value.isoformat() if value else None


def as_json(facts) -> dict:
    """The assess_product JSON for `facts` (checked below to read back as the same facts)."""
    evidence = [
        {"type": e.type, "lot": e.lot, "issued": _iso(e.issued), "expires": _iso(e.expires),
         "result": e.result}
        for e in facts.evidence
    ]  # fmt: skip
    evidence += [{"type": t, "provided": False} for t in sorted(facts.not_provided)]
    return {
        "jurisdiction": facts.jurisdiction,
        "as_of": facts.as_of.isoformat(),
        "source_category": facts.source_category,
        "cell_status": facts.cell_status,
        "route": facts.route,
        "marketed_as": facts.marketed_as,
        "lot": facts.lot,
        "inci": list(facts.inci),
        "claims": list(facts.claims),
        "evidence": evidence,
    }


def command_output(data: dict) -> dict:
    stdout = StringIO()
    call_command("assess_product", "-", stdin=StringIO(json.dumps(data)), stdout=stdout)
    return json.loads(stdout.getvalue())


def test_the_tables_were_found():
    assert len(CASES) >= 40
    assert {c.values[1][0][:2] for c in CASES} == {"UK", "EU", "US"}


@pytest.mark.parametrize("lot, case", CASES)
def test_evaluate_equals_assess_product(clinician, clinic, lot, case):
    rule_id, answers, _fires = case
    answers = dict(answers)
    source = answers.pop("source", "plant")
    facts = rules_support.make_facts(rule_id[:2], source, lot=answers.pop("lot", lot), **answers)
    data = as_json(facts)
    api = api_as(clinician, clinic, scope="read")
    try:
        read_back = facts_from_input(data, today=facts.as_of)
    except FactsInputError as error:
        # A case the JSON cannot say (e.g. expiry before issue): both refuse it alike.
        with pytest.raises(CommandError, match=re.escape(str(error))):
            command_output(data)
        assert api.post("/api/v1/evaluate", data).json()["detail"] == str(error)
        return

    response = api.post("/api/v1/evaluate", data)

    assert response.status_code == 200, response.content
    assert response.json() == command_output(data) == evaluate(read_back).to_dict()
    if facts.source_category is None and facts.origin is not None:
        # An origin with no source category (two UK cases): neither the JSON nor a stored
        # assessment can say that, so the input read back differs in the origin alone.
        assert replace(read_back, origin=facts.origin) == facts
    else:
        # The JSON says exactly these facts (nothing of the case is lost in the translation).
        assert read_back == facts


def test_evaluate_refuses_what_the_command_refuses_naming_the_field(clinician, clinic):
    api = api_as(clinician, clinic, scope="read")
    for data, field in (
        ({**EXAMPLE, "colour": "blue"}, "colour"),
        ({**EXAMPLE, "route": "sideways"}, "route"),
        ({**EXAMPLE, "evidence": [{"type": "nope"}]}, "evidence[0].type"),
    ):
        body = api.post("/api/v1/evaluate", data).json()
        assert body["status"] == 422 and body["errors"][0]["field"] == field
        assert body["detail"].startswith(field)
    assert api.post("/api/v1/evaluate", raw="[").json()["errors"][0]["field"] == "input"
    assert api.post("/api/v1/evaluate", EXAMPLE).json() == command_output(EXAMPLE)
