"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

Playwright's own browser download does not work here, so the tests use
/usr/bin/chromium; without it they skip with a reason (or fail, when
REQUIRE_BROWSER=1 says the run must include them, as in CI).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    """Django's live server wraps itself in a media handler built from MEDIA_URL, which
    fails on our None (attachments are never served as media). Give it a path nothing
    links to; the app itself still serves files only through its access-checked view."""
    with override_settings(MEDIA_URL="/__media_never_served__/"):
        yield


def off_the_event_loop(function, *args, **kwargs):
    """Runs `function` in a worker thread and returns its result.

    Sync Playwright keeps an event loop running in the test thread, so code that
    reaches `async_to_sync` (the after-commit realtime push of every ticket
    service) cannot run there. Test data made through services goes through this.
    """

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for these tests; each test opens its own contexts.

    Package scope, not session: Playwright's event loop must be gone before any
    async test elsewhere in the suite wants to run its own.
    """
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium package."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Sync Playwright runs an event loop in this thread; Django would then refuse
    # the ORM calls the tests make to set up data. Nothing here is async.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh browser context (its own cookies), logged in as `user` if given."""
    contexts = []

    def open_page(user=None):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core on the page; the violations of the given impacts."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in impacts]
