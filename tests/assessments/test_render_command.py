"""`manage.py render_assessment_pdf ID -o FILE.pdf` for scripted use."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from tests.reporting import make_assessment, make_finalised, pdf_text

pytestmark = pytest.mark.django_db


def test_renders_a_submitted_assessment_as_a_draft(
    tmp_path, clinic, plant_product, clinician, evidence_types, capsys
):
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    target = tmp_path / "report.pdf"

    call_command("render_assessment_pdf", str(assessment.pk), "-o", str(target))

    data = target.read_bytes()
    text = pdf_text(data)
    assert "DRAFT — not signed off" in text
    assert assessment.document_id in text
    assert f"{assessment.document_id}: DRAFT preview" in capsys.readouterr().err


def test_writes_the_stored_signed_report_byte_for_byte(
    tmp_path, clinic, plant_product, clinician, manager, evidence_types
):
    assessment = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )
    target = tmp_path / "signed.pdf"

    call_command("render_assessment_pdf", str(assessment.pk), "--output", str(target))

    assert hashlib.sha256(target.read_bytes()).hexdigest() == assessment.report_sha256


def test_dash_writes_the_pdf_to_standard_output(
    clinic, plant_product, clinician, manager, evidence_types, capsysbinary
):
    assessment = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )

    call_command("render_assessment_pdf", str(assessment.pk), "-o", "-")

    out = capsysbinary.readouterr().out
    assert out.startswith(b"%PDF")
    assert hashlib.sha256(out).hexdigest() == assessment.report_sha256


def test_an_unknown_id_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No assessment with id 999999"):
        call_command("render_assessment_pdf", "999999", "-o", str(tmp_path / "x.pdf"))


def test_a_tampered_stored_report_is_not_written(
    tmp_path, clinic, plant_product, clinician, manager, evidence_types
):
    assessment = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )
    with open(assessment.report_pdf.path, "ab") as stored:
        stored.write(b"x")
    target = tmp_path / "out.pdf"

    with pytest.raises(CommandError, match="integrity check"):
        call_command("render_assessment_pdf", str(assessment.pk), "-o", str(target))

    assert not target.exists()
