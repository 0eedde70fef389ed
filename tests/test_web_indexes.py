"""Browsing (#30): the resolutions index, the armed groups index, the forecast overview, the
group page's namings, and simulation job pages that survive a restart of the server.
"""

from __future__ import annotations

import copy
import html
import re
import time

import httpx
import pytest

from conftest import start_server
from peaceops.forecast.panel import FEATURES
from peaceops.forecast.summary import backtest_summary, skill_line
from peaceops.web.api import forecast_document
from peaceops.web.indexes import PAGE_SIZE, SKILL_MODELS, namings, resolution_index
from peaceops.web.jobs import JOB_ID, job_id
from peaceops.web.render import render

pytestmark = [pytest.mark.slow, pytest.mark.issue(30)]


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td><a href="/resolutions/(\d+)">S/RES/', html)]


def test_resolutions_index_pages_through_every_resolution(http, db):
    total = int(db.scalar("SELECT count(*) FROM resolutions"))
    first = http.get("/resolutions")
    assert first.status_code == 200
    assert f"{total} resolution(s)" in first.text
    assert _numbers(first.text) == list(range(1, PAGE_SIZE + 1))
    pages = -(-total // PAGE_SIZE)
    last = http.get("/resolutions", params={"page": pages})
    assert _numbers(last.text)[-1] == db.scalar("SELECT max(number) FROM resolutions")
    assert 'rel="next"' not in last.text and 'rel="prev"' in last.text


def test_resolutions_index_filters_and_sorts(http, db):
    page = http.get("/resolutions", params={"from": 2010, "to": 2013, "mission": "monusco",
                                            "sort": "-date"}).text  # fmt: skip
    numbers = _numbers(page)
    expected = [
        n
        for (n,) in db.tuples(
            "SELECT r.number FROM resolutions r WHERE r.year BETWEEN 2010 AND 2013 AND r.number "
            "IN (SELECT number FROM mandate_history WHERE acronym = 'MONUSCO') "
            "ORDER BY r.date DESC, r.number DESC"
        )
    ]
    assert numbers == expected and 2098 in numbers
    by_date = resolution_index(db, sort="date")["rows"]
    dates = [r["date"] for r in by_date]
    assert dates == sorted(dates)
    assert resolution_index(db, sort="-number")["rows"][0]["number"] == db.scalar(
        "SELECT max(number) FROM resolutions"
    )


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"page": 9999}, 404, "no page"),
        ({"page": 10**6}, 422, "page"),
        ({"page": 10**30}, 422, "page"),
        ({"page": 0}, 422, "page"),
        ({"page": "abc"}, 422, "page"),
        ({"from": 2015, "to": 2010}, 400, "swap"),
        ({"from": 1800}, 422, "from"),
        ({"to": "1 OR 1=1"}, 422, "to"),
        ({"mission": "NOPE"}, 404, "NOPE"),
        ({"mission": "../../etc/passwd"}, 404, "registry"),
        ({"mission": "x" * 41}, 422, "mission"),
        ({"sort": "title; DROP TABLE resolutions"}, 422, "sort"),
        ({"sort": "year"}, 400, "number, -number, date, -date"),
    ],
)
def test_resolutions_index_refuses_bad_parameters(http, params, status, words):
    answer = http.get("/resolutions", params=params)
    assert answer.status_code == status, answer.text[:300]
    assert words in answer.text


def test_resolutions_index_with_a_5kb_query_string(server):
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
    connection.request("GET", "/resolutions?mission=" + "M" * 5000)
    assert connection.getresponse().status == 414
    connection.close()


def test_groups_index_lists_the_armed_groups(http, db):
    page = http.get("/groups").text
    groups = int(db.scalar("SELECT count(*) FROM actors WHERE kind = 'armed_group'"))
    assert f"{groups} armed group(s)" in page
    assert 'href="/groups/m23"' in page
    every = http.get("/groups", params={"kind": "all"}).text
    assert every.count('<tr><td><a href="/groups/') == db.scalar("SELECT count(*) FROM actors")
    bad = http.get("/groups", params={"kind": "<script>x</script>"})
    assert bad.status_code == 400 and "armed_group" in bad.text
    assert "<script>x</script>" not in bad.text
    assert http.get("/groups", params={"kind": "k" * 5000}).status_code == 414


def test_group_page_shows_each_naming_once(http, db):
    page = http.get("/groups/m23").text
    rows = re.findall(r'<tr><td><a href="/resolutions/(\d+)">S/RES/\d+</a></td>\s*<td>(.*?)</td>'
                      r"\s*<td>(.*?)</td>", page)  # fmt: skip
    assert rows, page[:500]
    assert len(rows) == len(set(rows))  # no two rows alike
    found = namings(db, "m23")
    assert len(found) == len(rows)
    # 2076 para 1 names M23 twice: one row, two pieces of words
    [para1] = [n for n in found if n["resolution"] == 2076 and n["paragraph"] == "1"]
    assert len(para1["words"]) == 2
    assert all(w["words"] == "M23" and w["before"] for w in para1["words"])
    assert 'href="/resolutions/2098#p-12-b-"' in page  # the paragraph link
    occurrences = db.scalar("SELECT count(*) FROM targets WHERE actor_id = 'm23'")
    assert sum(len(n["words"]) for n in found) == occurrences  # nothing lost


