"""The approved-products register in a real Chromium: the register (with its filters), the
"rules updated since sign-off" recheck page and the register settings page each pass axe
(no serious or critical WCAG 2.2 AA violation) at 1280 and 390 px, and work by their labels."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.rules import RULESETS, Ruleset
from assessments.signed_record import build_signed_record
from lifecycle.models import LifecycleSettings
from tests.browser.support import axe_check, login
from tests.factories import AssessmentFactory, ProductFactory, evaluated
from tests.lifecycle.support import signed_assessment

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def axe_at_both_sizes(page) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        page.wait_for_load_state("networkidle")
        axe_check(page)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def register(clinic):
    """An approved product, one expiring within 30 days, an expired one, one never assessed."""
    today = timezone.localdate()
    approved = ProductFactory(clinic=clinic, name="Green Tea Exosome Serum")
    signed_assessment(approved, finalised=today - timedelta(days=10))
    expiring = ProductFactory(clinic=clinic, name="Centella Booster")
    signed_assessment(
        expiring, finalised=today - timedelta(days=10), expiries=(today + timedelta(days=20),)
    )
    expired = ProductFactory(clinic=clinic, name="Aloe Calm Mist")
    signed_assessment(expired, finalised=date(2020, 1, 6))
    ProductFactory(clinic=clinic, name="Ginseng Renewal Ampoule")


def test_the_register_filters_and_passes_axe(axe_page, register, manager):
    page = axe_page
    login(page, manager.username)
    page.goto("/register/")
    expect(page.get_by_role("heading", name="Approved products")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(5)  # the header and four products
    axe_at_both_sizes(page)

    page.get_by_label("Status", exact=True).select_option(label="Expired")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("cell", name="Aloe Calm Mist")).to_be_visible()

    page.goto("/register/")
    page.get_by_label("Expiring within (days)").fill("30")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("cell", name="Centella Booster")).to_be_visible()
    axe_at_both_sizes(page)

    page.get_by_label("Search").fill("no such product")
    page.get_by_label("Expiring within (days)").fill("")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No product matches these filters.")).to_be_visible()
    axe_check(page)


@pytest.fixture
def changed(clinic, monkeypatch):
    """A signed assessment, and a test ruleset without the rule of its first finding."""
    assessment = evaluated(AssessmentFactory(product__clinic=clinic))
    assessment.signed_record = build_signed_record(assessment, evidence=[])
    assessment.status = Assessment.Status.FINALISED
    assessment.submitted_at = assessment.finalised_at = timezone.now()
    assessment.save()
    dropped = assessment.signed_record["findings"][0]["rule"]
    rules = [spec for spec in RULESETS["UK"].rules if spec.id != dropped]
    monkeypatch.setitem(RULESETS, "UK", Ruleset("UK", "UK-TEST", "Test", rules=rules))
    return assessment, dropped


def test_the_recheck_page_lists_the_change_and_passes_axe(axe_page, changed, manager):
    assessment, dropped = changed
    page = axe_page
    login(page, manager.username)
    page.goto("/register/")
    page.get_by_role("link", name="Rules updated since sign-off").click()
    expect(page.get_by_role("heading", name="Rules updated since sign-off")).to_be_visible()
    expect(page.get_by_role("link", name=assessment.document_id)).to_be_visible()
    expect(page.get_by_text(re.compile(dropped))).to_be_visible()
    axe_at_both_sizes(page)


def test_the_recheck_page_with_nothing_to_list_passes_axe(axe_page, manager):
    login(axe_page, manager.username)
    axe_page.goto("/register/recheck/")
    expect(axe_page.get_by_text("Every signed assessment would get the same")).to_be_visible()
    axe_at_both_sizes(axe_page)


def test_the_settings_page_saves_refuses_out_of_range_and_passes_axe(
    axe_page, register, clinic, clinic_admin
):
    page = axe_page
    login(page, clinic_admin.username)
    page.goto("/register/")
    page.get_by_role("link", name="Re-assessment interval").click()
    expect(page.get_by_role("heading", name="Register settings")).to_be_visible()
    field = page.get_by_label("Re-assessment interval (months)")
    expect(field).to_have_value("12")
    axe_at_both_sizes(page)

    field.fill("61")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("less than or equal to 60"))).to_be_visible()
    axe_check(page)  # the error state too
    assert LifecycleSettings.interval_for(clinic) == 12

    page.get_by_label("Re-assessment interval (months)").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(re.compile("approvals are now re-assessed every 6 months"))
    ).to_be_visible()
    expect(page.get_by_label("Re-assessment interval (months)")).to_have_value("6")
    assert LifecycleSettings.interval_for(clinic) == 6
    axe_at_both_sizes(page)
