"""Browser-test plumbing: Debian's Chromium driven by pytest-playwright against a live server.

Mark every browser test ``@pytest.mark.browser`` and use the ``page`` fixture (or ``axe_page``
for accessibility checks), ``login(page, username)`` and ``axe_check(page)``. Without
/usr/bin/chromium the browser tests are left out with one summary line saying how to enable
them; with ``CI=true`` a missing browser is a failure, never a skip.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assessments.reference import sync_reference_data

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# a thread with a running loop unless told that this (single-threaded test) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("EXOCHECK_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_LEFT_OUT = pytest.StashKey[int]()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MISSING_BROWSER = (
    f"{CHROMIUM} is missing; run `make browser` (or `sudo apt-get install -y chromium`) "
    "to enable them"
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    # Outside CI, a machine without Chromium leaves the browser tests out and says so once
    # (see pytest_terminal_summary) rather than printing one skip line per test.
    if CHROMIUM.exists() or _in_ci():
        return
    left_out = [item for item in items if item.get_closest_marker("browser")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config.stash[_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config):
    left_out = config.stash.get(_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(f"SKIPPED {left_out} browser tests: {MISSING_BROWSER}")


def _require(path: Path, reason: str) -> None:
    if path.exists():
        return
    if _in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    # Session-scoped and autouse, so it runs before pytest-playwright launches anything.
    _require(CHROMIUM, MISSING_BROWSER)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A laptop-sized window by default; tests that need a tablet create their own context.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def base_url(live_server):
    """The live server's URL; pytest-playwright passes it to every context, so
    ``page.goto("/accounts/login/")`` works."""
    return live_server.url


@pytest.fixture
def live_db(live_server, transactional_db):
    """Live-server tests run in a transactional database that is flushed after each test,
    which also empties the reference data: create it again from the rules' vocabulary, as
    every migrate does.

    (Serialized rollback is not reliable here: Playwright's event loop gives Django a
    different connection object from the one the serialized copy was stored on.)"""
    sync_reference_data()
    return live_server


@pytest.fixture(autouse=True)
def _settings_for_live_server(settings):
    # Axes would count the browser's logins across tests; the lockout has its own tests.
    settings.AXES_ENABLED = False


@pytest.fixture
def context(context, base_url, live_db):
    """Every page may talk only to the live server: a forgotten CDN link fails the test
    instead of hanging it."""
    allowed = urlsplit(base_url).netloc

    def only_live_server(route):
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob"} or url.netloc == allowed:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", only_live_server)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def axe_page(browser, base_url, live_db):
    """A page whose context ignores the app's CSP, so axe-core can be injected (tests only)."""
    allowed = urlsplit(base_url).netloc
    context = browser.new_context(
        base_url=base_url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == allowed
            or urlsplit(route.request.url).scheme in {"data", "blob"}
            else route.abort("blockedbyclient")
        ),
    )
    yield context.new_page()
    context.close()


def login(page, username: str, password: str | None = None) -> None:
    """Log in through the real login form; ends on the page Django redirects to."""
    from tests.conftest import PASSWORD

    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def axe_violations(page) -> list[dict]:
    """Run axe-core (from npm) on the current page and return its serious/critical violations."""
    _require(AXE_JS, f"axe-core is missing at {AXE_JS} (run `npm ci`)")
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
