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
from tests.browser.support import in_ci, require

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# a thread with a running loop unless told that this (single-threaded test) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("EXOCHECK_CHROMIUM", "/usr/bin/chromium"))
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
MISSING_BROWSER = (
    f"{CHROMIUM} is missing; run `make browser` (or `sudo apt-get install -y chromium`) "
    "to enable them"
)


def pytest_collection_modifyitems(config, items):
    # Outside CI, a machine without Chromium leaves the browser tests out and says so once
    # (see pytest_terminal_summary) rather than printing one skip line per test.
    if CHROMIUM.exists() or in_ci():
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


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    # Session-scoped and autouse, so it runs before pytest-playwright launches anything.
    require(CHROMIUM, MISSING_BROWSER)


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
