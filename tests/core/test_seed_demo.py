from io import StringIO

import pytest
from django.core.management import call_command

from clinics.models import Clinic, Membership, Role
from products.models import ExosomeProduct
from tests.module_db_support import rolled_back_at_module_end

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(module_media):
    """Replaces tests/conftest.py's per-test folder: the demo's reports are made once."""
    return module_media


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, module_media):
    """The demo, seeded once for the module (it renders its signed reports): its output."""
    with rolled_back_at_module_end(django_db_blocker):
        stdout = StringIO()
        call_command("seed_demo", stdout=stdout)
        yield stdout.getvalue()


def test_seed_demo_is_idempotent_and_prints_credentials(seeded, capsys):
    call_command("seed_demo")
    output = seeded + capsys.readouterr().out
    assert Clinic.objects.filter(slug="demo-clinic").count() == 1
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.CLINICIAN, Role.PRACTICE_MANAGER, Role.CLINIC_ADMIN}
    assert ExosomeProduct.objects.count() == 6
    assert "Log in at http://127.0.0.1:8000/" in output  # runserver's default without DEMO_URL
    assert "password: exocheck-demo-2026" in output
    assert "clinician" in output and "manager" in output
    sources = set(ExosomeProduct.objects.values_list("source_category__slug", flat=True))
    assert {"plant", "human-msc-adipose", "animal"} <= sources


def test_the_demo_holds_assessments_in_every_state_whose_records_agree(seeded):
    from assessments.evaluation import assessment_date, evaluate_assessment
    from assessments.models import Assessment
    from assessments.reports.context import report_context

    assessments = list(Assessment.objects.all())
    states = {(a.status, bool(a.review_comment)) for a in assessments}
    assert {("finalised", False), ("submitted", False), ("draft", True), ("draft", False)} <= states
    verdicts = {a.verdict for a in assessments if a.is_finalised}
    assert {"acceptable", "conditional", "not-permitted"} <= verdicts
    for assessment in assessments:
        if assessment.is_finalised:
            assert assessment.report_pdf and assessment.report_sha256
        result = evaluate_assessment(assessment, as_of=assessment_date(assessment))
        assert result.verdict.value == assessment.verdict
        in_findings = {f.document for f in result.findings if "-EVID-" in f.rule_id}
        missing = {m["slug"] for m in report_context(assessment)["missing"] if "slug" in m}
        assert in_findings == missing, assessment


def test_seed_demo_prints_the_address_make_run_serves_on(seeded, capsys, monkeypatch):
    monkeypatch.setenv("DEMO_URL", "http://127.0.0.1:8020/")
    call_command("seed_demo")
    assert "Log in at http://127.0.0.1:8020/ with any of these" in capsys.readouterr().out
