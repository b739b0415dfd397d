"""Fixtures for the browser tests: Debian's Chromium driven by Playwright (sync API), a live
server that sees the seeded database and index, and a console watch for CSP violations.

Never downloads a browser: Playwright launches /usr/bin/chromium (override with CHROMIUM).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make system-deps` installs Debian's")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleWatch:
    """Console messages and page errors, with the CSP violations picked out."""

    def __init__(self):
        self.messages = []
        self.page_errors = []

    def on_console(self, message):
        self.messages.append((message.type, message.text))

    def on_page_error(self, error):
        self.page_errors.append(str(error))

    @property
    def csp_violations(self):
        return [
            text
            for _, text in self.messages
            if "Content Security Policy" in text or "Content-Security-Policy" in text
        ]

    @property
    def errors(self):
        return [text for kind, text in self.messages if kind == "error"] + self.page_errors


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh page (1366x900) with clipboard access and a console watch (`page.console`)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.console = watch
    try:
        yield page
    finally:
        context.close()
