"""Turn a product description in JSON (the `assess_product` command's input) into Facts.

Validation is strict (the same policy as record.py) because the output is a compliance
verdict: a misspelt field or slug must stop the run with one line naming the field and what
it accepts, never be dropped or read as "not answered".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from typing import Any

from assessments.rules import (
    CELL_STATUSES,
    EVIDENCE_CATALOGUE,
    JURISDICTIONS,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    EvidenceFact,
    Facts,
)
from products.models import split_inci, split_lines

FIELDS = (
    "jurisdiction",
    "as_of",
    "source_category",
    "cell_status",
    "route",
    "marketed_as",
    "lot",
    "inci",
    "claims",
    "evidence",
)
EVIDENCE_FIELDS = ("type", "lot", "issued", "expires", "result", "provided")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# One product's JSON is a few kB. Larger input is refused before it is parsed (a 38 MB
# document once ran for minutes), and so is nesting deeper than the format has: an object,
# its evidence list, an item (100,000 nested "[" once crashed the parser with RecursionError).
MAX_INPUT_BYTES = 1_000_000
MAX_NESTING = 10
SHOWN_CHARS = 80  # longest input value or field name quoted back in an error line


class FactsInputError(ValueError):
    """Input the rules cannot take; str() is one line starting with the field at fault."""

    def __init__(self, field: str, problem: str):
        self.field = field
        # Field names can come from the input itself; a line break there must not
        # split the promised one-line error.
        shown = field if field.isprintable() else repr(field)
        super().__init__(f"{_cut(shown)}: {problem}")


def _cut(text: str) -> str:
    """Input quoted back in an error, cut short: a 1 MB value must not make a 1 MB line."""
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 1]}…"


def _shown(value: object) -> str:
    return _cut(repr(value))


def input_too_large() -> FactsInputError:
    return FactsInputError(
        "input",
        f"larger than {MAX_INPUT_BYTES:,} bytes (1 MB), the limit for one product; "
        "a product's JSON is a few kB",
    )


def _too_deep() -> FactsInputError:
    return FactsInputError(
        "input",
        f"nested more than {MAX_NESTING} levels deep; expected an object with fields: "
        f"{_choices(FIELDS)}",
    )


def _nesting(data: object) -> int:
    """How deeply lists and objects nest in `data`, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                break
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _choices(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)


def _unknown_value(field: str, value: object, allowed: Iterable[str]) -> FactsInputError:
    return FactsInputError(field, f"unknown value {_shown(value)}; allowed: {_choices(allowed)}")


def parse_json(text: str) -> dict[str, Any]:
    """The input object; FactsInputError for anything too large, too deep, or not an object."""
    if len(text) > MAX_INPUT_BYTES or len(text.encode("utf-8", "replace")) > MAX_INPUT_BYTES:
        raise input_too_large()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FactsInputError(
            "input", f"not valid JSON ({error}); expected an object with fields: {_choices(FIELDS)}"
        ) from None
    except RecursionError:
        raise _too_deep() from None
    if _nesting(data) > MAX_NESTING:
        raise _too_deep()
    if not isinstance(data, dict):
        raise FactsInputError("input", f"expected a JSON object with fields: {_choices(FIELDS)}")
    return data


def _reject_unknown_fields(
    data: Mapping[str, object], allowed: tuple[str, ...], prefix: str = ""
) -> None:
    for key in data:
        if key not in allowed:
            raise FactsInputError(
                f"{prefix}{key}", f"unknown field; allowed fields: {_choices(allowed)}"
            )


