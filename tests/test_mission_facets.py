"""The mission list's facets (#30): counts per value, multi-select, comma-separated values,
clear errors for unknown values, sortable columns - in ``store.browse``, ``/api/missions`` and
the page."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from peaceops.errors import UsageError
from peaceops.store import browse

pytestmark = pytest.mark.issue(30)


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def _acronyms(document: dict) -> list[str]:
    return [m["acronym"] for m in document["missions"]]


@pytest.mark.parametrize(
    "filters",
    [{}, {"type": "pko"}, {"region": "africa,asia", "status": "closed"},
     {"instrument": ["partial", "poc"], "decade": "2010s"}],
)  # fmt: skip
def test_issue30_each_count_is_the_list_that_value_gives(db, filters):
    document = browse.missions(db, **filters)
    for facet, values in document["facets"].items():
        for value in values:
            alone = browse.missions(db, **{**filters, facet: value["value"]})
            assert value["count"] == alone["count"], (facet, value)
            if not document["filters"][facet]:  # an unfiltered facet counts the list shown
                shown = [m for m in document["missions"]
                         if value["value"] in browse._facet_values(m)[facet]]  # fmt: skip
                assert value["count"] == len(shown), (facet, value)


def test_issue30_values_of_one_facet_are_alternatives(db):
    africa = set(_acronyms(browse.missions(db, region="Africa")))
    asia = set(_acronyms(browse.missions(db, region="Asia")))
    both = browse.missions(db, region=["africa", "asia"])
    assert set(_acronyms(both)) == africa | asia and africa and asia
    assert browse.missions(db, region="africa,asia")["missions"] == both["missions"]
    assert both["filters"]["region"] == ["Africa", "Asia"]
    selected = [v["value"] for v in both["facets"]["region"] if v["selected"]]
    assert selected == ["Africa", "Asia"]
    # facets combine: Africa or Asia, and peacekeeping, and closed
    combined = browse.missions(db, region="africa,asia", type="pko", status="closed")
    assert all(m["type"] == "pko" and m["status"] == "closed" and
               {"Africa", "Asia"} & set(m["regions"]) for m in combined["missions"])  # fmt: skip


def test_issue30_hosts_by_code_or_name_and_decades(db):
    mali = browse.missions(db, host="Mali")
    assert "MINUSMA" in _acronyms(mali) and mali["filters"]["host"] == ["MLI"]
    assert (
        browse.missions(db, host="mli,cod")["count"]
        == browse.missions(db, host=["MLI", "DR Congo"])["count"]
    )
    labels = {v["value"]: v["label"] for v in mali["facets"]["host"]}
    assert labels["MLI"] == "Mali (MLI)"
    nineties = browse.missions(db, decade="1990")
    assert nineties["filters"]["decade"] == ["1990s"]
    assert all(m["start"].startswith("199") for m in nineties["missions"])


@pytest.mark.parametrize(
    ("filters", "words"),
    [({"region": "Atlantis"}, "unknown region 'Atlantis': use one of Africa"),
     ({"host": "France"}, "unknown host 'France'"),
     ({"type": "pko,army"}, "unknown type 'army': use one of pko, spm, regional"),
     ({"decade": "1890s"}, "unknown decade '1890s'"),
     ({"sort": "colour"}, "unknown sort 'colour': use one of acronym")],
)  # fmt: skip
def test_issue30_unknown_values_are_errors_that_list_the_allowed(db, http, filters, words):
    with pytest.raises(UsageError, match=re.escape(words)):
        browse.missions(db, **filters)
    answer = http.get("/api/missions", params=filters)
    assert answer.status_code == 400 and words in answer.json()["error"]
    page = http.get("/", params=filters)
    assert page.status_code == 400 and words in unescape(page.text)


def test_issue30_the_api_takes_repeated_and_comma_separated_values(db, http):
    repeated = http.get("/api/missions?region=africa&region=asia&type=pko").json()
    commas = http.get("/api/missions?region=africa,asia&type=pko").json()
    assert repeated == commas == browse.missions(db, region="africa,asia", type="pko")
    assert repeated["count"] == len(repeated["missions"]) > 20
    assert http.get("/api/missions", params={"region": "x" * 101}).status_code == 400


@pytest.mark.parametrize("key", list(browse.SORTS))
def test_issue30_every_column_sorts_both_ways(db, key):
    up = browse.missions(db, sort=key)["missions"]
    down = browse.missions(db, sort=f"-{key}")["missions"]
    values = [browse.SORTS[key](m) for m in up]
    known = [v for v in values if v is not None]
    assert known == sorted(known)  # ascending, missing values last
    assert values[len(known) :] == [None] * (len(values) - len(known))
    known_down = [browse.SORTS[key](m) for m in down if browse.SORTS[key](m) is not None]
    assert known_down == sorted(known, reverse=True)


def test_issue30_the_page_lists_facets_with_counts_and_sorts(db, http):
    page = http.get("/?region=africa&region=asia&type=pko&sort=-start").text
    expected = browse.missions(db, region="africa,asia", type="pko", sort="-start")
    rows = re.findall(r'<tr>\s*<td><a href="/missions/([^"]+)">', page)
    assert rows == _acronyms(expected)
    for facet, values in expected["facets"].items():
        for value in values:
            box = re.search(
                rf'<input type="checkbox" name="{facet}" value="{re.escape(value["value"])}"'
                rf'( checked)?>.*?<span class="count"[^>]*>(\d+)</span>',
                page,
                flags=re.S,
            )
            assert box, (facet, value)
            assert int(box.group(2)) == value["count"]
            assert bool(box.group(1)) == value["selected"]
    assert 'aria-sort="descending"' in page
    # the sorted column's link turns the order round, keeping the filters
    assert 'href="/?type=pko&amp;region=Africa&amp;region=Asia&amp;sort=start"' in page


def test_issue30_blank_cells_say_no_or_unknown(http):
    page = http.get("/?sort=acronym").text
    rows = {
        acronym: re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        for acronym, row in re.findall(
            r'<tr>\s*<td><a href="/missions/([^"]+)">.*?</a></td>(.*?)</tr>', page, flags=re.S
        )
    }
    # columns after the acronym: name, type, host, region, start, end, resolutions, Ch. VII,
    # PoC, partial, index
    for acronym, cells in rows.items():
        assert all(re.sub(r"<[^>]+>", "", c).strip() for c in cells), acronym  # none blank
    assert re.sub(r"<[^>]+>", "", rows["UNOHCI"][4]).strip() == "unknown"  # no start recorded
    binuh = [re.sub(r"<[^>]+>", "", c).strip() for c in rows["BINUH"]]
    assert binuh[7:10] == ["unknown"] * 3  # no text of its resolution: nothing read
    assert binuh[10] == "unknown"
    unama = [re.sub(r"<[^>]+>", "", c).strip() for c in rows["UNAMA"]]
    assert unama[9] == "no"  # its texts were read: no partial task
