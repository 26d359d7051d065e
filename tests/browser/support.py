"""What browser tests share: logging in through the real form and checking a page with axe."""

import os
import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD, code_for

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(path: Path, reason: str) -> None:
    """Skip when a file the browser tests need is missing; in CI, fail instead."""
    if path.exists():
        return
    if in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def login(page, username: str, password: str | None = None) -> None:
    """Log in through the real login form; ends on the page Django redirects to. A user with
    two-factor authentication (managers, clinic admins) types their app's current code."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if "/accounts/login/code/" in page.url:
        enter_login_code(page, username)


def log_out(page, account_name: str) -> None:
    """Log out through the account menu. The menu is Bootstrap's dropdown, which works once
    the page's scripts have run: wait for the load event first, or on a busy machine the
    click lands before the dropdown is wired and the menu never opens."""
    page.wait_for_load_state("load")
    page.get_by_role("button", name=re.compile(account_name)).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def enter_login_code(page, username: str) -> None:
    """The second step of log-in, with the code the user's authenticator app shows now."""
    from clinics.models import User

    page.get_by_label("Code from your authenticator app").fill(
        code_for(User.objects.get(username=username))
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def axe_violations(page) -> list[dict]:
    """Run axe-core (from npm) on the current page and return its serious/critical violations."""
    require(AXE_JS, f"axe-core is missing at {AXE_JS} (run `npm ci`)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def axe_check(page) -> None:
    """Fail with a readable list when the page has a serious or critical WCAG violation.

    Needs a context created with ``bypass_csp=True`` (use the ``axe_page`` fixture)."""
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
