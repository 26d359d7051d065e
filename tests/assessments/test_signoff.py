"""Sign-off: a practice manager signs a submitted assessment with password and code, and what
the signature may mean; signing finalises it in one transaction with the stored PDF.
(Access: test_review_access.py; returning and the pages: test_review_pages.py.)"""

import hashlib
import re

import pytest
from django.urls import reverse

from assessments.errors import (
    AssessmentLocked,
    NotSubmitted,
    ReportRenderFailed,
    WrongPassword,
)
from assessments.models import Assessment
from assessments.services import signoff
from tests.factories import PASSWORD, code_for
from tests.reporting import add_evidence, make_assessment, pdf_text, sign, sign_off_data

pytestmark = pytest.mark.django_db


def test_manager_signs_off_and_the_record_is_finalised_with_its_pdf(submitted, manager):
    signed = sign(submitted, manager)

    signed.refresh_from_db()
    assert signed.status == Assessment.Status.FINALISED
    assert signed.finalised_at is not None
    assert signed.signed_by == manager
    assert (signed.signed_name, signed.signed_role) == ("Max Manager", "Practice manager")
    assert signed.signature_meaning == "reviewed"
    assert signed.sign_off_statement == "Approved for purchase of this lot only."
    stored = signed.report_pdf.read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == signed.report_sha256


def test_the_signature_names_the_signers_account_whatever_is_posted(
    manager_client, manager, submitted
):
    """A signature is attributable: the printed name is the signer's account name, and a
    name typed or posted instead is ignored (it once let "Dr Jane Smith" sign as Max)."""
    page = manager_client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]),
        sign_off_data(signed_name="Dr Jane Smith"),
    )

    submitted.refresh_from_db()
    assert submitted.is_finalised
    assert submitted.signed_name == str(manager) != "Dr Jane Smith"
    assert "Dr Jane Smith" not in pdf_text(submitted.report_pdf.read())
    assert re.search(r'name="signed_name"[^>]*disabled', page)  # shown, not editable


def test_sign_off_view_finalises_and_shows_the_download(manager_client, submitted):
    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]), sign_off_data(), follow=True
    )

    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.is_finalised
    assert "Signed off." in response.content.decode()
    assert reverse("assessments:report_download", args=[submitted.pk]) in response.content.decode()


def test_signing_needs_the_managers_own_password(submitted, manager):
    with pytest.raises(WrongPassword):
        sign(submitted, manager, password="not-my-password-at-all")

    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not submitted.report_pdf


