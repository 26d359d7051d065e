"""`manage.py assess_product`: a product described in JSON in, the ruleset's verdict out."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.assess_support import (
    COSMETIC,
    EVERY_PRODUCT,
    EXAMPLE,
    documents,
    rules_of,
    run,
    run_error,
)

pytestmark = pytest.mark.django_db

# --- Output --------------------------------------------------------------------------------


def test_example_input_prints_ruleset_verdict_and_findings_as_json(tmp_path):
    path = tmp_path / "product.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    stdout = StringIO()

    call_command("assess_product", str(path), stdout=stdout)

    result = json.loads(stdout.getvalue())
    assert list(result) == ["ruleset", "verdict", "findings"]
    assert result["ruleset"] == "UK-2026.11"
    # Only a sterility result is on file: the cosmetic's other documents are missing.
    assert result["verdict"] == "insufficient-information"
    assert "UK-SRC-PLANT" in rules_of(result)
    assert "UK-EVID-REQUIRED" in rules_of(result)
    for item in result["findings"]:
        assert list(item) == ["rule", "severity", "title", "explanation", "citation", "next_step"]
        assert item["severity"] in {"critical", "missing", "caution", "info"}
        assert item["title"] and item["explanation"] and item["next_step"]


def test_reads_standard_input_with_a_dash():
    result = run(EXAMPLE)

    assert result["ruleset"] == "UK-2026.11"
    assert result["verdict"] == "insufficient-information"


def test_text_format_prints_a_readable_summary():
    output = run(
        {
            "source_category": "human-msc-adipose",
            "cell_status": "post-culture-processed",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
        },
        fmt="text",
    )

    assert "Ruleset: UK-2026.11" in output
    assert "Verdict: Not permitted (not-permitted)" in output
    assert "[critical] UK-SRC-HUMAN-COSMETIC: Human-derived material in a cosmetic" in output
    assert "Citation: " in output and "Annex II entry 416" in output
    assert "Next step: Do not purchase" in output
    assert "not legal advice" in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(output)


def test_jurisdiction_defaults_to_uk_and_evidence_to_none():
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
        }
    )

    assert result["ruleset"] == "UK-2026.11"
    titles = {f["title"] for f in result["findings"]}
    assert {"Missing: Certificate of analysis", "Missing: GMP certificate"} <= titles


def test_as_of_defaults_to_today_so_a_document_that_expired_yesterday_counts_as_missing():
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": documents(*EVERY_PRODUCT, *COSMETIC, expires="2999-01-01")
            + documents("certificate-of-analysis", expires=yesterday),
        }
    )

    assert result["verdict"] == "acceptable"  # a current certificate is on file too

    expired_only = documents(*EVERY_PRODUCT, *COSMETIC, expires="2999-01-01")
    expired_only[0]["expires"] = yesterday
    expired_only[0]["issued"] = "2000-01-01"
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": expired_only,
        }
    )
    assert result["verdict"] == "insufficient-information"
    assert "UK-EVID-EXPIRED" in rules_of(result)


def test_marketed_as_unknown_by_default_asks_for_the_cosmetic_documents():
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "lot": "A123",
            "evidence": documents(*EVERY_PRODUCT),
        }
    )

    titles = [f["title"] for f in result["findings"]]
    assert result["verdict"] == "insufficient-information"
    assert "Missing: Cosmetic Product Safety Report" in titles


def test_missing_source_and_cell_status_are_not_answered():
    result = run({"route": "topical-intact-skin"})

    assert result["verdict"] == "insufficient-information"
    assert {"UK-SRC-UNKNOWN", "UK-CELL-UNKNOWN"} <= set(rules_of(result))


def test_an_empty_object_is_a_valid_product_with_nothing_answered():
    result = run({})

    assert result["ruleset"] == "UK-2026.11"
    assert result["verdict"] == "insufficient-information"


# --- Invalid input: status 2 and one line naming the field and what it accepts -----------------

# (input text, how the one line starts, what else it must name)
BAD_INPUTS = [
    ("{not json", "input: not valid JSON", "fields: jurisdiction, as_of"),
    ("[1, 2]", "input: expected a JSON object", "source_category"),
    ('{"colour": "green"}', "colour: unknown field", "allowed fields: jurisdiction, as_of"),
    ('{"source_category": "martian"}', "source_category: unknown value", "autologous-prp"),
    ('{"as_of": "25/11/2026"}', "as_of: not a date '25/11/2026'", "YYYY-MM-DD"),
    ('{"as_of": "2026-02-30"}', "as_of: not a date", "YYYY-MM-DD"),
    ('{"jurisdiction": "FR"}', "jurisdiction: unknown value 'FR'", "allowed: UK, EU, US"),
    ('{"route": "oral"}', "route: unknown value", "topical-intact-skin, topical-compromised-skin"),
    ('{"cell_status": "frozen"}', "cell_status: unknown value", "live-cell, cell-free"),
    ('{"marketed_as": "food"}', "marketed_as: unknown value", "cosmetic, medicine, device"),
    ('{"inci": [1, 2]}', "inci: expected a list of strings", ""),
    ('{"lot": 123}', "lot: expected a string", ""),
    ('{"evidence": {"type": "cpsr"}}', "evidence: expected a list", "type, lot, issued"),
    ('{"evidence": [{"type": "selfie"}]}', "evidence[0].type: unknown value", "device-conformity"),
    ('{"evidence": [{"lot": "A1"}]}', "evidence[0].type: unknown value None", "cpsr"),
    ('{"evidence": [{"type": "cpsr", "result": "ok"}]}', "evidence[0].result", "pass, fail"),
    ('{"evidence": [{"type": "cpsr", "expires": "soon"}]}', "evidence[0].expires", "YYYY-MM-DD"),
    (
        '{"evidence": [{"type": "cpsr", "issued": "2026-02-01", "expires": "2026-01-01"}]}',
        "evidence[0].expires: 2026-01-01 is before issued 2026-02-01",
        "",
    ),
    (
        '{"evidence": [{"type": "cpsr"}, {"type": "cpsr", "by": "x"}]}',
        "evidence[1].by: unknown field",
        "allowed fields: type, lot, issued, expires, result",
    ),
]


@pytest.mark.parametrize(("text", "starts", "names"), BAD_INPUTS)
def test_invalid_input_exits_2_with_one_line_naming_the_field(text, starts, names):
    message = run_error(text=text)

    assert message.startswith(starts)
    assert names in message


def test_unreadable_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("assess_product", str(tmp_path / "missing.json"), stdout=StringIO())

    assert raised.value.returncode == 2
    assert str(raised.value).startswith("input: cannot read")


# --- The real process ---------------------------------------------------------------------------


def manage_py(*args, stdin_text: str, tmp_path: Path):
    env = {
        **os.environ,
        "EXOCHECK_TESTING": "true",
        # An empty database of its own: the built-in source slugs stand in for the reference
        # data, and the developer's database is never touched.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "assess_product", *args],
        input=stdin_text,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=120,
        check=False,
    )


def test_real_process_prints_json_and_exits_0(tmp_path):
    completed = manage_py("-", stdin_text=json.dumps(EXAMPLE), tmp_path=tmp_path)

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["ruleset"] == "UK-2026.11"
    assert completed.stderr == ""


def test_real_process_exits_2_with_one_line_on_stderr(tmp_path):
    completed = manage_py(
        "-", stdin_text=json.dumps({"source_category": "martian"}), tmp_path=tmp_path
    )

    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1
    assert "source_category: unknown value 'martian'; allowed: " in lines[0]
    assert "human-msc-adipose" in lines[0]


def test_a_document_without_issue_date_or_result_is_unverified():
    result = run(
        {
            "as_of": "2026-11-20",
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "L1",
            "evidence": [{"type": "certificate-of-analysis", "lot": "L1"}],
        }
    )

    (finding,) = [f for f in result["findings"] if f["rule"] == "UK-EVID-UNVERIFIED"]
    assert finding["severity"] == "missing"
    assert "Certificate of analysis" in finding["title"]
    assert "Missing: Certificate of analysis" not in [f["title"] for f in result["findings"]]


def test_a_document_the_supplier_will_not_provide_is_missing_saying_so():
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "evidence": [{"type": "cpsr", "provided": False}],
        }
    )

    (finding,) = [f for f in result["findings"] if "Cosmetic Product Safety Report" in f["title"]]
    assert finding["rule"] == "UK-EVID-REQUIRED"
    assert "not provided by the supplier" in finding["title"]


def test_provided_must_be_true_or_false():
    message = run_error(text='{"evidence": [{"type": "cpsr", "provided": "no"}]}')

    assert message.startswith("evidence[0].provided: expected true or false")
