"""The menu bar fits: with every menu a practice manager has, no page scrolls sideways at a
laptop, tablet or phone width, and the notifications bell is on screen at each (the menu
collapses below 1200 px; the clinic's name shows in the bar only where it has room)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import login
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.browser

WIDTHS = (1280, 1024, 390)
PAGES = ("/", "/suppliers/", "/register/", "/assessments/review/")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_bar_fits_every_width(page, live_db, manager, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, manager.username)
    for url in PAGES:
        page.goto(url)
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert scroll[0] <= scroll[1], (url, scroll)
        bell = page.get_by_role("link", name="Notifications", exact=False).first
        expect(bell).to_be_in_viewport()


def test_a_full_review_queue_does_not_scroll_sideways_on_a_phone(
    page, live_db, manager, clinic, plant_product, clinician, evidence_types
):
    """The queue's last column holds each button's hidden text; its table scrolls on its own."""
    AssessmentFactory(product=plant_product, created_by=clinician, submitted=True)
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, manager.username)
    page.goto("/assessments/review/")
    expect(page.get_by_role("link", name="Review", exact=False).first).to_be_attached()
    scroll = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert scroll[0] <= scroll[1], scroll
