"""The explorer and the reports in a real browser: Playwright driving Debian's Chromium.

The server is the real one (session fixture ``server``); Chromium is ``/usr/bin/chromium``
(``.ci/run`` installs it; the tests fail, never skip, without it). Each test saves screenshots
to ``out/screenshots/`` (test artefacts, looked at before a page is called done); the ones in
the README and ``docs/screenshots/`` are taken by ``make screenshots`` only (#30: the suite
leaves the tree as it found it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pandas as pd
import pytest
from playwright.sync_api import expect
from tests.conftest import watch

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "out" / "screenshots"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server,
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    errors = watch(page)
    yield page
    context.close()
    assert not errors, errors  # no script error, no failed resource, no CSP violation


def _api(server: str, path: str):
    return httpx.get(server + path, timeout=60).json()


def test_mission_list_filters_and_search(page, server):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Missions")
    # facets (#30: checkboxes with counts, which replaced one select per filter)
    page.check("#facet-type input[value=pko]")
    page.check("#facet-region input[value=Africa]")
    page.check("#facet-status input[value=closed]")
    page.click("form.facets button[type=submit]")
    page.wait_for_url("**/?type=pko**")
    expected = _api(server, "/api/missions?type=pko&region=Africa&status=closed")
    rows = page.locator("#missions tbody tr")
    expect(rows).to_have_count(expected["count"])
    assert "MINUSMA" in page.locator("#missions").inner_text()
    page.screenshot(path=SHOTS / "missions-filtered.png")
    page.fill("#site-q", "March 23")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=March**")  # the header's box is the full-text search (#30)
    page.locator('#results a[href="/groups/m23"]').first.click()
    expect(page.locator("h1")).to_contain_text("M23")
    assert page.locator("#named tbody tr").count() > 3


def test_mission_to_resolution_to_evidence_and_back(page, server):
    page.goto("/missions/MINUSMA")
    expect(page.locator("h1")).to_have_text("MINUSMA")
    years = _api(server, "/api/missions/MINUSMA/mandates")["impartiality"]
    # a year whose text has no partial or even-handed term has no index: no mark
    coded = sum(y["basis"] == "coded" and y["index"] is not None for y in years)
    carried = sum(y["basis"] == "carried_forward" and y["index"] is not None for y in years)
    # every chart rendered, with one mark per year of each basis
    expect(page.locator("#fig-index svg #marks-coded use")).to_have_count(coded)
    expect(page.locator("#fig-index svg #marks-carried use")).to_have_count(carried)
    assert page.locator("#fig-timeline svg path").count() > 50
    expect(page.locator("#fig-strength svg #line-deployed path")).to_have_count(1)
    # a point of the chart gives its numbers: click (or Enter) marks its row in the table
    first_coded = next(y for y in years if y["basis"] == "coded" and y["index"] is not None)
    page.locator("#fig-index use.mark").first.click()
    expect(page.locator("#fig-index .mark-status")).to_contain_text(f"year {first_coded['year']}")
    expect(page.locator("#fig-index + details tr.selected td").first).to_have_text(
        str(first_coded["year"])
    )
    page.screenshot(path=SHOTS / "mission-MINUSMA.png")

    page.click("#resolutions a[href='/resolutions/2100']")
    expect(page.locator("h1")).to_have_text("S/RES/2100 (2013)")
    first = page.locator("#evidence button.ev.code").first
    label = first.inner_text()
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    assert page.locator("mark.selected").count() >= 1
    expect(page.locator("#selection")).to_contain_text(label)
    mark = page.locator("mark.code").nth(3)
    mark.focus()
    page.keyboard.press("Enter")  # words -> their codes, by keyboard
    expect(page.locator("#selection ul.selected-codes li")).not_to_have_count(0)
    page.screenshot(path=SHOTS / "resolution-2100.png")
    page.go_back()
    expect(page.locator("h1")).to_have_text("MINUSMA")


def test_resolution_page_highlights_every_code(page, server):
    page.goto("/resolutions/2098")
    codes = _api(server, "/api/resolutions/2098/codes")
    expected = (
        len(codes["codes"]) + len(codes["targets"]) + (codes["chapter_vii"]["start"] is not None)
    )
    expect(page.locator("#evidence li")).to_have_count(expected)
    keys = set()
    for value in page.locator("mark[data-keys]").evaluate_all("ms => ms.map(m => m.dataset.keys)"):
        keys.update(value.split())
    assert keys == {str(k) for k in range(1, expected + 1)}  # every item has its words
    page.screenshot(path=SHOTS / "resolution-2098.png", full_page=True)


def test_compare_two_missions(page, server):
    page.goto("/compare")
    page.fill("#compare-missions", "MINUSMA,UNAMA")
    page.click("form.filters button[type=submit]")
    expect(page.locator("h2#h-cmp")).to_contain_text("MINUSMA, UNAMA")
    document = _api(server, "/api/compare?missions=MINUSMA,UNAMA")
    for mission in document["missions"]:
        name, years = mission["mission"], mission["impartiality"]
        coded = sum(y["basis"] == "coded" and y["index"] is not None for y in years)
        expect(page.locator(f"#fig-compare svg #marks-{name}-coded use")).to_have_count(coded)
    expect(page.locator("#consent-counts tbody tr")).to_have_count(2)
    page.screenshot(path=SHOTS / "compare.png")


def test_council_votes_page(page, server):
    page.goto("/council")
    page.fill("#council-from", "2015")
    page.fill("#council-to", "2022")
    page.select_option("#council-member", "CHN")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**member=CHN**")
    expect(page.locator("#member-votes tbody tr")).to_have_count(8)
    assert page.locator("#fig-fragmentation svg path").count() > 10
    assert page.locator("#fig-p5 svg path").count() > 5
    page.screenshot(path=SHOTS / "council.png")


def test_run_a_small_simulation_to_completion(page):
    page.goto("/simulate?mission=UNAMA")
    expect(page.locator("#sim-mission")).to_have_value("UNAMA")
    page.fill("#sim-seeds", "5")
    page.click("#sim-run")
    page.wait_for_url("**/simulations/**")
    expect(page.locator("#fig-fan svg")).to_be_visible(timeout=120_000)
    expect(page.locator("#job-state")).to_have_text("done")
    expect(page.locator("#fig-fan svg #median-consent path")).to_have_count(1)
    expect(page.locator("#fig-fan svg #band-legitimacy path")).to_have_count(1)
    expect(page.locator(".note.simulated")).to_contain_text("SIMULATED")
    page.screenshot(path=SHOTS / "simulation.png")


def test_download_a_csv_and_read_it_back(page, server, tmp_path):
    page.goto("/missions/MINUSMA")
    with page.expect_download() as info:
        page.click("#h-index ~ p .downloads a:has-text('CSV')")
    path = tmp_path / "download.csv"
    info.value.save_as(path)
    frame = pd.read_csv(path)
    years = _api(server, "/api/missions/MINUSMA/mandates")["impartiality"]
    assert list(frame["year"]) == [y["year"] for y in years]
    assert list(frame["basis"]) == [y["basis"] for y in years]
    assert info.value.suggested_filename == "mission-impartiality-MINUSMA.csv"


def test_keyboard_reaches_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_the_self_contained_report_renders_offline(browser, built_db, tmp_path):
    output = tmp_path / "MINUSMA.html"
    subprocess.run(
        [sys.executable, "-m", "peaceops", "report", "mission", "MINUSMA", "--seeds", "10",
         "-o", str(output), "--db", str(built_db)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(output.as_uri())
    assert requests == [output.as_uri()]  # nothing else is fetched
    assert page.locator("figure svg").count() >= 4
    assert page.locator("svg #marks-coded use").count() >= 1
    expect(page.locator("svg #median-consent path")).to_have_count(1)
    page.screenshot(path=SHOTS / "report-MINUSMA.png")
    context.close()
