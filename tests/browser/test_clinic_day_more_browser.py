"""More of the clinic's day in a real Chromium, each at 1280 and 390 px with axe: the public
"How ExoCheck decides" page (no account, printable), an assessment's history in sentences
with its technical trail on a page of its own, the exports page's filters and download
buttons, and the reviewer's per-document "checked" marks."""

import zipfile

import pytest
from playwright.sync_api import expect

from assessments.rules import RULESETS
from clinics.models import Role
from tests.browser.support import axe_check, login
from tests.factories import AssessmentFactory, EvidenceItemFactory, MembershipFactory, UserFactory
from tests.reporting import make_assessment, make_finalised

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RULES_URL = "/how-exocheck-decides/"


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def at_both_sizes(page, check) -> None:
    """`check(page)` at desktop and phone width, the page reloaded at each."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        page.wait_for_load_state("networkidle")
        check(page)
    page.set_viewport_size(DESKTOP)


# --- How ExoCheck decides: public ----------------------------------------------------------


def test_anyone_reads_how_exocheck_decides_from_the_login_page(axe_page):
    page = axe_page
    page.goto("/accounts/login/")
    page.get_by_role("main").get_by_role("link", name="how ExoCheck decides").click()
    page.wait_for_url(f"**{RULES_URL}")
    expect(page.get_by_role("heading", name="How ExoCheck decides", level=1)).to_be_visible()

    def readable(page):
        axe_check(page)
        assert no_sideways_scrolling(page)
        contents = page.get_by_role("navigation", name="Contents")
        for ruleset in RULESETS.values():
            expect(contents.get_by_role("link", name=f"ruleset {ruleset.version}")).to_be_visible()

    at_both_sizes(page, readable)

    # The contents lead to each rule, which shows its id and its severity in words.
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="UK-SRC-ANIMAL Animal-derived vesicles"
    ).click()
    row = page.locator('tr[id="UK-SRC-ANIMAL"]')
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("Information or Missing")


def test_the_printed_rules_have_no_navigation_or_buttons(page, live_db):
    page.goto(RULES_URL)
    page.emulate_media(media="print")

    expect(page.locator("header")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to contents").first).to_be_hidden()
    expect(page.get_by_role("heading", name="How ExoCheck decides")).to_be_visible()
    breaks = page.locator("section.ruleset").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page"] * len(RULESETS)


# --- History in sentences ------------------------------------------------------------------


@pytest.fixture
def cara(clinic):
    user = UserFactory(username="cara", first_name="Cara", last_name="Clinician")
    MembershipFactory(user=user, clinic=clinic, role=Role.CLINICIAN)
    return user


@pytest.fixture
def with_history(clinic, plant_product, cara):
    """An assessment Cara started and added a certificate to, as the services record it."""
    assessment = AssessmentFactory.build(
        clinic=clinic, product=plant_product, created_by=cara, batch_lot="GT-2611"
    )
    assessment._history_user = cara
    assessment.save()
    item = EvidenceItemFactory.build(assessment=assessment, uploaded_by=cara, lot="GT-2611")
    item._history_user = cara
    item.save()
    return assessment, item


def test_history_reads_as_sentences_and_the_trail_opens_from_the_keyboard(
    axe_page, cara, with_history
):
    assessment, item = with_history
    page = axe_page
    login(page, cara.username)
    page.goto(assessment.get_absolute_url())

    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(
        history.get_by_text("Cara Clinician uploaded the Certificate of analysis (lot GT-2611)")
    ).to_be_visible()
    expect(history.get_by_text("Cara Clinician started the assessment")).to_be_visible()
    # The storage path is in the technical trail only, a page of its own.
    expect(page.get_by_text(item.file.name)).to_have_count(0)

    def sentences(page):
        axe_check(page)
        assert no_sideways_scrolling(page)

    at_both_sizes(page, sentences)

    page.set_viewport_size(DESKTOP)
    history.get_by_role("link", name="Full technical trail").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Full technical trail", level=1)).to_be_visible()

    def trail(page):
        expect(page.get_by_text(item.file.name)).to_be_visible()
        axe_check(page)
        assert no_sideways_scrolling(page)

    at_both_sizes(page, trail)


# --- Exports -------------------------------------------------------------------------------


@pytest.fixture
def register(clinic, plant_product, clinician, evidence_types):
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


def test_exports_filters_line_up_and_downloads_look_like_buttons(axe_page, manager, register):
    page = axe_page
    login(page, manager.username)
    page.goto("/exports/")
    filter_button = page.get_by_role("button", name="Filter", exact=True)

    # Desktop: one row, labels above inputs, the button level with the inputs.
    inputs = [page.get_by_label(name) for name in ("Supplier", "Verdict", "Status")]
    inputs += [page.get_by_label("Dated from"), page.get_by_label("Dated to")]
    boxes = [locator.bounding_box() for locator in inputs]
    assert len({round(box["y"]) for box in boxes}) == 1
    button = filter_button.bounding_box()
    assert abs((button["y"] + button["height"]) - (boxes[0]["y"] + boxes[0]["height"])) <= 2
    for name in ("Supplier", "Dated from"):
        label = page.locator("label", has_text=name).first.bounding_box()
        field = page.get_by_label(name).bounding_box()
        assert label["y"] + label["height"] <= field["y"] + 1

    # The downloads are primary-coloured buttons, not the grey "disabled" look.
    for name in ("Download register (CSV)", "Download register (Excel)"):
        link = page.get_by_role("link", name=name)
        expect(link).to_have_class("btn btn-outline-primary")
    colour = page.get_by_role("link", name="Download register (CSV)").evaluate(
        "a => getComputedStyle(a).color"
    )
    assert colour == "rgb(13, 110, 253)"  # Bootstrap's primary

    axe_check(page)

    # Phone: the fields stack, one under another, and nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    page.reload()
    boxes = [locator.bounding_box() for locator in inputs]
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    assert len({round(box["y"]) for box in boxes}) == len(boxes)
    assert no_sideways_scrolling(page)
    axe_check(page)


def test_selected_signed_reports_download_as_one_zip(axe_page, clinic, manager, plant_product):
    """The checkboxes and buttons sit in the register's table, outside the ZIP form (the
    table is kept between requests, the form's token is not): form="reports-zip" joins them."""
    signed = make_finalised(
        clinic=clinic, product=plant_product, user=manager, manager=manager, batch_lot="ZIP-1"
    )
    page = axe_page
    login(page, manager.username)
    page.goto("/exports/")
    page.get_by_label(f"Select {signed.document_id}").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download selected reports (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        assert any(signed.document_id in name for name in archive.namelist())


# --- Review: per-document "checked" marks ----------------------------------------------------


@pytest.fixture
def in_review(clinic, plant_product, clinician, evidence_types):
    """Four documents on file (tests/reporting.py PLANT_EVIDENCE), waiting for review."""
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


def test_reviewer_marks_documents_checked_from_the_keyboard(axe_page, manager, in_review):
    page = axe_page
    login(page, manager.username)
    page.goto(f"/assessments/{in_review.pk}/review/")
    evidence = page.locator("section", has=page.get_by_role("heading", name="Evidence"))
    sign_off = page.locator("section", has=page.get_by_role("heading", name="Sign off"))
    expect(sign_off.get_by_text("0 of 4 documents checked")).to_be_visible()

    # Each document opens from the page.
    expect(
        evidence.get_by_role("link", name="Open certificate-of-analysis-certificate.pdf")
    ).to_be_visible()

    button = evidence.get_by_role("button", name="Mark as checked (Certificate of analysis)")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    item = in_review.evidence_items.get(evidence_type__slug="certificate-of-analysis")
    row = page.locator(f"#document-{item.pk}")
    expect(row).to_contain_text("✓ Checked")
    expect(row.get_by_role("button", name="Mark as checked")).to_have_count(0)
    expect(row.get_by_text(f"by {manager}")).to_be_visible()
    expect(sign_off.get_by_text("1 of 4 documents checked")).to_be_visible()
    expect(evidence.get_by_text("1 of 4 documents checked")).to_be_visible()

    def accessible(page):
        axe_check(page)
        assert no_sideways_scrolling(page)
        expect(
            page.get_by_role("button", name="Take the check off (Certificate of analysis)")
        ).to_be_visible()

    at_both_sizes(page, accessible)

    page.get_by_role("button", name="Take the check off (Certificate of analysis)").click()
    expect(sign_off.get_by_text("0 of 4 documents checked")).to_be_visible()
