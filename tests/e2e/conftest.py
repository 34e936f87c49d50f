"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page visited."""

import os
import shutil
import tempfile

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make
# around it are ordinary blocking calls, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI installs it with apt-get install chromium.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="safehaven-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Anything the strict Content-Security-Policy blocks is a bug in our templates: fail on it.
    blocked = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and blocked.append(msg.text))
    # The sandbox has no internet: answer the quick-exit destination locally so leaving can be seen.
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>BBC Weather</title>"),
    )
    yield page
    context.close()
    assert not blocked, blocked


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo, committed for the live server (copied back from a snapshot: tests/demo_snapshot.py)."""
    from tests import demo_snapshot

    demo_snapshot.seed_demo(transactional=True)
    return live_server


def site_url(live_server, host: str, path: str = "/") -> str:
    port = live_server.url.rsplit(":", 1)[1]
    return f"http://{host}:{port}{path}"


def assert_accessible(page):
    """Fail on any WCAG 2.2 A/AA violation axe-core finds on the current page."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, results.generate_report()