def _optional_choice(
    data: Mapping[str, object], field: str, allowed: Collection[str]
) -> str | None:
    """A closed-vocabulary answer; absent, null or "" means not answered."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        raise _unknown_value(field, value, allowed)
    return value


def _date(value: object, field: str) -> date:
    problem = f"not a date {_shown(value)}; expected YYYY-MM-DD"
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise FactsInputError(field, problem)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FactsInputError(field, problem) from None


def _optional_date(data: Mapping[str, object], field: str, label: str) -> date | None:
    value = data.get(field)
    return None if value is None or value == "" else _date(value, label)


def _text(data: Mapping[str, object], field: str, label: str) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FactsInputError(label, f"expected a string, not {_shown(value)}")
    return value


def _text_list(
    data: Mapping[str, object], field: str, split: Callable[[str], Iterable[str]]
) -> tuple[str, ...]:
    """A list of strings; a single string is split as the app splits the same form field."""
    value = data.get(field)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(split(value))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FactsInputError(field, "expected a list of strings")
    return tuple(item.strip() for item in value if item.strip())


def _provided(item: Mapping[str, object], label: str) -> bool:
    """`"provided": false` records that the supplier will not provide this document."""
    value = item.get("provided", True)
    if not isinstance(value, bool):
        raise FactsInputError(f"{label}.provided", f"expected true or false, not {_shown(value)}")
    return value


def _evidence_item(item: object, index: int) -> EvidenceFact:
    label = f"evidence[{index}]"
    if not isinstance(item, dict):
        raise FactsInputError(label, f"expected an object with fields: {_choices(EVIDENCE_FIELDS)}")
    _reject_unknown_fields(item, EVIDENCE_FIELDS, prefix=f"{label}.")
    evidence_type = item.get("type")
    if not isinstance(evidence_type, str) or evidence_type not in EVIDENCE_CATALOGUE:
        raise _unknown_value(f"{label}.type", evidence_type, EVIDENCE_CATALOGUE)
    result = item.get("result", "not-stated")
    if not isinstance(result, str) or result not in RESULTS:
        raise _unknown_value(f"{label}.result", result, RESULTS)
    issued = _optional_date(item, "issued", f"{label}.issued")
    expires = _optional_date(item, "expires", f"{label}.expires")
    if issued and expires and expires < issued:
        raise FactsInputError(
            f"{label}.expires", f"{expires.isoformat()} is before issued {issued.isoformat()}"
        )
    return EvidenceFact(
        type=evidence_type,
        lot=_text(item, "lot", f"{label}.lot"),
        issued=issued,
        expires=expires,
        result=result,
    )


def _evidence(data: Mapping[str, object]) -> tuple[tuple[EvidenceFact, ...], frozenset[str]]:
    """The documents on file, and the types the supplier will not provide."""
    value = data.get("evidence")
    if value is None:
        return (), frozenset()
    if not isinstance(value, list):
        raise FactsInputError(
            "evidence", f"expected a list of objects with fields: {_choices(EVIDENCE_FIELDS)}"
        )
    documents, refused = [], set()
    for index, item in enumerate(value):
        document = _evidence_item(item, index)
        if _provided(item, f"evidence[{index}]"):
            documents.append(document)
        else:
            refused.add(document.type)
    return tuple(documents), frozenset(refused)


def facts_from_input(data: Mapping[str, object], *, today: date) -> Facts:
    """Facts for a product described as in the command's help; raises FactsInputError.

    Defaults: jurisdiction UK, as_of today, marketed_as unknown, no INCI, claims or
    evidence. An absent source_category, cell_status or route is "not answered", which the
    rules report as missing rather than assume.
    """
    _reject_unknown_fields(data, FIELDS)
    jurisdiction = data.get("jurisdiction") or "UK"
    if not isinstance(jurisdiction, str) or jurisdiction not in JURISDICTIONS:
        raise _unknown_value("jurisdiction", jurisdiction, JURISDICTIONS)
    as_of = _optional_date(data, "as_of", "as_of") or today

    origins = SOURCE_CATEGORY_ORIGINS
    source_category = _optional_choice(data, "source_category", origins)
    evidence, not_provided = _evidence(data)

    return Facts(
        jurisdiction=jurisdiction,
        as_of=as_of,
        source_category=source_category,
        origin=origins[source_category] if source_category else None,
        cell_status=_optional_choice(data, "cell_status", CELL_STATUSES),
        route=_optional_choice(data, "route", ROUTES),
        marketed_as=_optional_choice(data, "marketed_as", MARKETED_AS) or "unknown",
        lot=_text(data, "lot", "lot").strip(),
        inci=_text_list(data, "inci", split_inci),
        claims=_text_list(data, "claims", split_lines),
        evidence=evidence,
        not_provided=not_provided,
    )
