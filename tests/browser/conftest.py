"""A real browser for the tests of the pages: Debian's Chromium driven by Playwright.

The browser is the ``chromium`` program (``$HYOSAN_CHROMIUM``, else ``chromium``
on the ``PATH``, else ``/usr/bin/chromium``), launched headless by
Playwright's Python package with ``executable_path``: Playwright never
downloads a browser of its own. ``.ci/run`` installs Debian's ``chromium``
when it is missing and sets ``HYOSAN_REQUIRE_BROWSER=1``: there a missing
browser fails the tests; elsewhere they are skipped with the reason.

Each test gets a fresh page (``page``) whose console errors and page errors
are collected (``console_errors``); :func:`shot` saves a screenshot under
``out/browser/`` at the root of the checkout, to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "out" / "browser"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
"""Chromium's flags: no sandbox (CI runs as root), and no calls home on a closed network."""


def chromium_path() -> str | None:
    """The Chromium program to drive, or None when this machine has none."""
    named = os.environ.get("HYOSAN_CHROMIUM")
    if named:
        return named
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "no Chromium here: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("HYOSAN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def console_errors() -> list[str]:
    return []


@pytest.fixture()
def page(browser: Any, console_errors: list[str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: console_errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()


def shot(page: Any, name: str) -> Path:
    """Save a screenshot of ``page`` as ``out/browser/NAME.png``; return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
