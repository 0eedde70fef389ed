"""#30 in a real browser: the API docs render the OpenAPI 3.1 document, the "cite this"
button, permalinks to paragraphs and codes, the resolution page on a phone, the indexes.

Same set-up as ``test_browser.py`` (Debian's Chromium driven by Playwright, the real server);
every test fails on a script error, a failed resource or a CSP violation. Screenshots go to
``out/screenshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from tests.conftest import watch

from test_web_cite import check_csl, parse_bibtex

pytestmark = [pytest.mark.slow, pytest.mark.issue(30)]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "out" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _page(browser, server, viewport):
    context = browser.new_context(viewport=viewport, base_url=server, accept_downloads=True)
    page = context.new_page()
    errors = watch(page)
    return context, page, errors


@pytest.fixture
def page(browser, server):
    context, page, errors = _page(browser, server, {"width": 1280, "height": 900})
    yield page
    context.close()
    assert not errors, errors  # no script error, no failed resource, no CSP violation


@pytest.fixture
def phone(browser, server):
    context, page, errors = _page(browser, server, PHONE)
    yield page
    context.close()
    assert not errors, errors


def test_api_docs_render_every_operation(page, server):
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("peaceops explorer")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    shown = set(operations.all_inner_texts())
    spec = page.request.get(server + "/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    expected = {p.replace("\u200b", "") for p in spec["paths"]}
    assert {s.replace("\u200b", "").strip() for s in shown} == expected
    text = page.locator("#swagger-ui").inner_text()
    assert "/api/missions" in text.replace("\u200b", "")
    assert "/api/resolutions/{n}/cite" in text.replace("\u200b", "")
    assert "Unable to render" not in page.content()
    page.screenshot(path=SHOTS / "api-docs.png")


def test_docs_redirects_to_the_api_docs(page):
    page.goto("/docs")
    page.wait_for_url("**/api/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


def test_cite_this_shows_the_texts_and_downloads_files_that_parse(page):
    page.goto("/resolutions/2098")
    expect(page.locator("a[href='https://undocs.org/S/RES/2098(2013)']")).to_be_visible()
    expect(page.locator("a[href='https://undocs.org/S/PV.6943']")).to_be_visible()
    bibtex_text = page.locator("#cite-bibtex-text")
    expect(bibtex_text).to_be_hidden()
    page.click("details.cite summary")
    expect(bibtex_text).to_be_visible()
    [entry] = parse_bibtex(bibtex_text.inner_text())
    assert entry["fields"]["url"] == "https://undocs.org/S/RES/2098(2013)"
    with page.expect_download() as info:
        page.click("#cite-bibtex")
    download = info.value
    assert download.suggested_filename == "S-RES-2098-2013.bib"
    [entry] = parse_bibtex(Path(download.path()).read_text("utf-8"))
    assert entry["key"] == "unsc_res_2098_2013"
    with page.expect_download() as info:
        page.click("#cite-csl")
    assert info.value.suggested_filename == "S-RES-2098-2013.json"
    check_csl(json.loads(Path(info.value.path()).read_text("utf-8")))
    page.screenshot(path=SHOTS / "resolution-2098-cite.png")


def _in_viewport(page, selector: str) -> bool:
    """Are the words after an (empty) anchor on the screen?"""
    return page.evaluate(
        """(selector) => {
            const anchor = document.querySelector(selector);
            const range = document.createRange();
            range.setStartAfter(anchor);
            range.setEndAfter(anchor.nextSibling || anchor);
            const box = range.getBoundingClientRect();
            return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_a_permalink_opened_anew_shows_its_words(browser, server, viewport):
    context, page, errors = _page(browser, server, viewport)
    page.goto("/resolutions/2098#p-12-b-")
    page.wait_for_function("document.querySelector('p.para.permalinked') !== null")
    assert _in_viewport(page, "#p-12-b-")
    assert page.evaluate("window.scrollY") > 1000  # not the top of the page
    assert page.evaluate("CSS.highlights.has('permalink')")  # the sub-paragraph highlighted
    highlighted = page.evaluate(
        "[...CSS.highlights.get('permalink')][0].toString().trim().slice(0, 30)"
    )
    assert highlighted.startswith("(b)"), highlighted
    page.screenshot(path=SHOTS / f"resolution-2098-permalink-{viewport['width']}.png")
    context.close()
    assert not errors, errors


def test_selecting_a_paragraph_or_a_code_puts_its_anchor_in_the_address(page):
    page.goto("/resolutions/2098")
    page.click("#p-8 a.label")
    # the page's script sets the hash after the click: wait for it (the CI saw it late)
    page.wait_for_function("location.hash === '#p-8'", timeout=10_000)
    expect(page.locator("#p-8")).to_have_class("para operative permalinked")
    first = page.locator("#evidence button.ev.code").first
    key = first.get_attribute("data-key")
    first.click()
    page.wait_for_function(f"location.hash === '#ev-{key}'", timeout=10_000)
    expect(first).to_have_attribute("aria-pressed", "true")
    # a code's link opened anew: it is in view and selected
    url = page.url
    context = page.context
    fresh = context.new_page()
    fresh.goto(url)
    expect(fresh.locator(f"#ev-{key} button.ev")).to_have_attribute("aria-pressed", "true")
    expect(fresh.locator(f"#ev-{key}")).to_be_in_viewport()
    fresh.close()
    # words inside sub-paragraph (b) of paragraph 12: the address names (b)
    page.evaluate(
        """() => {
            const anchor = document.getElementById('p-12-b-');
            const r = document.createRange(); r.setStartAfter(anchor);
            r.setEndAfter(anchor.nextSibling);
            const first = () => [...r.getClientRects()].find((b) => b.width > 4);
            window.scrollBy(0, first().top - 200);
            const box = first();
            const x = box.left + 2, y = box.top + box.height / 2;
            const target = document.elementFromPoint(x, y);
            target.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: x, clientY: y}));
        }"""
    )
    assert page.evaluate("location.hash") == "#p-12-b-"


def test_the_resolution_page_on_a_phone(phone):
    phone.goto("/resolutions/2098")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # each paragraph's evidence right under it: the first code of paragraph 8 is within a
    # screen of the paragraph's end, not thousands of pixels below
    gap = phone.evaluate(
        """() => {
            const para = document.getElementById('p-8');
            const list = para.nextElementSibling;
            return list.getBoundingClientRect().top - para.getBoundingClientRect().bottom;
        }"""
    )
    assert 0 <= gap < 100, gap
    phone.screenshot(path=SHOTS / "resolution-2098-390.png")
    phone.click("details.cite summary")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", ["/resolutions", "/groups", "/forecast", "/api/docs",
                                  "/groups/m23"])  # fmt: skip
def test_indexes_fit_a_phone_and_a_screen(browser, server, path):
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context, page, errors = _page(browser, server, viewport)
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, viewport, width)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=SHOTS / f"{name}-{viewport['width']}.png")
        context.close()
        assert not errors, (path, errors)
