"""A live server on the test database and Debian's chromium driven by Playwright."""

import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


@pytest.fixture
def live_server(app):
    """Serve the test app on a free local port, in threads, like `flask run`."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Request threads are joined at the end: a static file still being sent when the test ends
    # would otherwise be closed later by the garbage collector (a ResourceWarning).
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless (never a browser downloaded by Playwright)."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh French-speaking browser tab; console errors fail the test."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors = []

    def collect(message):
        # A form sent back with its messages answers 422 on purpose; chromium logs it.
        if message.type == "error" and "status of 422" not in message.text:
            errors.append(message.text)

    page.on("console", collect)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"errors in the browser console: {errors}"
