"""The accessibility check is only worth something if it can fail."""

import pytest

from tests.browser.support import axe_check, axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_an_image_without_alt_text(axe_page):
    axe_page.goto("/accounts/login/")
    axe_page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').appendChild(img);
        }"""
    )

    assert "image-alt" in {v["id"] for v in axe_violations(axe_page)}
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(axe_page)


def test_login_page_has_no_serious_violations(axe_page):
    axe_page.goto("/accounts/login/")

    axe_check(axe_page)


def test_requests_outside_the_live_server_are_blocked(page):
    page.goto("/accounts/login/")

    status = page.evaluate(
        """async () => {
            try { await fetch('https://cdn.example.invalid/x.js'); return 'fetched'; }
            catch (e) { return 'blocked'; }
        }"""
    )

    assert status == "blocked"


def test_login_helper_lands_a_clinician_on_the_dashboard(page, clinician):
    from tests.browser.support import login

    login(page, clinician.username)

    assert page.url.endswith("/")
    assert page.get_by_role("button", name="Log out", include_hidden=True).count() == 1


def test_reference_data_survives_between_live_server_tests(page, plant_product):
    from products.models import SourceCategory

    assert SourceCategory.objects.filter(slug="plant").exists()


# --- The questionnaire: every step, the review, and the pages around it ---------------------


@pytest.fixture
def draft_in_browser(axe_page, clinician, plant_product):
    from tests.browser.support import login

    login(axe_page, clinician.username)
    axe_page.goto(f"/assessments/new/?product={plant_product.pk}")
    axe_check(axe_page)  # the start page itself
    axe_page.get_by_role("button", name="Start assessment").click()
    axe_page.wait_for_url("**/step/1/")
    from assessments.models import Assessment

    return Assessment.objects.get()


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_each_step_has_no_serious_violations(axe_page, draft_in_browser, step):
    axe_page.goto(f"/assessments/{draft_in_browser.pk}/step/{step}/")

    axe_check(axe_page)


def test_a_step_with_errors_has_no_serious_violations(axe_page, draft_in_browser):
    axe_page.goto(f"/assessments/{draft_in_browser.pk}/step/1/")
    axe_page.get_by_label("Batch / lot").fill("")
    axe_page.get_by_role("button", name="Continue").click()
    axe_page.get_by_role("alert").wait_for()

    axe_check(axe_page)


def test_the_documents_step_with_a_refused_and_an_accepted_file(axe_page, draft_in_browser):
    from tests.wizard_support import pdf_bytes

    axe_page.goto(f"/assessments/{draft_in_browser.pk}/step/4/")
    axe_page.locator("#id_ev-certificate-of-analysis-file").set_input_files(
        {"name": "coa.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    axe_page.locator("#id_ev-gmp-certificate-file").set_input_files(
        {"name": "gmp.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    axe_page.get_by_role("button", name="Save draft").click()
    axe_page.get_by_role("alert").wait_for()

    axe_check(axe_page)


@pytest.mark.parametrize("width", [1280, 390])
def test_recording_what_an_uploaded_document_says(axe_page, draft_in_browser, width):
    from tests.wizard_support import pdf_bytes

    axe_page.set_viewport_size({"width": width, "height": 900})
    axe_page.goto(f"/assessments/{draft_in_browser.pk}/step/4/")
    axe_page.locator("#id_ev-certificate-of-analysis-file").set_input_files(
        {"name": "coa.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    axe_page.locator("#id_ev-certificate-of-analysis-issued_on").fill("")
    axe_page.get_by_role("button", name="Save draft").click()
    axe_page.wait_for_url("**/step/4/**")

    axe_page.get_by_role("link", name="Record what it says (coa.pdf)").click()
    axe_page.wait_for_url("**/facts/")
    axe_check(axe_page)
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= width
    axe_page.get_by_label("Issue date").fill("2026-01-15")
    axe_page.get_by_label("Result").select_option("pass")
    axe_page.get_by_role("button", name="Save what it says").click()

    axe_page.wait_for_url("**/step/4/**")
    axe_page.get_by_text("Recorded what the").wait_for()
    axe_check(axe_page)


def test_the_live_findings_panel_after_an_update(axe_page, draft_in_browser):
    import re

    axe_page.goto(f"/assessments/{draft_in_browser.pk}/step/2/")
    axe_page.get_by_role("radio", name=re.compile("bone marrow", re.I)).check()
    axe_page.locator("#live-findings").get_by_text("Based on the answers on screen").wait_for()

    axe_check(axe_page)


def test_the_assessment_page_and_the_supplier_request(axe_page, draft_in_browser):
    axe_page.goto(f"/assessments/{draft_in_browser.pk}/")
    axe_check(axe_page)

    axe_page.goto(f"/assessments/{draft_in_browser.pk}/ask-supplier/")
    axe_check(axe_page)


def test_the_dashboard_with_a_draft(axe_page, draft_in_browser):
    axe_page.goto("/")

    axe_check(axe_page)
