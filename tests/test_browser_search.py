"""Full-text search in a real browser (#30): Playwright driving Debian's Chromium.

The header's search box -> results with counts per kind -> a paragraph result -> the
resolution page, scrolled to that paragraph. Launched as ``tests/test_browser.py`` does.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from tests.conftest import watch

pytestmark = [pytest.mark.slow, pytest.mark.issue(30)]


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def page(request, browser, server):
    context = browser.new_context(viewport={"width": request.param, "height": 900},
                                  base_url=server)  # fmt: skip
    page = context.new_page()
    errors = watch(page)
    yield page
    context.close()
    assert not errors, errors  # no script error, no failed resource, no CSP violation


def test_search_from_the_header_to_the_paragraph(page, server):
    expected = httpx.get(server + "/api/search", params={"q": "Intervention Brigade"},
                         timeout=60).json()  # fmt: skip
    page.goto("/")
    page.fill("#site-q", "Intervention Brigade")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=Intervention+Brigade")
    expect(page.locator("#search-summary")).to_contain_text(f"{expected['total']} results")
    for kind, count in expected["counts"].items():
        expect(page.locator(f'#search-counts li[data-kind="{kind}"]')).to_contain_text(f"({count})")
    results = page.locator("#results > li")
    expect(results).to_have_count(min(expected["total"], 20))
    assert results.first.locator("mark").count() >= 2  # both words marked
    first = next(r for r in expected["results"] if r["kind"] == "paragraph")
    anchor = first["url"].split("#", 1)[1]
    page.locator(f'#results a[href="{first["url"]}"]').first.click()
    page.wait_for_url(f"**{first['url']}")
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{anchor}"


def test_facets_and_pages_move_through_the_results(page, server):
    page.goto("/search?q=Mali")
    expect(page.locator("#search-summary")).to_contain_text("page 1 of")
    page.locator('#search-counts li[data-kind="mission"] a').click()
    page.wait_for_url("**kind=mission**")
    expect(page.locator("#results > li")).to_have_count(
        httpx.get(server + "/api/search?q=Mali", timeout=60).json()["counts"]["mission"]
    )
    page.goto("/search?q=Mali")
    page.click("a[rel=next]")
    page.wait_for_url("**page=2**")
    expect(page.locator(".pager")).to_contain_text("page 2 of")
