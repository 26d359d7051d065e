"""Notifications in a real Chromium: the bell (visible on a phone too) opens the list, opening
a notification marks it read and lands on its assessment, and the notifications page and the
dashboard (returned to you, waiting for review) pass axe at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from clinics.models import Role
from notifications.models import Notification
from notifications.services import notify_returned, notify_submitted
from tests.browser.support import axe_check, login
from tests.factories import AssessmentFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
COMMENT = "Please upload this lot's certificate of analysis."


@pytest.fixture
def clinic_day(clinic, clinician, manager):
    """A returned draft for the clinician (with its notification) and two submitted
    assessments for the manager (with theirs)."""
    product = ProductFactory(clinic=clinic, name="Green Tea Exosome Serum")
    returned = AssessmentFactory(product=product, created_by=clinician, review_comment=COMMENT)
    notify_returned(assessment=returned, by=manager)
    for lot in ["LOT-A", "LOT-B"]:
        submitted = AssessmentFactory(
            product=product, created_by=clinician, submitted=True, batch_lot=lot
        )
        notify_submitted(assessment=submitted, by=clinician)
    return returned


def bell(page):
    return page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))


def axe_at_both_sizes(page) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        page.wait_for_load_state("networkidle")
        axe_check(page)
    page.set_viewport_size(DESKTOP)


def test_the_bell_opens_the_list_and_opening_one_marks_it_read(page, clinic_day, clinician):
    login(page, clinician.username)
    expect(bell(page)).to_have_accessible_name("Notifications, 1 unread")

    bell(page).click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("was returned to you")).click()
    expect(page).to_have_url(re.compile(rf"/assessments/{clinic_day.pk}/$"))
    expect(bell(page)).to_have_accessible_name("Notifications, 0 unread")
    assert Notification.objects.get(recipient=clinician).read_at is not None


def test_the_bell_is_visible_on_a_phone_without_opening_the_menu(page, clinic_day, manager):
    page.set_viewport_size(PHONE)
    login(page, manager.username)

    expect(bell(page)).to_be_visible()
    expect(bell(page)).to_have_accessible_name("Notifications, 2 unread")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_notifications_page_passes_axe(axe_page, clinic_day, manager):
    login(axe_page, manager.username)
    axe_page.goto("/notifications/")
    expect(axe_page.get_by_text("New").first).to_be_visible()

    axe_at_both_sizes(axe_page)

    axe_page.get_by_role("button", name="Mark all as read").click()
    expect(axe_page.get_by_role("button", name="Mark all as read")).to_have_count(0)
    axe_at_both_sizes(axe_page)


def test_the_empty_notifications_page_passes_axe(axe_page, clinician):
    login(axe_page, clinician.username)
    axe_page.goto("/notifications/")
    expect(axe_page.get_by_text("No notifications yet.")).to_be_visible()

    axe_at_both_sizes(axe_page)


def test_the_clinicians_dashboard_with_a_returned_draft_passes_axe(axe_page, clinic_day, clinician):
    login(axe_page, clinician.username)
    axe_page.goto("/")
    section = axe_page.get_by_role("region", name=re.compile("Returned to you"))
    expect(section).to_contain_text(COMMENT)
    expect(section.get_by_role("link", name=re.compile("^Resume"))).to_be_visible()

    axe_at_both_sizes(axe_page)


def test_the_managers_dashboard_with_reviews_waiting_passes_axe(axe_page, clinic_day, manager):
    login(axe_page, manager.username)
    axe_page.goto("/")
    expect(axe_page.get_by_role("link", name="2 waiting for your review")).to_be_visible()
    review = axe_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Review", exact=True
    )
    expect(review).to_have_accessible_description("2 waiting for review")

    axe_at_both_sizes(axe_page)


def test_a_member_of_another_clinic_sees_none_of_it(page, clinic_day, other_clinic):
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, clinic=other_clinic, role=Role.PRACTICE_MANAGER)
    login(page, outsider.username)

    expect(bell(page)).to_have_accessible_name("Notifications, 0 unread")
    page.goto("/notifications/")
    expect(page.get_by_text("No notifications yet.")).to_be_visible()
