"""The API's web pages in a real Chromium: a clinician creates a token (shown once), uses it
against the API, revokes it; and the Swagger docs page draws its operations with the app's
Content-Security-Policy enforced (no CDN, no inline script). axe on the token page at both
widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_clinician_creates_uses_and_revokes_a_token(axe_page, live_db, clinician):
    page = axe_page
    login(page, clinician.username)
    page.goto("/accounts/api-tokens/")
    expect(page.get_by_role("heading", name=re.compile("API tokens"))).to_be_visible()
    axe_check(page)

    page.get_by_label("Name").fill("Stock system")
    page.get_by_label("Write").check()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert token.startswith("exo_")
    axe_check(page)

    # The token works against the API from outside the browser session.
    response = page.request.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200, response.text()

    # Shown once: a reload does not show it again.
    page.goto("/accounts/api-tokens/")
    expect(page.get_by_role("textbox", name="Token", exact=True)).to_have_count(0)
    page.set_viewport_size(PHONE)
    axe_check(page)

    page.get_by_role("button", name=re.compile("Revoke")).first.click()
    expect(page.get_by_text(re.compile("Revoked"))).to_be_visible()
    response = page.request.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401


def test_docs_page_draws_the_operations_under_the_csp(browser, base_url, live_db, clinician):
    # A context that enforces the CSP (the axe fixture bypasses it), so a blocked script
    # would leave the page empty and log a violation.
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        login(page, clinician.username)
        page.goto("/api/v1/docs/")
        expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
        expect(page.get_by_text("/api/v1/evaluate").first).to_be_visible()
        assert violations == []
    finally:
        context.close()
