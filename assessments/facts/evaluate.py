"""One product described in JSON, evaluated: the one code path behind both
`manage.py assess_product` and the API's `POST /api/v1/evaluate`, so the two can only ever
give the same verdict and findings (tests/api/test_evaluate.py checks every rule case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessments.facts.json_input import facts_from_input, parse_json
from assessments.rules import Result, evaluate, get_ruleset


@dataclass(frozen=True)
class Evaluation:
    result: Result
    ruleset_name: str

    def to_dict(self) -> dict[str, object]:
        """The published JSON: {"ruleset", "verdict", "findings"} (Result.to_dict)."""
        return dict(self.result.to_dict())


def evaluate_json(text: str, *, today: date) -> Evaluation:
    """Parse, validate and evaluate `text`; FactsInputError (naming the field) for input
    the rules cannot take. Nothing is read from or written to the database."""
    facts = facts_from_input(parse_json(text), today=today)
    return Evaluation(result=evaluate(facts), ruleset_name=get_ruleset(facts.jurisdiction).name)
