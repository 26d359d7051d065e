"""A practice manager reviews a submitted assessment, signs it off in the browser and
downloads the signed PDF — the exact bytes stored at signing."""

import hashlib

import pytest

from assessments.models import Assessment
from tests.browser.support import axe_check, login
from tests.factories import PASSWORD, code_for
from tests.reporting import make_assessment, pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(clinic, plant_product, clinician, evidence_types):
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


def test_practice_manager_signs_off_and_downloads_the_pdf(axe_page, manager, submitted):
    page = axe_page
    login(page, manager.username)

    page.get_by_role("link", name="Review", exact=True).click()
    page.wait_for_url("**/assessments/review/")
    axe_check(page)
    page.get_by_role("link", name=f"Review {submitted.product}").click()
    page.wait_for_url(f"**/assessments/{submitted.pk}/review/")
    axe_check(page)

    # Insufficient information: the signer may review or reject it, never approve it, and
    # nothing is chosen for them.
    assert page.get_by_label("Approved").count() == 0
    assert not page.get_by_label("Reviewed").is_checked()
    page.get_by_label("Reviewed").check()
    page.get_by_label("Statement (optional)").fill("Approved for lot LOT-2026-0042 only.")
    page.get_by_label("Your password").fill(PASSWORD)
    # The second component of the signature: a current code from the manager's app.
    page.get_by_label("Code from your authenticator app").fill(code_for(manager))
    page.get_by_role("button", name="Sign off and finalise").click()

    page.get_by_text("Signed off.").wait_for()
    axe_check(page)
    signed = Assessment.objects.get(pk=submitted.pk)
    assert signed.status == Assessment.Status.FINALISED
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download signed PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{signed.document_id}.pdf"
    with open(download.path(), "rb") as downloaded:
        data = downloaded.read()
    assert hashlib.sha256(data).hexdigest() == signed.report_sha256
    text = " ".join(pdf_text(data).split())
    assert "Meaning of signature Reviewed" in text
    assert "Approved for lot LOT-2026-0042 only." in text

    # The assessment's page is kept whole; its one form sits outside, named by the button.
    page.goto(signed.get_absolute_url())
    page.reload()  # the second time from the cache
    page.get_by_role("button", name="Start a new version").click()
    page.get_by_text(f"Version 2 started as a draft from {signed.document_id}.").wait_for()
    assert Assessment.objects.filter(previous_version=signed, version=2).exists()


def test_a_wrong_signing_password_is_shown_next_to_the_field(axe_page, manager, submitted):
    page = axe_page
    login(page, manager.username)
    page.goto(f"/assessments/{submitted.pk}/review/")

    page.get_by_label("Reviewed").check()
    page.get_by_label("Statement (optional)").fill("Kept after the error")
    page.get_by_label("Your password").fill("not-the-right-password")
    page.get_by_label("Code from your authenticator app").fill(code_for(manager))
    page.get_by_role("button", name="Sign off and finalise").click()

    page.get_by_text("That password is not correct").wait_for()
    assert page.get_by_label("Statement (optional)").input_value() == "Kept after the error"
    axe_check(page)
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.SUBMITTED


def test_export_progress_page_updates_itself_until_the_download_is_ready(
    axe_page, manager, clinic, evidence_types
):
    from exports.models import ExportJob

    page = axe_page
    job = ExportJob.objects.create(
        clinic=clinic,
        requested_by=manager,
        selected_ids=[],
        progress_total=30,
        progress_done=12,
        status=ExportJob.Status.RUNNING,
    )
    login(page, manager.username)
    page.goto("/exports/")
    axe_check(page)
    page.goto(f"/exports/jobs/{job.pk}/")
    page.get_by_text("12 of 30 reports").wait_for()
    axe_check(page)

    # The worker finishes; htmx polls every 2 s and swaps in the download link.
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, progress_done=30, sha256="0" * 64, result_file="x.zip"
    )

    page.get_by_role("link", name="Download ZIP").wait_for(timeout=6_000)
    assert page.get_by_text("30 of 30 reports").is_visible()
