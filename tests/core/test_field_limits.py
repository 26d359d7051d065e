"""Every free-text field of an assessment and an evidence item has a documented maximum
length (core/limits.py): the forms refuse more with a clear error and keep what was
typed, and the models refuse it too (a 2.4 MB paste once stalled the PDF renderer)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from assessments.forms import steps
from assessments.models import Assessment, EvidenceItem
from assessments.services.drafting import save_answers
from core import limits
from tests.paths import REPO_ROOT
from tests.reporting import make_assessment
from tests.wizard_support import start, step1_data, step_url

pytestmark = pytest.mark.django_db

ROOT = REPO_ROOT

LIMITS = {
    (Assessment, "inci"): limits.INCI_MAX_CHARS,
    (Assessment, "claims"): limits.CLAIMS_MAX_CHARS,
    (Assessment, "source_answer"): limits.SUPPLIER_ANSWER_MAX_CHARS,
    (Assessment, "cell_status_answer"): limits.SUPPLIER_ANSWER_MAX_CHARS,
    (Assessment, "testing_answer"): limits.SUPPLIER_ANSWER_MAX_CHARS,
    (Assessment, "review_comment"): limits.NOTE_MAX_CHARS,
    (Assessment, "sign_off_statement"): limits.NOTE_MAX_CHARS,
    (EvidenceItem, "notes"): limits.NOTE_MAX_CHARS,
}


def test_the_limits_are_the_documented_ones():
    assert limits.INCI_MAX_CHARS == limits.CLAIMS_MAX_CHARS == 20_000
    assert limits.SUPPLIER_ANSWER_MAX_CHARS == 10_000
    assert limits.NOTE_MAX_CHARS == 5_000
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for name in ("INCI_MAX_CHARS", "SUPPLIER_ANSWER_MAX_CHARS", "NOTE_MAX_CHARS"):
        assert name in doc, name
    for number in ("20,000", "10,000", "5,000"):
        assert number in doc, number


@pytest.mark.parametrize("model", [Assessment, EvidenceItem])
def test_every_text_field_is_bounded_in_the_model(model):
    for field in model._meta.get_fields():
        if isinstance(field, models.TextField):
            limit = LIMITS.get((model, field.name))
            assert limit is not None, f"{model.__name__}.{field.name} has no documented limit"
        elif isinstance(field, models.CharField):
            assert field.max_length, f"{model.__name__}.{field.name}"
            continue
        else:
            continue
        assert field.max_length == limit, field.name
        assert any(
            isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in field.validators
        ), field.name


@pytest.mark.parametrize(("model", "name"), sorted(LIMITS, key=lambda k: (k[0].__name__, k[1])))
def test_the_model_refuses_one_character_over_the_limit(
    model, name, clinic, plant_product, clinician, evidence_types
):
    assessment = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    instance = assessment if model is Assessment else assessment.evidence_items.first()
    limit = LIMITS[(model, name)]

    setattr(instance, name, "x" * limit)
    instance.full_clean()  # exactly at the limit: accepted
    setattr(instance, name, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()

    assert name in refused.value.message_dict
    assert f"at most {limit} characters" in refused.value.message_dict[name][0]


def test_a_step_one_inci_one_character_too_long_is_refused_and_kept(
    clinician_client, clinician, plant_product
):
    draft = start(clinician_client, clinician, plant_product)
    typed = "Aqua, " + "Camellia Sinensis Leaf Extract, " * 700
    typed = typed[: limits.INCI_MAX_CHARS + 1]
    assert len(typed) == 20_001

    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, inci=typed, claims="Typed claim")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 20000 characters (it has 20001)." in page
    assert typed in page  # the typed text is given back to be shortened
    assert "Typed claim" in page
    assert 'maxlength="20000"' in page
    draft.refresh_from_db()
    assert draft.inci != typed


def test_a_step_one_inci_at_the_limit_is_saved(clinician_client, clinician, plant_product):
    draft = start(clinician_client, clinician, plant_product)
    typed = "A" * limits.INCI_MAX_CHARS

    response = clinician_client.post(step_url(draft, 1), step1_data(draft, inci=typed))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.inci == typed


def test_newlines_count_as_one_character_as_the_browser_counts_them(
    clinician_client, clinician, plant_product
):
    """The browser's maxlength counts a newline once but submits it as CRLF: a text at the
    limit as the browser counts it is accepted, and stored with plain newlines."""
    draft = start(clinician_client, clinician, plant_product)
    line = "Camellia Sinensis Leaf Extract"
    lines = [line] * (limits.INCI_MAX_CHARS // (len(line) + 1))
    typed = "\n".join(lines)
    typed += "\n" + "A" * (limits.INCI_MAX_CHARS - len(typed) - 1)
    assert len(typed) == limits.INCI_MAX_CHARS
    posted = typed.replace("\n", "\r\n")

    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, inci=posted, claims="One\rclaim\r\nper line")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.inci == typed
    assert draft.claims == "One\nclaim\nper line"  # a lone CR (old Macs) is a newline too


def test_every_textarea_counts_a_newline_once_declared_fields_too():
    from assessments.forms_review import ReturnForm

    limit = ReturnForm.base_fields["comment"].max_length
    typed = "\n".join(["x" * 9] * (limit // 10)).ljust(limit, "y")
    form = ReturnForm({"comment": typed.replace("\n", "\r\n")})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == typed


@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    [
        (steps.ProductStepForm, "inci", limits.INCI_MAX_CHARS),
        (steps.ProductStepForm, "claims", limits.CLAIMS_MAX_CHARS),
        (steps.SourceStepForm, "source_answer", limits.SUPPLIER_ANSWER_MAX_CHARS),
        (steps.CellStatusStepForm, "cell_status_answer", limits.SUPPLIER_ANSWER_MAX_CHARS),
        (steps.TestingStepForm, "testing_answer", limits.SUPPLIER_ANSWER_MAX_CHARS),
    ],
)
def test_each_step_form_takes_its_limit_from_the_model(form_class, name, limit, clinic):
    form = form_class(clinic=clinic, instance=Assessment(current_step=1))

    assert form.fields[name].max_length == limit
    assert form.fields[name].widget.attrs["maxlength"] == str(limit)


def test_the_drafting_service_refuses_an_over_long_answer(
    clinic, plant_product, clinician, evidence_types
):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )

    with pytest.raises(ValidationError):
        save_answers(
            assessment=draft,
            by=clinician,
            answers={"claims": "y" * (limits.CLAIMS_MAX_CHARS + 1)},
            resume_at=1,
        )

    draft.refresh_from_db()
    assert len(draft.claims) <= limits.CLAIMS_MAX_CHARS
