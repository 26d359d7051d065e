"""Evidence uploads through the step-4 form: stored under server-made names, served only to
the clinic that owns them (tests/assessments/test_upload_checks.py covers the checks)."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import EvidenceItem
from tests.wizard_support import (
    LAST_YEAR,
    NEXT_YEAR,
    evidence_data,
    image_bytes,
    pdf_bytes,
    start,
    start_for_lot,
    step_url,
    upload,
)

pytestmark = pytest.mark.django_db

COA = "certificate-of-analysis"


# --- Through the step-4 form --------------------------------------------------------------


@pytest.fixture
def draft(clinician_client, clinician, plant_product):
    return start_for_lot(clinician_client, clinician, plant_product)


def post_step4(client, assessment, data, action="save"):
    return client.post(step_url(assessment, 4), {"action": action, **data})


def test_uploading_a_good_pdf_stores_it_under_a_server_made_name(
    clinician_client, clinician, draft, clinic
):
    content = pdf_bytes()
    response = post_step4(
        clinician_client,
        draft,
        evidence_data(COA, file=upload("../../CoA <script>.pdf", content)),
    )

    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert item.provided
    assert item.clinic == clinic
    assert item.uploaded_by == clinician
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.size_bytes == len(content)
    assert item.lot == "LOT-42"
    assert item.expires_on == NEXT_YEAR
    assert item.original_filename == "CoA <script>.pdf"
    assert item.file.name.startswith(f"evidence/{clinic.pk}/")
    assert item.file.name.endswith(".pdf")
    assert "script" not in item.file.name and ".." not in item.file.name
    with item.file.open("rb") as stored:
        assert stored.read() == content


def test_the_stored_file_is_outside_the_static_folders(draft, clinician_client, settings):
    post_step4(clinician_client, draft, evidence_data(COA, file=upload("c.pdf", pdf_bytes())))

    path = EvidenceItem.objects.get().file.path
    static_dirs = [d[1] if isinstance(d, tuple) else d for d in settings.STATICFILES_DIRS]
    assert path.startswith(str(settings.MEDIA_ROOT))
    for folder in [settings.STATIC_ROOT, *static_dirs]:
        assert not path.startswith(str(folder))
    assert not settings.MEDIA_URL.startswith(settings.STATIC_URL)


def test_the_upload_shows_its_sha256_on_the_step_and_the_assessment_page(clinician_client, draft):
    content = pdf_bytes()
    post_step4(clinician_client, draft, evidence_data(COA, file=upload("c.pdf", content)))
    digest = hashlib.sha256(content).hexdigest()

    assert digest in clinician_client.get(step_url(draft, 4)).content.decode()
    assert digest in clinician_client.get(draft.get_absolute_url()).content.decode()


def test_an_upload_reevaluates_the_draft(clinician_client, draft):
    before = {f["title"] for f in (draft.findings or [])}
    assert any("Certificate of analysis" in title for title in before)

    post_step4(clinician_client, draft, evidence_data(COA, file=upload("c.pdf", pdf_bytes())))

    draft.refresh_from_db()
    assert not any("Missing: Certificate of analysis" in f["title"] for f in draft.findings)


def test_a_wrong_type_renamed_pdf_is_refused_saying_why_and_keeping_the_rest(
    clinician_client, draft
):
    data = {
        "testing_answer": "Typed testing answer",
        **evidence_data(COA, file=upload("coa.pdf", b"<html>not a pdf</html>"), lab="Typed Lab"),
    }

    response = post_step4(clinician_client, draft, data, action="continue")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Only PDF, PNG and JPEG files are accepted" in page
    assert 'value="Typed Lab"' in page
    assert "Typed testing answer" in page
    assert not EvidenceItem.objects.exists()
    draft.refresh_from_db()
    assert draft.testing_answer == "Typed testing answer"  # the rest of the step is kept
    assert draft.current_step == 4


def test_an_oversize_upload_is_refused_naming_the_limit(clinician_client, draft, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    big = pdf_bytes(pages=30)
    assert len(big) > 1024

    response = post_step4(clinician_client, draft, evidence_data(COA, file=upload("big.pdf", big)))

    assert "largest file accepted is 1.0" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_one_refused_upload_does_not_lose_another_accepted_one(clinician_client, draft):
    data = {
        **evidence_data(COA, file=upload("good.pdf", pdf_bytes())),
        **evidence_data("gmp-certificate", file=upload("bad.pdf", image_bytes("PNG"))),
    }

    response = post_step4(clinician_client, draft, data)

    assert response.status_code == 200
    assert list(EvidenceItem.objects.values_list("evidence_type__slug", flat=True)) == [COA]
    assert "its content is a PNG" in response.content.decode()
    # The summary says the accepted one was kept, so it is not chosen and uploaded twice.
    summary = " ".join(response.content.decode().split())
    assert "The other document you chose was saved: it is on file below." in summary
    assert "Choose the file again only for the documents listed here." in summary


def test_details_without_a_file_ask_for_the_file(clinician_client, draft):
    response = post_step4(clinician_client, draft, evidence_data(COA, lab="Orphan Lab"))

    assert "Choose the document these details belong to." in response.content.decode()
    assert 'value="Orphan Lab"' in response.content.decode()


def test_an_expiry_before_the_issue_date_is_refused(clinician_client, draft):
    data = evidence_data(
        COA,
        file=upload("c.pdf", pdf_bytes()),
        issued_on=NEXT_YEAR.isoformat(),
        expires_on=LAST_YEAR.isoformat(),
    )

    response = post_step4(clinician_client, draft, data)

    assert "cannot be before the issue date" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_an_issue_date_in_the_future_is_refused_and_kept(clinician_client, draft):
    """A typo, not a fact: stored, it once read as "no issue date" on every page."""
    data = evidence_data(COA, file=upload("c.pdf", pdf_bytes()), issued_on=NEXT_YEAR.isoformat())

    page = post_step4(clinician_client, draft, data).content.decode()

    assert "The issue date is in the future: enter the date printed on the document." in page
    assert f'value="{NEXT_YEAR.isoformat()}"' in page
    assert not EvidenceItem.objects.exists()


def test_an_issue_date_of_today_is_accepted(clinician_client, draft):
    today = timezone.localdate()
    data = evidence_data(COA, file=upload("c.pdf", pdf_bytes()), issued_on=today.isoformat())

    post_step4(clinician_client, draft, data)

    assert EvidenceItem.objects.get().issued_on == today


def test_only_a_test_report_asks_for_a_result(clinician_client, draft):
    page = clinician_client.get(reverse("assessments:step", args=[draft.pk, 4])).content.decode()

    assert f'name="ev-{COA}-result"' in page  # a certificate of analysis is a test report
    assert 'name="ev-gmp-certificate-file"' in page  # a GMP certificate is not
    assert 'name="ev-gmp-certificate-result"' not in page


def test_an_impossible_date_is_refused_and_kept(clinician_client, draft):
    data = evidence_data(COA, file=upload("c.pdf", pdf_bytes()), issued_on="2026-02-30")

    response = post_step4(clinician_client, draft, data)

    assert "Enter a valid date" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_marking_a_document_not_provided_records_it(clinician_client, draft):
    post_step4(clinician_client, draft, {f"ev-{COA}-not_provided": "on"})

    item = EvidenceItem.objects.get()
    assert not item.provided
    assert item.evidence_type.slug == COA
    draft.refresh_from_db()  # a record of absence is still missing evidence
    assert any(
        f["rule"] == "UK-EVID-REQUIRED" and "ertificate of analysis" in f["title"]
        for f in draft.findings
    )


def test_unticking_not_provided_removes_the_record(clinician_client, draft):
    post_step4(clinician_client, draft, {f"ev-{COA}-not_provided": "on"})

    post_step4(clinician_client, draft, {})

    assert not EvidenceItem.objects.exists()


def test_a_file_and_not_provided_together_are_refused(clinician_client, draft):
    data = evidence_data(COA, file=upload("c.pdf", pdf_bytes()), not_provided="on")

    response = post_step4(clinician_client, draft, data)

    assert "untick “not provided”" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_uploading_replaces_an_earlier_not_provided_record(clinician_client, draft):
    post_step4(clinician_client, draft, {f"ev-{COA}-not_provided": "on"})

    post_step4(clinician_client, draft, evidence_data(COA, file=upload("c.pdf", pdf_bytes())))

    assert list(EvidenceItem.objects.values_list("provided", flat=True)) == [True]


def test_a_document_can_be_withdrawn_from_a_draft(clinician_client, draft):
    post_step4(clinician_client, draft, evidence_data(COA, file=upload("c.pdf", pdf_bytes())))
    item = EvidenceItem.objects.get()

    response = clinician_client.post(
        reverse("assessments:evidence_withdraw", args=[draft.pk, item.pk])
    )

    assert response["Location"] == step_url(draft, 4)
    assert not EvidenceItem.objects.exists()


# --- Downloads --------------------------------------------------------------------------


@pytest.fixture
def stored_item(clinician_client, draft):
    post_step4(clinician_client, draft, evidence_data(COA, file=upload("CoA 42.pdf", pdf_bytes())))
    return EvidenceItem.objects.get()


def download_url(item):
    return reverse("assessments:evidence_download", args=[item.assessment_id, item.pk])


def test_download_returns_the_stored_bytes_as_an_attachment_with_safe_headers(
    clinician_client, stored_item
):
    response = clinician_client.get(download_url(stored_item))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == stored_item.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "CoA 42.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"


def test_any_member_of_the_clinic_may_download(manager_client, stored_item):
    assert manager_client.get(download_url(stored_item)).status_code == 200


def test_another_clinic_cannot_download_the_file(other_clinician_client, stored_item):
    assert other_clinician_client.get(download_url(stored_item)).status_code == 404


def test_a_download_under_another_assessment_id_is_404(
    clinician_client, stored_item, clinician, human_product
):
    other = start(clinician_client, clinician, human_product)

    url = reverse("assessments:evidence_download", args=[other.pk, stored_item.pk])

    assert clinician_client.get(url).status_code == 404


def test_anonymous_download_goes_to_login(client, stored_item):
    response = client.get(download_url(stored_item))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_clinic_cannot_withdraw_a_document(other_clinician_client, stored_item):
    url = reverse("assessments:evidence_withdraw", args=[stored_item.assessment_id, stored_item.pk])

    assert other_clinician_client.post(url).status_code == 404
    assert EvidenceItem.objects.filter(pk=stored_item.pk).exists()


def test_withdrawing_needs_a_post(clinician_client, stored_item):
    url = reverse("assessments:evidence_withdraw", args=[stored_item.assessment_id, stored_item.pk])

    assert clinician_client.get(url).status_code == 405


def test_documents_of_a_submitted_assessment_cannot_be_withdrawn(
    clinician_client, stored_item, draft
):
    draft.refresh_from_db()
    draft.batch_lot = "LOT-42"
    draft.save()
    clinician_client.post(step_url(draft, 5), {"action": "submit"})
    url = reverse("assessments:evidence_withdraw", args=[draft.pk, stored_item.pk])

    assert clinician_client.post(url).status_code == 403
    assert clinician_client.post(step_url(draft, 4), {"action": "save"}).status_code == 403
    assert EvidenceItem.objects.filter(pk=stored_item.pk).exists()
