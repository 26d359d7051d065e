"""A clinician completes assessments in a real Chromium, against a live server."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, EvidenceItem
from tests.browser.support import log_out, login
from tests.wizard_support import NEXT_YEAR, pdf_bytes

LAST_MONTH = date.today() - timedelta(days=30)

pytestmark = pytest.mark.browser

# What the rules ask for a plant serum on intact skin (UK): required, then recommended.
PLANT_REQUIRED = [
    "certificate-of-analysis",
    "gmp-certificate",
    "origin-declaration",
    "ev-characterisation",
    "cpsr",
    "scpn-notification",
    "microbial-limits",
]


def pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def start_for(page, product) -> None:
    page.goto(f"/assessments/new/?product={product.pk}")
    expect(page.get_by_label("Product", exact=True)).to_have_value(str(product.pk))
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()


def continue_(page) -> None:
    # Wait for the next page (or the same step with errors): a click does not wait for it.
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def upload_documents(page, slugs, *, lot="LOT-42") -> None:
    for slug in slugs:
        page.locator(f"#id_ev-{slug}-file").set_input_files(pdf_file(f"{slug}.pdf"))
        page.locator(f"#id_ev-{slug}-lab").fill("Eurofins")
        page.locator(f"#id_ev-{slug}-lot").fill(lot)
        # What the reader records from the document: without it an upload is "not checked".
        page.locator(f"#id_ev-{slug}-issued_on").fill(LAST_MONTH.isoformat())
        page.locator(f"#id_ev-{slug}-expires_on").fill(NEXT_YEAR.isoformat())
        result = page.locator(f"#id_ev-{slug}-result")
        if result.count():  # only a test report has a result
            result.select_option("pass")


def test_plant_product_with_documents_is_conditional(page, clinician, plant_product):
    login(page, clinician.username)
    page.get_by_role("link", name="New assessment").first.click()
    page.get_by_label("Product", exact=True).select_option(str(plant_product.pk))
    page.get_by_role("button", name="Start assessment").click()

    # Step 1: pre-filled from the product; add the lot.
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    expect(page.get_by_label("Ingredient list (INCI)")).to_have_value(re.compile("Camellia"))
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)

    # Q1 and Q2: pre-filled from the product record.
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^Plant"))).to_be_checked()
    page.get_by_label("The supplier's answer, word for word").fill("Green tea leaf vesicles")
    continue_(page)
    expect(page.get_by_text("Step 3 of 5")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^Cell-free", re.I))).to_be_checked()
    continue_(page)

    # Q3: the checklist for a plant serum has no donor screening.
    expect(page.get_by_text("Step 4 of 5")).to_be_visible()
    expect(page.locator("#item-donor-screening")).to_have_count(0)
    page.get_by_label("The supplier's answer, word for word").fill("CoA per lot, ISO 17516")
    upload_documents(page, PLANT_REQUIRED)
    continue_(page)

    # Review: conditional (only recommended documents outstanding), with SHA-256s shown.
    expect(page.get_by_text("Step 5 of 5")).to_be_visible()
    review = page.get_by_role("region", name="Findings and verdict")
    expect(review.locator(".verdict-badge")).to_have_text("Conditional")
    expect(page.locator(".font-monospace-break").first).to_have_text(re.compile("^[0-9a-f]{64}$"))
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messages")).to_contain_text("Submitted for review")
    assessment = Assessment.objects.get()
    assert assessment.status == "submitted"
    assert assessment.verdict == "conditional"
    assert EvidenceItem.objects.filter(assessment=assessment).count() == len(PLANT_REQUIRED)


def test_plant_product_with_every_document_is_acceptable(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)
    continue_(page)
    continue_(page)

    expect(page.get_by_text("Step 4 of 5")).to_be_visible()
    slugs = page.locator("fieldset[id^=item-]").evaluate_all(
        "nodes => nodes.map(n => n.id.slice(5))"
    )
    upload_documents(page, slugs)
    continue_(page)

    review = page.get_by_role("region", name="Findings and verdict")
    expect(review.locator(".verdict-badge")).to_have_text("Acceptable")


def test_human_msc_product_is_not_permitted_with_its_citation(page, clinician, human_product):
    login(page, clinician.username)
    start_for(page, human_product)
    page.get_by_label("Batch / lot").fill("ASCE-1")
    page.get_by_role("radio", name=re.compile("intact skin", re.I)).check()
    continue_(page)

    expect(page.get_by_role("radio", name=re.compile("adipose", re.I))).to_be_checked()
    panel = page.locator("#live-findings")
    expect(panel.locator(".verdict-badge")).to_have_text("Not permitted")
    expect(panel).to_contain_text("Annex II")
    page.get_by_role("link", name=re.compile("Review")).click()

    review = page.get_by_role("region", name="Findings and verdict")
    expect(review.locator(".verdict-badge")).to_have_text("Not permitted")
    expect(review).to_contain_text("entry 416")
    expect(review).to_contain_text("Next step:")


def test_live_panel_updates_as_the_answer_changes_without_saving(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)
    panel = page.locator("#live-findings")
    expect(panel.locator(".verdict-badge")).not_to_have_text("Not permitted")

    page.get_by_role("radio", name=re.compile("bone marrow", re.I)).check()

    expect(panel.locator(".verdict-badge")).to_have_text("Not permitted")
    expect(panel).to_contain_text("Based on the answers on screen")
    assert Assessment.objects.get().source_category.slug == "plant"  # a preview saves nothing


def test_a_draft_is_resumed_after_logout(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)
    page.get_by_role("radio", name=re.compile("^Animal")).check()
    page.get_by_label("The supplier's answer, word for word").fill("Bovine colostrum")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved at step 2 of 5")).to_be_visible()

    log_out(page, "Clinician")
    login(page, clinician.username)
    page.get_by_role("link", name=re.compile(f"Resume {plant_product.name}")).click()

    expect(page.get_by_text("Step 2 of 5")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^Animal"))).to_be_checked()
    expect(page.get_by_label("The supplier's answer, word for word")).to_have_value(
        "Bovine colostrum"
    )


def test_a_validation_error_keeps_the_typed_text(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("")
    page.get_by_label("Marketing claims").fill("Typed claim that must survive")
    continue_(page)

    expect(page.get_by_role("alert")).to_contain_text("Enter the batch or lot number")
    expect(page.get_by_label("Marketing claims")).to_have_value("Typed claim that must survive")
    expect(page.locator("#error-summary")).to_be_focused()


def test_a_refused_upload_says_why_and_keeps_the_step(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)
    continue_(page)
    continue_(page)
    page.get_by_label("The supplier's answer, word for word").fill("Typed testing answer")
    page.locator("#id_ev-certificate-of-analysis-file").set_input_files(
        {"name": "coa.pdf", "mimeType": "application/pdf", "buffer": b"<html>fake</html>"}
    )
    page.locator("#id_ev-certificate-of-analysis-lab").fill("Typed Lab")
    continue_(page)

    expect(page.get_by_role("alert")).to_contain_text("Only PDF, PNG and JPEG")
    expect(page.locator("#id_ev-certificate-of-analysis-lab")).to_have_value("Typed Lab")
    expect(page.get_by_label("The supplier's answer, word for word")).to_have_value(
        "Typed testing answer"
    )


def test_keyboard_only_completion_of_a_step(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_label("Batch / lot").fill("LOT-42")
    continue_(page)
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()

    # Tab from the top of the page to the checked radio of the group, then arrow to the next.
    page.keyboard.press("Tab")
    checked = page.get_by_role("radio", name=re.compile("^Plant"))
    for _ in range(40):
        if checked.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(checked).to_be_focused()
    page.keyboard.press("ArrowDown")
    focused_label = page.evaluate("() => document.activeElement.labels[0].textContent.trim()")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed with the keyboard only")
    page.keyboard.press("Tab")  # Continue is the next control
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Step 3 of 5")).to_be_visible()
    assessment = Assessment.objects.get()
    assert assessment.source_category.name == focused_label
    assert assessment.source_answer == "Typed with the keyboard only"


def test_the_steps_fit_a_tablet_without_sideways_scrolling(
    browser, base_url, live_db, clinician, plant_product
):
    context = browser.new_context(base_url=base_url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    try:
        login(page, clinician.username)
        start_for(page, plant_product)
        page.get_by_label("Batch / lot").fill("LOT-42")
        for _ in range(4):
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
            continue_(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_the_supplier_request_can_be_copied(page, clinician, plant_product, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, clinician.username)
    start_for(page, plant_product)
    page.get_by_role("link", name="Ask the supplier for what is missing").click()

    page.get_by_role("button", name="Copy the message").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Certificate of analysis" in copied
    href = page.get_by_role("link", name="Open in your email program").get_attribute("href")
    assert href.startswith("mailto:")


def test_the_steps_work_without_javascript(browser, base_url, live_db, clinician, plant_product):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, clinician.username)
        start_for(page, plant_product)
        page.get_by_label("Batch / lot").fill("LOT-42")
        continue_(page)
        page.get_by_role("radio", name=re.compile("^Animal")).check()
        continue_(page)

        expect(page.get_by_text("Step 3 of 5")).to_be_visible()
        assessment = Assessment.objects.get()
        assert assessment.source_category.slug == "animal"
        assert assessment.batch_lot == "LOT-42"
    finally:
        context.close()
