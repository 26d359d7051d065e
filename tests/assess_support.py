"""Helpers for the `assess_product` tests: example inputs and running the command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

EXAMPLE = {
    "jurisdiction": "UK",
    "as_of": "2026-11-25",
    "source_category": "plant",
    "cell_status": "cell-free",
    "route": "topical-intact-skin",
    "marketed_as": "cosmetic",
    "lot": "A123",
    "inci": ["Aqua", "Camellia Sinensis Leaf Extract"],
    "claims": ["brightens skin"],
    "evidence": [
        {
            "type": "sterility",
            "lot": "A123",
            "issued": "2026-01-10",
            "expires": "2027-01-10",
            "result": "pass",
        }
    ],
}
EVERY_PRODUCT = [
    "certificate-of-analysis",
    "gmp-certificate",
    "origin-declaration",
    "ev-characterisation",
    "ev-markers",
    "stability",
]
COSMETIC = ["cpsr", "scpn-notification", "microbial-limits", "preservative-efficacy"]


def documents(*types, lot="A123", expires="2027-01-10", result="pass"):
    return [
        {"type": t, "lot": lot, "issued": "2026-01-10", "expires": expires, "result": result}
        for t in types
    ]


def run(data=None, *, text=None, fmt="json"):
    """Run the command on stdin; the parsed JSON (or the text) it printed."""
    stdout = StringIO()
    stdin = StringIO(text if text is not None else json.dumps(data))
    call_command("assess_product", "-", f"--format={fmt}", stdin=stdin, stdout=stdout)
    output = stdout.getvalue()
    return json.loads(output) if fmt == "json" else output


def run_error(data=None, *, text=None) -> str:
    stdin = StringIO(text if text is not None else json.dumps(data))
    with pytest.raises(CommandError) as raised:
        call_command("assess_product", "-", stdin=stdin, stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "\n" not in message
    return message


def rules_of(result):
    return [finding["rule"] for finding in result["findings"]]


def finding(result, rule):
    return next(f for f in result["findings"] if f["rule"] == rule)
