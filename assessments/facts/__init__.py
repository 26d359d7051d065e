"""The two bridges from data to the rules' Facts, side by side, with one policy.

- record.py: a stored Assessment (and its evidence items) -> Facts.
- json_input.py: the JSON of `manage.py assess_product` (and the API) -> Facts.
Both refuse a value the rules do not know, naming it; neither reads it as "not answered".
"""

from assessments.facts.json_input import FIELDS, FactsInputError, facts_from_input, parse_json
from assessments.facts.record import assessment_date, evidence_items, facts_for

__all__ = [
    "FIELDS",
    "FactsInputError",
    "assessment_date",
    "evidence_items",
    "facts_for",
    "facts_from_input",
    "parse_json",
]
