"""Browser fixtures: the real site served on loopback, and the system Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from generator.bench import served
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail(
            "The browser tests need a system Chromium: run `make test`, which installs "
            "Debian's chromium as root, or install it yourself and set CHROMIUM=/path."
        )
    return path


serve = served  # the site on a free loopback port, as make bench serves it


@pytest.fixture(scope="session")
def base_url(real_site: Path):
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def points_url(points_site: Path):
    with serve(points_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page with everything it asked for and every error it logged."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        page.set_default_timeout(10_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str):
        self.page.goto(self.base_url + path, wait_until="networkidle")
        return self.page

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith((self.base_url + "/", "data:", "blob:", "about:"))
        ]


@pytest.fixture
def visit(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Visit(page, base_url)
    context.close()


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield Visit(page, base_url)
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
