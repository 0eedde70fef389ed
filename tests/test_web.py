"""The web explorer over real HTTP: pages, the JSON API, downloads, jobs, and hostile requests.

The server is the real one (``peaceops serve`` on uvicorn, session fixture ``server``) over the
knowledge base built from the real data; the client is httpx. Browser tests are in
``test_browser.py``.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import time

import httpx
import pandas as pd
import pytest

from peaceops.jsonable import to_json
from peaceops.sim.run import fan
from peaceops.store import browse, queries
from peaceops.store.search import search

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?type=pko&region=Africa&status=closed",
        "/?q=minusma",
        "/missions/MINUSMA",
        "/missions/unama",
        "/missions/MINUSMA/report.html",
        "/resolutions/2098",
        "/resolutions/S%2FRES%2F2100%20(2013)",
        "/resolutions/2690",
        "/groups/m23",
        "/compare",
        "/compare?missions=MINUSMA,MONUSCO",
        "/compare?missions=MINUSMA&missions=UNAMA",
        "/simulate",
        "/simulate?mission=MINUSMA",
        "/council",
        "/council?from=2010&to=2022&member=RUS",
        "/api/council?from=2020&to=2022",
        "/paper",
        "/api/docs",
        "/api/openapi.json",
        "/static/peaceops.css",
        "/static/peaceops.js",
    ],
)
def test_every_page_answers(http, path):
    answer = http.get(path)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["x-content-type-options"] == "nosniff"
    if answer.headers["content-type"].startswith("text/html"):
        assert "https://" not in answer.text.split("<body")[0]  # nothing loaded from elsewhere
        assert "cdn" not in answer.text.lower()


@pytest.mark.parametrize(
    ("path", "command", "build"),
    [
        ("/api/missions/MINUSMA", ["show", "mission", "MINUSMA"], None),
        ("/api/missions/MINUSMA/mandates", ["show", "mission", "MINUSMA", "--mandates"], None),
        ("/api/resolutions/2098", ["show", "resolution", "2098"], None),
        ("/api/resolutions/2098/codes", ["show", "resolution", "2098", "--codes"], None),
        ("/api/paper", ["paper"], None),
        ("/api/forecast", ["forecast"], None),
    ],
)
def test_the_api_returns_the_documents_of_the_command_line(http, built_db, path, command, build):
    cli = subprocess.run(
        [sys.executable, "-m", "peaceops", *command, "--json", "--db", str(built_db)],
        capture_output=True,
        check=True,
    )
    answer = http.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.content == cli.stdout


def test_api_documents_equal_the_queries(http, db):
    assert (
        http.get("/api/compare?missions=MINUSMA,MONUSCO").text
        == to_json(queries.compare_missions(db, ["MINUSMA", "MONUSCO"])) + "\n"
    )
    assert http.get("/api/search?q=M23").json() == search(db, "M23")
    assert http.get("/api/missions?instrument=partial").json() == browse.missions(
        db, instrument="partial"
    )


def test_the_mission_page_shows_the_forecast_as_a_model_output(http):
    page = http.get("/missions/UNMISS").text
    assert 'id="forecast-probability"' in page and "a model output, not an observation" in page
    assert 'id="forecast-drivers"' in page
    asked = http.get("/missions/MONUSCO").text
    assert "asked MONUSCO to leave on 2023-09-20" in asked
    ended = http.get("/missions/MINUSMA").text
    assert "Not forecast: MINUSMA was not deployed" in ended


def test_the_paper_page_links_its_evidence(http):
    page = http.get("/paper").text
    for number in range(1, 14):
        assert f'id="claim-{number}"' in page
    # each evidence link goes to its paragraph's anchor, and the anchor is on the page (#29)
    import re

    links = set(re.findall(r'href="/resolutions/(\d+)#(p-[A-Za-z0-9-]+)"', page))
    assert ("1270", "p-14") in links
    for number, anchor in sorted(links)[:6]:
        assert f'id="{anchor}"' in http.get(f"/resolutions/{number}").text, (number, anchor)
    # the mission page's paragraph links land too
    mission = http.get("/missions/MINUSMA").text
    for number, anchor in set(re.findall(r'href="/resolutions/(\d+)#(p-[^"]+)"', mission)):
        assert f'id="{anchor}"' in http.get(f"/resolutions/{number}").text, (number, anchor)


def test_mission_filters(http, db):
    everything = http.get("/api/missions").json()
    assert everything["count"] == db.scalar("SELECT count(*) FROM missions")
    africa = http.get("/api/missions", params={"region": "africa", "type": "pko"}).json()
    assert africa["count"] > 10
    assert all("Africa" in m["regions"] and m["type"] == "pko" for m in africa["missions"])
    active = http.get("/api/missions", params={"status": "active"}).json()["missions"]
    assert {m["acronym"] for m in active} >= {"UNMISS", "MONUSCO", "UNAMA"}
    assert "MINUSMA" not in {m["acronym"] for m in active}
    mali = http.get("/api/missions", params={"host": "mli"}).json()["missions"]
    assert "MINUSMA" in {m["acronym"] for m in mali}
    ch7 = {
        m["acronym"] for m in http.get("/api/missions?instrument=chapter-vii").json()["missions"]
    }
    expected = {
        a
        for (a,) in db.tuples(
            "SELECT DISTINCT acronym FROM mandate_history JOIN chapter_vii "
            "ON chapter_vii.resolution = number WHERE operative AND confirmed "
            "AND role <> 'tasks'"
        )
    }
    assert ch7 == expected
    page = http.get("/", params={"instrument": "partial"}).text
    assert 'href="/missions/MINUSMA"' in page and 'href="/missions/UNAMA"' not in page


def test_search_finds_missions_resolutions_and_groups(http):
    found = http.get("/api/search", params={"q": "MINUSMA", "kind": "mission"}).json()
    assert "/missions/MINUSMA" in {r["url"] for r in found["results"]}
    found = http.get("/api/search", params={"q": "S/RES/2098", "kind": "resolution"}).json()
    assert found["results"][0]["url"] == "/resolutions/2098"
    groups = http.get("/api/search", params={"q": "March 23", "kind": "group"}).json()
    assert [g["url"] for g in groups["results"]] == ["/groups/m23"]
    page = http.get("/", params={"q": "2098"}).text
    assert 'href="/resolutions/2098"' in page


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_downloads_are_the_tables_shown(http, db, fmt):
    answer = http.get(f"/download/mission-impartiality.{fmt}", params={"mission": "MINUSMA"})
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    frame = (
        pd.read_csv(io.BytesIO(answer.content))
        if fmt == "csv"
        else pd.read_parquet(io.BytesIO(answer.content))
    )
    years = queries.mission_mandates(db, "MINUSMA")["impartiality"]
    assert list(frame["year"]) == [y["year"] for y in years]
    assert list(frame["basis"]) == [y["basis"] for y in years]  # carried forward stays marked
    assert "carried_forward" in set(frame["basis"])


def test_every_download_link_on_a_page_works(http):
    import re

    for page in ("/missions/MINUSMA", "/resolutions/2098", "/compare?missions=MINUSMA,UNAMA", "/",
                 "/groups/m23", "/council?from=2020&to=2022"):  # fmt: skip
        links = set(re.findall(r'href="(/download/[^"]+)"', http.get(page).text))
        assert links, page
        for link in links:
            answer = http.get(link.replace("&amp;", "&"))
            assert answer.status_code == 200, (link, answer.text[:200])
            assert len(answer.content) > 20


def test_a_simulation_job_runs_to_the_same_fan_as_the_library(http, db):
    started = http.post("/api/simulations", json={"mission": "minusma", "seeds": 4, "seed": 3})
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["simulated"] is True and job["mission"] == "MINUSMA"
    deadline = time.monotonic() + 120
    while job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
        job = http.get(f"/api/simulations/{job['id']}").json()
    assert job["state"] == "done", job
    assert job["result"] == fan(db, "MINUSMA", seed=3, seeds=4)
    page = http.get(f"/simulations/{job['id']}").text
    assert "SIMULATED" in page and 'id="fig-fan"' in page
    table = pd.read_csv(io.BytesIO(http.get(f"/download/simulation.csv?job={job['id']}").content))
    assert table["simulated"].all() and len(table) == len(job["result"]["months"])


# Hostile requests: each gets a 4xx with a message, never a 500, and the store is unchanged.

SQL = ["' OR 1=1 --", "1; DROP TABLE missions; --", "MINUSMA' UNION SELECT * FROM codes --",
       "%' AND sleep(5) --", "\x00", "../../etc/passwd", "<script>alert(1)</script>"]  # fmt: skip


def _hostile_requests():
    for value in SQL:
        for name in ("type", "region", "host", "status", "instrument", "q"):
            yield "GET", "/api/missions", {name: value}
            yield "GET", "/", {name: value}
        yield "GET", "/api/search", {"q": value}
        yield "GET", f"/api/missions/{value}", None
        yield "GET", f"/missions/{value}", None
        yield "GET", f"/resolutions/{value}", None
        yield "GET", f"/api/resolutions/{value}/codes", None
        yield "GET", "/compare", {"missions": value}
        yield "GET", "/api/compare", {"missions": value}
        yield "GET", f"/groups/{value}", None
        yield "GET", "/download/mission-votes.csv", {"mission": value}
        yield "GET", "/download/missions.csv", {"instrument": value}
        yield "GET", f"/api/simulations/{value}", None
        yield "GET", f"/simulations/{value}", None
        yield "GET", "/council", {"member": value}
        yield "GET", "/council", {"from": value}
        yield "GET", "/api/council", {"to": value}
        yield "GET", "/download/council-members.csv", {"member": value, "from": value}


def test_hostile_requests_get_clear_4xx_answers_and_change_nothing(http, built_db):
    before = _sha256(built_db)
    for method, path, params in _hostile_requests():
        answer = http.request(method, path.replace("\x00", "%00"), params=params)
        assert answer.status_code < 500, (path, params, answer.text[:300])
        if answer.status_code >= 400:
            is_json = answer.headers["content-type"].startswith("application/json")
            text = answer.json()["error"] if is_json else answer.text
            assert len(text) > 10, (path, params)
        if answer.headers["content-type"].startswith("text/html"):
            assert "<script>alert(1)</script>" not in answer.text  # escaped wherever echoed
    assert _sha256(built_db) == before
    assert http.get("/api/missions/MINUSMA").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/download/..%2F..%2F..%2Fetc%2Fpasswd",
        "/download/%2E%2E%2Fpyproject.toml",
        "/download/missions.exe",
        "/download/missions.csv%00.txt",
        "/download/mission-votes.csv",  # no mission named
        "/static/..%2F..%2Fstore%2Fdatabase.py",
        "/static/%2E%2E/app.py",
        "/api/docs/assets/..%2F..%2F..%2F__init__.py",
    ],
)
def test_path_traversal_is_refused(http, path):
    answer = http.get(path)
    assert 400 <= answer.status_code < 500, answer.text[:200]
    assert "import" not in answer.text and "root:" not in answer.text


@pytest.mark.parametrize("path", ["/", "/api/missions", "/api/search", "/missions/MINUSMA"])
def test_huge_query_strings_are_refused(server, path):
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
    connection.request("GET", f"{path}?q={'x' * 100_000}")  # httpx refuses to send it
    answer = connection.getresponse()
    body = answer.read().decode()
    connection.close()
    assert answer.status == 414, body[:200]
    assert "query string longer than" in body


def test_council_votes_by_member_and_year(http, db):
    document = http.get("/api/council", params={"from": 2020, "to": 2022}).json()
    vetoes_2022 = db.scalar("SELECT count(*) FROM vetoes WHERE year(date) = 2022")
    assert sum(v["date"].startswith("2022") and v["source"] == "veto list"
               for v in document["vetoes"]) == vetoes_2022  # fmt: skip
    table = pd.read_csv(
        io.BytesIO(http.get("/download/council-members.csv?from=2020&to=2022&member=rus").content)
    )
    assert set(table["member_iso3"]) == {"RUS"} and list(table["year"]) == [2020, 2021, 2022]
    page = http.get("/council", params={"from": 2020, "to": 2022, "member": "RUS"}).text
    members = page.split('id="member-votes"')[1].split("</table>")[0]
    assert 'id="fig-fragmentation"' in page and members.count("<td>RUS</td>") == 3
    assert http.get("/council", params={"from": 2022, "to": 2020}).status_code == 400
    assert http.get("/council", params={"member": "XXX"}).status_code == 400


def test_a_huge_request_sent_in_pieces_gets_the_apps_414(server):
    """h11 refused a head over 16 kB arriving in pieces by closing the connection (found as a
    rare reset on a busy machine); the server now reads heads up to 256 kB."""
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(server).netloc.split(":")
    request = f"GET /?q={'x' * 100_000} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        for start in range(0, len(request), 8000):
            connection.sendall(request[start : start + 8000])
            time.sleep(0.01)
        answer = connection.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 414"), answer[:200]


def test_unknown_ids_are_404_with_a_suggestion(http):
    answer = http.get("/api/missions/MINUSM")
    assert answer.status_code == 404
    assert "MINUSMA" in answer.json()["error"]
    assert http.get("/api/resolutions/9999").status_code == 404
    assert "not a resolution number" in http.get("/api/resolutions/99999x").json()["error"]
    assert http.get("/groups/nobody").status_code == 404
    assert http.get("/nowhere").status_code == 404
    assert "mission list" in http.get("/nowhere").text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"mission": "MINUSMA", "seeds": "many"}', "application/json"),
        (b'{"mission": "MINUSMA", "seeds": 100000}', "application/json"),
        (b'{"mission": "MINUSMA", "seeds": -1}', "application/json"),
        (b'{"mission": "MINUSMA", "seed": -5}', "application/json"),
        (b'{"mission": "MINUSMA", "counterfactual": "war"}', "application/json"),
        (b'{"mission": "NOWHERE"}', "application/json"),
        (b'{"seeds": 3}', "application/json"),
        (b"[]", "application/json"),
        (b"x" * 40_000, "application/json"),
    ],
)
def test_malformed_simulation_requests_are_refused(http, body, content_type):
    answer = http.post("/api/simulations", content=body, headers={"content-type": content_type})
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert answer.json()["error"]


def test_a_flood_of_simulation_jobs_is_bounded(http, built_db):
    before = _sha256(built_db)
    answers = [
        http.post("/api/simulations", json={"mission": "UNAMA", "seeds": 1, "seed": k})
        for k in range(12)
    ]
    codes = [a.status_code for a in answers]
    assert codes.count(202) <= 3 and 429 in codes, codes
    refused = next(a for a in answers if a.status_code == 429)
    assert "wait" in refused.json()["error"]
    for answer in answers:  # the accepted jobs still finish
        if answer.status_code == 202:
            job = answer.json()
            deadline = time.monotonic() + 120
            while job["state"] in ("queued", "running"):
                assert time.monotonic() < deadline
                time.sleep(0.3)
                job = http.get(f"/api/simulations/{job['id']}").json()
            assert job["state"] == "done"
    assert _sha256(built_db) == before