def test_wrong_password_in_the_form_is_a_field_error_and_keeps_what_was_typed(
    manager_client, submitted
):
    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]),
        sign_off_data(password="wrong-password-123", statement="Keep this statement"),
    )

    assert response.status_code == 200
    form = response.context["sign_off_form"]
    assert "password" in form.errors
    page = response.content.decode()
    assert "Keep this statement" in page
    assert "That password is not correct" in page
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_sign_off_form_requires_a_meaning(manager_client, submitted):
    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]), sign_off_data(meaning="")
    )

    assert "meaning" in response.context["sign_off_form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_a_failed_render_finalises_nothing(submitted, manager, monkeypatch, tmp_path):
    def broken_render(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(signoff, "render_pdf", broken_render)
    history_before = submitted.history.count()

    with pytest.raises(ReportRenderFailed):
        sign(submitted, manager)

    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert submitted.finalised_at is None
    assert submitted.signed_by is None
    assert not submitted.report_pdf and not submitted.report_sha256
    assert submitted.history.count() == history_before


def test_signing_runs_the_rules_one_last_time(submitted, manager, clinician):
    assert submitted.verdict != "not-permitted"
    # A failed sterility test recorded after submission (e.g. by an admin correction).
    add_evidence(
        submitted, clinician, "sterility", lab="Lab", lot=submitted.batch_lot, result="fail"
    )

    signed = sign(submitted, manager)

    assert signed.verdict == "not-permitted"
    assert "UK-EVID-FAILED" in {finding["rule"] for finding in signed.findings}


def test_sign_off_is_in_the_audit_history_with_who_and_why(submitted, manager):
    sign(submitted, manager)

    latest = submitted.history.first()
    assert latest.history_user == manager
    assert latest.status == "finalised"
    assert "Signed off" in latest.history_change_reason


def test_a_draft_cannot_be_signed_off(clinic, plant_product, clinician, manager, evidence_types):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )

    with pytest.raises(NotSubmitted):
        sign(draft, manager)


def test_a_finalised_assessment_cannot_be_signed_again(submitted, manager):
    sign(submitted, manager)

    with pytest.raises(AssessmentLocked):
        sign(submitted, manager)


def test_the_meanings_offered_depend_on_the_verdict_and_none_is_preselected(
    manager_client, submitted
):
    submitted.verdict = "not-permitted"
    submitted.save()

    page = manager_client.get(reverse("assessments:review", args=[submitted.pk]))

    form = page.context["sign_off_form"]
    assert [value for value, _ in form.fields["meaning"].choices] == ["reviewed", "rejected"]
    assert form["meaning"].value() is None
    assert "checked" not in str(form["meaning"])


def test_a_product_whose_safety_is_not_shown_cannot_be_signed_as_approved(manager, submitted):
    from assessments.errors import AssessmentError
    from assessments.services.signoff import sign_off

    assert submitted.verdict == "insufficient-information"
    with pytest.raises(AssessmentError, match="reviewed or rejected, not approved"):
        sign_off(
            assessment=submitted,
            by=manager,
            password=PASSWORD,
            otp_code=code_for(manager),
            meaning="approved",
            signed_name="Max Manager",
            signed_role="Practice manager",
        )
    submitted.refresh_from_db()
    assert not submitted.is_finalised


def test_the_submitter_sees_why_they_cannot_sign_instead_of_the_form(
    manager_client, manager, submitted, clinic
):
    """The four-eyes rule is said on the page, before a one-time code is spent on it."""
    from assessments.errors import SelfSignOff

    submitted.submitted_by = manager
    submitted.save()
    url = reverse("assessments:review", args=[submitted.pk])

    body = manager_client.get(url).content.decode()
    assert SelfSignOff.default_message in body
    assert 'name="otp_code"' not in body and 'name="password"' not in body
    assert "Return with comment" in body

    clinic.single_person_sign_off = True
    clinic.save()
    body = manager_client.get(url).content.decode()
    assert SelfSignOff.default_message not in body
    assert 'name="otp_code"' in body


def test_the_view_refuses_approved_for_a_not_permitted_verdict(manager_client, submitted):
    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]), sign_off_data(meaning="approved")
    )

    assert response.status_code == 200
    assert "meaning" in response.context["sign_off_form"].errors
    submitted.refresh_from_db()
    assert not submitted.is_finalised


def test_the_submitter_cannot_sign_their_own_assessment_unless_the_clinic_allows_it(
    manager, submitted, clinic
):
    from assessments.errors import SelfSignOff
    from assessments.services.signoff import sign_off

    submitted.submitted_by = manager
    submitted.save()
    arguments = {
        "assessment": submitted,
        "by": manager,
        "password": PASSWORD,
        "meaning": "reviewed",
        "signed_name": "Max Manager",
        "signed_role": "Practice manager",
    }
    with pytest.raises(SelfSignOff):
        sign_off(**arguments, otp_code=code_for(manager))
    submitted.refresh_from_db()
    assert not submitted.is_finalised

    clinic.single_person_sign_off = True
    clinic.save()
    signed = sign_off(**arguments, otp_code=code_for(manager))
    assert signed.is_finalised
    from tests.reporting import pdf_text

    assert "Single-person sign-off" in " ".join(pdf_text(signed.report_pdf.read()).split())