def test_every_paragraph_link_of_a_group_page_lands_on_an_anchor(http):
    page = http.get("/groups/m23").text
    targets = set(re.findall(r'href="/resolutions/(\d+)#(p-[A-Za-z0-9-]+)"', page))
    assert targets
    for number, anchor in sorted(targets)[:40]:
        assert f'id="{anchor}"' in http.get(f"/resolutions/{number}").text, (number, anchor)


def test_forecast_page_shows_the_document_as_model_output(http):
    document = http.get("/api/forecast").json()
    page = http.get("/forecast").text
    assert page.count("model output") >= len(document["missions"])
    for mission in document["missions"]:
        assert f'href="/missions/{mission["mission"]}"' in page
        assert f"{100 * mission['probability']:.1f}%" in page
    summary = backtest_summary()
    assert summary is not None  # packaged with the model
    assert html.escape(skill_line(summary)) in page
    assert f"{summary['models']['hazard']['brier']:.5f}" in page
    assert ("does not beat" in page) != summary["beats_base_rate"]
    # features in words: no raw name (partial_terms, chapter_vii) in the carried-forward cells
    assert not [f.name for f in FEATURES if "_" in f.name and f.name in page]


def test_every_forecast_has_its_skill_beside_it(http):
    """#31: the explorer's forecast document, its page, every mission page and the skill API."""
    line = skill_line(backtest_summary())
    assert http.get("/api/forecast").json()["skill"] == line
    assert http.get("/api/forecast/skill").json() == backtest_summary()
    for mission in ("UNAMA", "MINUSMA"):  # at risk, and ended (the line stands either way)
        page = http.get(f"/missions/{mission}").text
        assert html.escape(line) in page and 'href="/forecast#skill"' in page


def _forecast_page(document: dict, summary: dict | None) -> str:
    return render("forecast.html", title="Forecast", doc=document, skill=summary,
                  skill_line=skill_line(summary), models=SKILL_MODELS)  # fmt: skip


def test_the_skill_shown_follows_the_summary(db):
    """The same page says the model beats the base rate, and that mandate features add skill,
    when the backtest says so (a summary changed in the test), and that there is no skill
    where no summary is packaged."""
    document = forecast_document(db)
    summary = copy.deepcopy(backtest_summary())
    assert "does not beat" in _forecast_page(document, summary)
    assert "Do the mandate features add skill? <strong>No</strong>" in _forecast_page(
        document, summary
    )
    summary["beats_base_rate"] = summary["models"]["hazard"]["beats_base_rate"] = True
    summary["models"]["hazard"]["brier_skill"] |= {"value": 0.2, "low": 0.05, "high": 0.3}
    summary["mandate_features_add_skill"] |= {"value": True, "difference": -0.002}
    page = _forecast_page(document, summary)
    assert "does not beat" not in page and "beats the base rate" in page
    assert "Do the mandate features add skill? <strong>Yes</strong>" in page
    assert "not available here" in _forecast_page(document, None)


def test_job_ids_carry_their_parameters():
    made = job_id("UNEF I", 20, 3, "no-stabilization")
    match = JOB_ID.fullmatch(made)
    assert match and match["mission"] == "UNEF_I" and match["seeds"] == "20"
    assert match["counterfactual"] == "no-stabilization"
    assert JOB_ID.fullmatch(job_id("MINUSMA", 1, 0, None))["counterfactual"] == "none"


def _wait(client: httpx.Client, job: str) -> dict:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        answer = client.get(f"/api/simulations/{job}").json()
        if answer["state"] in ("done", "failed"):
            return answer
        time.sleep(0.5)
    raise AssertionError(f"job {job} did not finish")


def test_a_job_page_survives_a_restart(built_db):
    process, url = start_server(built_db)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            started = client.post("/api/simulations", json={"mission": "UNAMA", "seeds": 2})
            job = started.json()["id"]
            before = _wait(client, job)
    finally:
        process.terminate()
        process.wait(10)
    assert before["state"] == "done", before
    process, url = start_server(built_db)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            page = client.get(f"/simulations/{job}")
            assert page.status_code == 200  # the old link resolves: the job runs again
            after = _wait(client, job)
            assert after["result"] == before["result"]  # deterministic: the same fan
            assert "svg" in client.get(f"/simulations/{job}").text
            hostile_ids = (
                "UNAMA.2.0.none.zzzz",
                "UNAMA.999999.0.none.00000000",
                "UNAMA.2.0.no-such.00000000",
                "..%2F..%2Fetc.2.0.none.00000000",
            )
            for hostile in hostile_ids:
                answer = client.get(f"/api/simulations/{hostile}")
                assert answer.status_code in (400, 404), (hostile, answer.text[:200])
    finally:
        process.terminate()
        process.wait(10)
