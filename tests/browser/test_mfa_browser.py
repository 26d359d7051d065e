"""Two-factor authentication in the browser, on a laptop and a phone: a new practice manager
is sent from the sign-off panel to set up an authenticator app (the code is computed here
from the key the page shows), keeps the recovery codes, logs in again with a code and signs
off with password and code. Every page is checked with axe."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from assessments.models import Assessment
from clinics import mfa
from clinics.models import Role, User
from tests.browser.support import axe_check, enter_login_code
from tests.factories import PASSWORD, code_for, make_user
from tests.reporting import make_assessment

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


def code_from_the_page(page) -> str:
    """What an authenticator app given the key on the set-up page would show now."""
    secret = page.locator("#mfa-secret").inner_text()
    return f"{TOTP(bytes.fromhex(mfa.hex_from_base32(secret))).token():06d}"


def log_in_with_password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_manager_sets_up_two_factor_logs_in_with_a_code_and_signs_with_both(
    axe_page, clinic, clinician, plant_product, evidence_types, width
):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    make_user("newmanager", clinic, Role.PRACTICE_MANAGER)
    submitted = make_assessment(clinic=clinic, product=plant_product, user=clinician)

    log_in_with_password(page, "newmanager")  # no app yet: no code step
    page.goto(f"/assessments/{submitted.pk}/review/")
    page.get_by_text("Signing needs two-factor authentication").wait_for()
    axe_check(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()

    page.wait_for_url("**/accounts/two-factor/**")
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr_code.is_visible()
    # Drawn, not its alt text: a broken image has no natural size.
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 100")
    axe_check(page)
    page.get_by_label("6-digit code from the app").fill(code_from_the_page(page))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    assert page.locator("li.col").count() == 10
    axe_check(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_url(f"**/assessments/{submitted.pk}/review/")

    # A new session: after the password, the code step before any page.
    page.context.clear_cookies()
    log_in_with_password(page, "newmanager")
    assert "/accounts/login/code/" in page.url
    axe_check(page)
    enter_login_code(page, "newmanager")
    assert "/accounts/login/code/" not in page.url

    page.goto(f"/assessments/{submitted.pk}/review/")
    page.get_by_label("Reviewed").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        code_for(User.objects.get(username="newmanager"))
    )
    page.get_by_role("button", name="Sign off and finalise").click()

    page.get_by_text("Signed off.").wait_for()
    axe_check(page)
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.FINALISED


@pytest.mark.parametrize("width", WIDTHS)
def test_two_factor_authentication_is_in_the_account_menu(axe_page, manager, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in_with_password(page, manager.username)
    enter_login_code(page, manager.username)

    page.wait_for_load_state("load")  # the menus work once Bootstrap's script has run
    if width < 1200:  # Bootstrap's xl breakpoint (navbar-expand-xl): behind the toggler
        page.get_by_role("button", name="Toggle navigation").click()
        # Bootstrap's collapse animates ("collapsing") before it is "show": opening the
        # account menu mid-animation lost the click under a loaded CI machine.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="Manager · Harley Skin Clinic").click()
    page.get_by_role("link", name="Two-factor authentication").click()

    page.get_by_text("Two-factor authentication is on").wait_for()
    axe_check(page)
