"""The clinic's day in a real Chromium: a step warns before unsaved answers are lost, a phone
keeps the verdict in view, the assessments list keeps its Verdict column, and the supplier
and product pages (country, what the signed assessment established) pass axe at 1280 and
390 px."""

import re

import pytest
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.support import axe_check, login
from tests.reporting import make_assessment, make_finalised

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def start_for(page, product) -> str:
    """Start a draft of `product` from the start page; returns step 1's URL."""
    page.goto(f"/assessments/new/?product={product.pk}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    return page.url


def in_viewport(locator, page) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def axe_at_both_sizes(page) -> None:
    """axe on the current page at desktop and phone width (the page is reloaded at each)."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        page.wait_for_load_state("networkidle")
        axe_check(page)
    page.set_viewport_size(DESKTOP)


# --- Unsaved changes ------------------------------------------------------------------------


def test_leaving_a_step_with_unsaved_changes_asks_first(page, clinician, plant_product):
    login(page, clinician.username)
    step_one = start_for(page, plant_product)
    dialogs = []

    def dismiss(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_label("Batch / lot").fill("LOT-UNSAVED")
    products_link(page).click()

    # Asked, and staying keeps the page and what was typed.
    expect(page.get_by_label("Batch / lot")).to_have_value("LOT-UNSAVED")
    assert dialogs and dialogs[0][0] == "confirm"
    assert "not saved" in dialogs[0][1]
    assert page.url == step_one

    # The progress bar's steps ask too.
    page.get_by_role("link", name="2. Q1 Source").click()
    expect(page.get_by_label("Batch / lot")).to_have_value("LOT-UNSAVED")
    assert len(dialogs) == 2 and page.url == step_one
    page.remove_listener("dialog", dismiss)

    # Accepting leaves (once: no second prompt from the browser on the way out).
    accepted = []

    def accept(dialog):
        accepted.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    with page.expect_navigation():
        products_link(page).click()
    assert page.url.endswith("/products/")
    assert accepted == ["confirm"]


def test_saving_clears_the_warning_and_an_untouched_step_never_asks(page, clinician, plant_product):
    login(page, clinician.username)
    start_for(page, plant_product)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    # Untouched: leaving asks nothing.
    with page.expect_navigation():
        page.get_by_role("link", name="2. Q1 Source").click()
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()

    # Changed, then saved: the save itself is not stopped, and leaving afterwards asks nothing.
    page.get_by_label("The supplier's answer, word for word").fill("Green tea leaf vesicles")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved at step 2 of 5")).to_be_visible()
    with page.expect_navigation():
        products_link(page).click()

    assert dialogs == []


def test_closing_or_reloading_with_unsaved_changes_gets_the_browsers_prompt(
    page, clinician, plant_product
):
    login(page, clinician.username)
    start_for(page, plant_product)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_label("Batch / lot").fill("LOT-UNSAVED")
    page.close(run_before_unload=True)

    page.wait_for_timeout(500)  # closing with run_before_unload does not wait for the dialog
    assert dialogs == ["beforeunload"]


# --- The verdict on a phone -----------------------------------------------------------------


def test_on_a_phone_the_verdict_bar_is_in_view_on_step_two(
    browser, base_url, live_db, clinician, plant_product
):
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    try:
        login(page, clinician.username)
        step_one = start_for(page, plant_product)
        page.goto(step_one.replace("/step/1/", "/step/2/"))

        bar = page.get_by_role("region", name="Verdict so far")
        expect(bar).to_be_visible()
        assert page.evaluate("() => window.scrollY") == 0
        assert in_viewport(bar, page), bar.bounding_box()
        # The panel itself is below the form, out of view: the bar is what shows the verdict.
        assert not in_viewport(page.locator("#findings-heading"), page)
        expect(bar.locator(".badge")).to_have_text(
            page.locator("#live-findings .findings > p:first-child .badge").inner_text()
        )
        count = page.locator("#live-findings .findings ol > li").count()
        expect(bar).to_contain_text(f"{count} finding")
        assert no_sideways_scrolling(page)

        # The bar follows the live panel as an answer changes.
        page.get_by_role("radio", name=re.compile("bone marrow", re.I)).check()
        expect(bar.locator(".badge")).to_have_text("Not permitted")
        expect(bar).to_contain_text(
            f"{page.locator('#live-findings .findings ol > li').count()} finding"
        )

        # Its button takes the reader to the findings.
        bar.get_by_role("link", name="Show the findings").click()
        expect(page.locator("#findings-heading")).to_be_focused()
        expect(page.locator("#findings-heading")).to_be_in_viewport()
    finally:
        context.close()


def test_on_a_desktop_the_layout_has_no_verdict_bar(page, clinician, plant_product):
    login(page, clinician.username)
    step_one = start_for(page, plant_product)
    page.goto(step_one.replace("/step/1/", "/step/2/"))

    expect(page.locator("#verdict-bar")).to_be_hidden()
    expect(page.locator("#findings-heading")).to_be_in_viewport()


def test_on_a_phone_the_assessments_list_shows_the_verdict_column(
    browser, base_url, live_db, clinic, clinician, manager, plant_product, evidence_types
):
    make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)
    make_assessment(clinic=clinic, product=plant_product, user=clinician, status="draft")
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    try:
        login(page, clinician.username)
        page.goto("/assessments/")

        header = page.get_by_role("columnheader", name="Verdict")
        expect(header).to_be_visible()
        assert in_viewport(header, page)
        badges = page.locator("tbody .verdict-badge")
        expect(badges).to_have_count(2)
        for index in range(2):
            badge = badges.nth(index)
            badge.scroll_into_view_if_needed()
            box, width = badge.bounding_box(), page.viewport_size["width"]
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert no_sideways_scrolling(page)
    finally:
        context.close()


# --- Accessibility of every page this work touched, at 1280 and 390 px -------------------------


def test_supplier_pages_pass_axe(axe_page, clinician, supplier):
    login(axe_page, clinician.username)
    new_supplier = Supplier.objects.create(clinic=supplier.clinic, legal_name="Rosa Labs Ltd")

    axe_page.goto("/suppliers/")
    axe_at_both_sizes(axe_page)

    axe_page.goto(new_supplier.get_absolute_url())
    expect(axe_page.locator("#supplier-country")).to_have_text(
        re.compile(r"Country not recorded\s+—\s+add it")
    )
    axe_at_both_sizes(axe_page)

    axe_page.goto("/suppliers/new/")
    axe_at_both_sizes(axe_page)
    axe_page.get_by_label("Legal name").fill("Aloe Labs Ltd")
    axe_page.get_by_role("button", name="Save supplier").click()
    expect(
        axe_page.get_by_text("Choose the country the supplier is registered in.")
    ).to_be_visible()
    axe_check(axe_page)  # the refused form (not reloaded: a reload would resend it)
    axe_page.get_by_label("Country").select_option("Norway")
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="Save supplier").click()
    expect(axe_page.locator("#supplier-country")).to_have_text("Norway")
    axe_at_both_sizes(axe_page)


def test_product_pages_with_the_signed_summary_pass_axe(
    axe_page, clinic, clinician, manager, plant_product, evidence_types
):
    signed = make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)
    login(axe_page, clinician.username)

    axe_page.goto("/products/")
    axe_at_both_sizes(axe_page)

    axe_page.goto(plant_product.get_absolute_url())
    summary = axe_page.locator("#product-summary")
    expect(summary).to_contain_text("What the latest signed assessment established")
    expect(summary).to_contain_text(signed.document_id)
    expect(axe_page.locator("#product-summary-slot")).to_have_count(0)  # swapped by htmx
    axe_at_both_sizes(axe_page)

    # Without JavaScript's swap, the link opens the same summary as a page.
    axe_page.goto(f"/assessments/products/{plant_product.pk}/summary/")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text(str(plant_product))
    axe_at_both_sizes(axe_page)

    axe_page.goto(f"/products/{plant_product.pk}/edit/")
    axe_at_both_sizes(axe_page)


def test_wizard_steps_and_the_assessments_list_pass_axe(axe_page, clinician, plant_product):
    login(axe_page, clinician.username)
    step_one = start_for(axe_page, plant_product)

    for step in (1, 2, 3, 4, 5):
        axe_page.goto(step_one.replace("/step/1/", f"/step/{step}/"))
        axe_at_both_sizes(axe_page)

    axe_page.goto("/assessments/")
    axe_at_both_sizes(axe_page)


def products_link(page):
    # exact: "Approved products" is in the same menu.
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Products", exact=True
    )
