"""The rendered book as a reader sees it: every page opened in headless Chromium.

No page may have a JavaScript error, a broken image, a raw traceback or raw notebook JSON; every
chapter shows the figures its notebook stored; the search page finds "return_sequences".
Screenshots of the front page and of chapter 1 are kept in _build/screenshots/.

Chromium and ChromeDriver come from the system package manager (`python3 tasks.py install`
installs them when it runs as root, as CI does). Without them this test fails in CI and is
skipped elsewhere, with the command that installs them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading

import nbformat
import pytest
from notebook_rules import ROOT, chapter_notebooks, toc_files

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver") or shutil.which("chromedriver", path=os.environ.get("CHROMEWEBDRIVER", ""))
SCREENSHOTS = ROOT / "_build" / "screenshots"

if not (CHROMIUM and DRIVER):
    message = "Chromium/ChromeDriver not installed: run `sudo apt-get install chromium chromium-driver`"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(_Quiet, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


PAGES = list(toc_files())
#: seconds a page may take to load, or the search to show its results, before the test fails
WAIT = 15


def _wait_for(browser, condition, what):
    """Wait until ``condition(browser)`` is truthy and return it; fail (not carry on) on a timeout."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(browser, WAIT, poll_frequency=0.1).until(condition)
    except TimeoutException:
        pytest.fail(f"waited {WAIT} s for {what}", pytrace=False)


def _open(browser, url):
    browser.get(url)
    _wait_for(browser, lambda b: b.execute_script("return document.readyState") == "complete", f"{url} to load")
    return browser.get_log("browser")


def _own_errors(logs, site):
    """JavaScript errors (uncaught exceptions, syntax errors) and failed loads of the book's own files.

    Failed loads of external resources (MathJax from its CDN) are the offline test machine's, not
    the book's; messages a script chooses to log with console.error (the theme logs one on a first
    visit, with no stored colour mode) are not JavaScript errors.
    """
    errors = []
    for entry in logs:
        if entry.get("level") != "SEVERE":
            continue
        text, source = entry.get("message", ""), entry.get("source", "")
        if source == "network" and not text.startswith(site):
            continue
        if source == "console-api":
            continue
        errors.append(text)
    return errors


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_cleanly(browser, site, page):
    logs = _open(browser, f"{site}/{page}.html")
    assert not _own_errors(logs, site), _own_errors(logs, site)
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert not broken, f"broken images: {broken}"
    text = browser.find_element("tag name", "main").text
    assert "Traceback (most recent call last)" not in text, "a raw traceback is shown"
    assert '"cell_type"' not in text and '"nbformat"' not in text, "raw notebook JSON is shown"
    assert browser.title and "LSTM Layers in Keras" in browser.title


def _stored_figures(path) -> int:
    nb = nbformat.read(path, as_version=4)
    count = 0
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type != "code" or {"remove-cell", "remove-output"} & tags:
            continue
        count += sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return count


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.stem)
def test_chapter_shows_its_figures(browser, site, path):
    if _stored_figures(path) == 0:
        pytest.skip(f"{path.name} stores no figure, so there is none to look for")
    rel = path.relative_to(ROOT).with_suffix(".html").as_posix()
    _open(browser, f"{site}/{rel}")
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('main img'))"
        ".filter(i => i.complete && i.naturalWidth > 0 && i.src.includes('_images/')).length"
    )
    assert shown >= _stored_figures(path), f"{shown} figures shown, {_stored_figures(path)} stored"


def test_search_finds_return_sequences(browser, site):
    _open(browser, f"{site}/search.html?q=return_sequences")
    results = _wait_for(
        browser,
        lambda b: b.execute_script(
            "return Array.from(document.querySelectorAll('#search-results li a')).map(a => a.href)"
        ),
        "the search page to list its results",
    )
    assert any("chapters/" in r for r in results), f"search results: {results}"


def test_screenshots_of_front_page_and_a_chapter(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page, name in (("intro", "front_page.png"), ("chapters/01_input_shape", "chapter_01_input_shape.png")):
        _open(browser, f"{site}/{page}.html")
        target = SCREENSHOTS / name
        assert browser.save_screenshot(str(target)), f"no screenshot of {page}"
        assert target.stat().st_size > 10_000
