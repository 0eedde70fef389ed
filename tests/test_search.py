"""Full-text search (#30): the tokeniser, the index built with the store, the API and the page."""

from __future__ import annotations

import re
import time
from collections import Counter

import httpx
import pytest

from peaceops.errors import UsageError
from peaceops.report.render import paragraph_anchor
from peaceops.store import search_index
from peaceops.store.search import parse_query, search, snippet
from peaceops.store.search_index import _index, fold, tokens

pytestmark = pytest.mark.issue(30)


def _terms(text: str) -> list[str]:
    return [t.term for t in tokens(text)]


# The tokeniser: one definition of a word for the index, the queries and the snippets.


def test_words_have_boundaries_mali_is_not_in_somalia():
    assert "mali" not in _terms("Somalia and the Somali National Army")
    assert "mali" in _terms("in Mali, Malian forces")
    assert "malian" in _terms("Malian")  # no stemming: a word is a word


def test_case_and_accents_are_folded():
    assert _terms("Opération Barkhane") == _terms("OPERATION barkhane") == ["operation", "barkhane"]
    assert fold("Côte") == "cote" and fold("Straße") == "strasse"


def test_hyphenated_words_are_joined_and_split():
    assert [(t.term, t.position, t.span) for t in tokens("the M-23 rebels")] == [
        ("the", 0, 1), ("m23", 1, 2), ("m", 1, 1), ("23", 2, 1), ("rebels", 3, 1),
    ]  # fmt: skip
    assert parse_query("M-23").clauses == parse_query("m23").clauses == (("m23",),)
    assert parse_query("S/RES/2098").clauses == (("s", "res", "2098"),)  # a phrase
    assert _terms("AFC/M23") == ["afc", "m23"]


def test_the_build_tokenises_exactly_as_the_queries(db):
    texts = [r[0] for r in db.tuples("SELECT text FROM search_documents ORDER BY document")]
    texts = [*texts[::25], "a-b-c d", "x--y -z- M-23-", "Opération‑Barkhane M‐23", ""]
    table, lengths = _index(texts)
    built = Counter(zip(*(table[c].to_pylist() for c in ("term", "document", "position", "span")),
                        strict=True))  # fmt: skip
    expected = Counter(
        (t.term, d, t.position, t.span) for d, text in enumerate(texts, 1) for t in tokens(text)
    )
    assert built == expected
    assert lengths == [len({t.position for t in tokens(text)}) for text in texts]


def test_anchors_are_the_resolution_pages():
    for label in ("12", "12(b)", "12(a)(iii)", "p3", "34(b)(vi)"):
        assert search_index.paragraph_anchor(label) == paragraph_anchor(label)


@pytest.mark.parametrize(
    ("q", "clauses"),
    [
        ("Intervention Brigade", (("intervention",), ("brigade",))),
        ('"Intervention Brigade"', (("intervention", "brigade"),)),
        ("“protection of civilians”", (("protection", "of", "civilians"),)),
        ('Kidal "unclosed phrase', (("kidal",), ("unclosed", "phrase"))),
        ("kidal KIDAL Kidal", (("kidal",),)),
    ],
)
def test_queries_parse_into_words_and_phrases(q, clauses):
    assert parse_query(q).clauses == clauses


@pytest.mark.parametrize(
    "q", ["", "   ", "...", "!!! ??? ---", "x" * 201, " ".join("abcdefghijklm")]
)
def test_bad_queries_are_refused_with_a_message(q):
    with pytest.raises(UsageError, match=r"type|use at most|too many"):
        parse_query(q)


def test_snippets_mark_every_match_and_escape_the_rest():
    text = "<b>Kidal</b> & the M-23 in Kidal"
    found = snippet(text, parse_query("kidal M23").clauses)
    assert [found["snippet"][s:e] for s, e in found["marks"]] == ["Kidal", "M-23", "Kidal"]
    assert found["snippet_html"] == (
        "&lt;b&gt;<mark>Kidal</mark>&lt;/b&gt; &amp; the <mark>M-23</mark> in <mark>Kidal</mark>"
    )
    long = "word " * 200 + "the Intervention Brigade is here " + "word " * 200
    cut = snippet(long, parse_query('"intervention brigade"').clauses)
    assert cut["snippet"].startswith("… ") and cut["snippet"].endswith(" …")
    assert [cut["snippet"][s:e] for s, e in cut["marks"]] == ["Intervention Brigade"]


# The index in the real store: the five queries of the issue find what the store holds.


def _all(db, q, **filters) -> list[dict]:
    first = search(db, q, per_page=100, **filters)
    results = list(first["results"])
    for page in range(2, first["pages"] + 1):
        results += search(db, q, per_page=100, page=page, **filters)["results"]
    assert len(results) == first["total"]
    return results


def _holding(db, pattern: str, kind: str) -> set[str]:
    """Keys of documents whose text matches ``pattern`` (a regex with word boundaries)."""
    rows = db.tuples("SELECT key, text FROM search_documents WHERE kind = ?", [kind])
    return {key for key, text in rows if re.search(pattern, text, re.IGNORECASE)}


def test_the_index_covers_every_paragraph_and_table(db):
    counts = dict(db.tuples("SELECT kind, count(*) FROM search_documents GROUP BY kind"))
    assert counts["paragraph"] == db.scalar("SELECT count(*) FROM paragraphs")
    assert counts["resolution"] == db.scalar("SELECT count(*) FROM resolutions")
    assert counts["mission"] == db.scalar("SELECT count(*) FROM missions")
    assert counts["group"] == db.scalar("SELECT count(*) FROM actors")
    assert counts["event"] == db.scalar("SELECT count(*) FROM events")


def test_intervention_brigade_finds_resolution_2098_at_its_paragraph(db):
    results = _all(db, '"Intervention Brigade"')
    urls = {r["url"] for r in results}
    assert {"/resolutions/2098#p-10", "/resolutions/2098#p-12-b-", "/resolutions/2098#p-12"} <= urls
    expected = _holding(db, r"\bIntervention\s+Brigade\b", "paragraph")
    assert {r["key"] for r in results if r["kind"] == "paragraph"} == expected
    assert any(r["kind"] == "event" and r["url"] == "/missions/MONUSCO#events" for r in results)
    # unquoted: both words anywhere, so at least the phrase's matches
    assert search(db, "Intervention Brigade")["total"] >= len(results)


def test_wagner_finds_the_group_and_its_events(db):
    results = _all(db, "Wagner")
    assert any(r["kind"] == "group" and r["url"] == "/groups/wagner" for r in results)
    events = {r["key"] for r in results if r["kind"] == "event"}
    with_wagner = {
        e for e, d, a in db.tuples("SELECT event_id, description, actor_id FROM events")
        if a == "wagner" or re.search(r"\bWagner\b", d or "")
    }  # fmt: skip
    assert events == with_wagner and events


def test_kidal_finds_every_paragraph_and_event_that_names_it(db):
    results = _all(db, "Kidal")
    assert {r["key"] for r in results if r["kind"] == "paragraph"} == _holding(
        db, r"\bKidal\b", "paragraph"
    )
    assert {r["key"] for r in results if r["kind"] == "event"} == _holding(
        db, r"\bKidal\b", "event"
    )
    assert any(r["url"].startswith("/resolutions/2164#p-") for r in results)


def test_m23_finds_the_group_events_and_paragraphs_however_written(db):
    found = search(db, "M23")
    assert found["counts"]["group"] >= 1 and found["counts"]["event"] >= 1
    assert found["results"][0]["url"] == "/groups/m23"
    assert search(db, "M-23")["counts"] == found["counts"]
    paragraphs = {r["key"] for r in _all(db, "M23", kinds=["paragraph"])}
    assert paragraphs == _holding(db, r"\bM-?23\b", "paragraph")


def test_protection_of_civilians_as_a_phrase(db):
    phrase = _all(db, '"protection of civilians"', kinds=["paragraph", "resolution"])
    assert {r["key"] for r in phrase if r["kind"] == "paragraph"} == _holding(
        db, r"\bprotection\s+of\s+civilians\b", "paragraph"
    )
    words = search(db, "protection of civilians")["total"]
    assert words > len(phrase)  # every word somewhere is more than the phrase


def test_mali_does_not_match_somalia(db):
    for r in _all(db, "Mali", kinds=["mission", "group", "event"]):
        assert re.search(r"\bMali\b", r["snippet"], re.IGNORECASE), r


def test_pages_add_up_to_the_total_without_duplicates(db):
    first = search(db, "Mali", per_page=37)
    keys = []
    for page in range(1, first["pages"] + 1):
        found = search(db, "Mali", per_page=37, page=page)
        assert found["total"] == first["total"] and found["pages"] == first["pages"]
        keys += [(r["kind"], r["key"]) for r in found["results"]]
    assert len(keys) == len(set(keys)) == first["total"] == sum(first["counts"].values())
    with pytest.raises(UsageError, match=f"page {first['pages'] + 1} of {first['pages']}"):
        search(db, "Mali", per_page=37, page=first["pages"] + 1)


def test_filters_by_kind_year_and_mission(db):
    every = search(db, "Mali")
    only = search(db, "Mali", kinds=["mission,group"])
    assert only["kinds"] == ["group", "mission"] and only["counts"] == every["counts"]
    assert only["total"] == every["counts"]["group"] + every["counts"]["mission"]
    ranged = _all(db, "Mali", year_from=2013, year_to=2014)
    assert ranged and all(
        (r["year_to"] is None or r["year_to"] >= 2013)
        and (r["year_from"] is None or r["year_from"] <= 2014)
        for r in ranged
    )
    assert len(ranged) < every["total"]
    in_minusma = _all(db, "Kidal", mission="minusma")
    assert in_minusma and all("MINUSMA" in r["missions"] for r in in_minusma)
    assert search(db, "Kidal", mission="UNAMA")["total"] == 0


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"kinds": ["paragraphs"]}, "unknown kind"),
        ({"mission": "MINUSMAA"}, "did you mean MINUSMA"),
        ({"year_from": 2020, "year_to": 2010}, "swap them"),
        ({"year_from": 20}, "outside 1945-2100"),
        ({"page": 0}, "pages start at 1"),
        ({"per_page": 10_000}, "1 to 100"),
    ],
)
def test_bad_filters_are_refused_with_a_message(db, filters, message):
    with pytest.raises(UsageError, match=message):
        search(db, "Mali", **filters)


# The API and the page.


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


def test_the_api_returns_the_search_document(http, db):
    answer = http.get("/api/search", params={"q": "Kidal", "kind": "paragraph,event"})
    assert answer.status_code == 200
    assert answer.json() == search(db, "Kidal", kinds=["paragraph", "event"])
    assert set(answer.json()) >= {"total", "counts", "page", "pages", "results"}
    repeated = http.get("/api/search?q=Mali&kind=mission&kind=group").json()
    assert repeated["kinds"] == ["group", "mission"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": ""}, 400, "empty search"),
        ({"q": "... ---"}, 400, "type letters or digits"),
        ({}, 422, "q: Field required"),
        ({"q": "Mali", "page": 0}, 422, "page"),
        ({"q": "Mali", "page": "two"}, 422, "page"),
        ({"q": "Mali", "kind": "paragraphs"}, 400, "unknown kind"),
        ({"q": "Mali", "per_page": 10_000}, 422, "per_page"),
        ({"q": "Mali", "page": 999}, 400, "ask for a page from 1 to"),
        ({"q": "x" * 2000}, 422, "at most 200 characters"),
        ({"q": "w " * 2500}, 414, "query string longer than"),  # 5 kB: refused before routing
        ({"q": "<script>alert(1)</script>' OR 1=1 --"}, 200, ""),
    ],
)
def test_hostile_searches_get_a_4xx_with_a_message(http, params, status, message):
    for path in ("/api/search", "/search"):
        started = time.perf_counter()
        answer = http.get(path, params=params)
        assert time.perf_counter() - started < 5
        if path == "/search" and not params:
            assert answer.status_code == 200  # the page without a query is the form
            continue
        assert answer.status_code == status, answer.text[:300]
        text = answer.json()["error"] if path.startswith("/api") and status >= 400 else answer.text
        assert message in text
        if path == "/search":
            assert "<script>alert(1)</script>" not in answer.text  # escaped where echoed


def test_a_long_query_of_many_words_is_refused_quickly(db):
    started = time.perf_counter()
    with pytest.raises(UsageError):
        search(db, " ".join(f"w{i}" for i in range(2000)))
    with pytest.raises(UsageError, match="too many words"):
        search(db, " ".join(f"w{i}" for i in range(40)))
    assert time.perf_counter() - started < 2
    # the most the API lets through: twelve words, each must match
    assert search(db, "the of and to in a on for by with as at")["total"] >= 0


def test_a_result_url_opens_at_its_anchor(http):
    results = http.get("/api/search", params={"q": '"Intervention Brigade"', "per_page": 100})
    checked = set()
    for result in results.json()["results"]:
        path, _, anchor = result["url"].partition("#")
        page = http.get(path)
        assert page.status_code == 200, result["url"]
        assert f'id="{anchor}"' in page.text, result["url"]
        checked.add(result["kind"])
    assert checked == {"paragraph", "event"}
    for kind, url in (("group", "/groups/wagner"), ("mission", "/missions/MINUSMA")):
        found = http.get("/api/search", params={"q": url.rsplit("/", 1)[1], "kind": kind}).json()
        assert found["results"][0]["url"] == url and http.get(url).status_code == 200


def test_the_page_shows_counts_results_and_pages(http, db):
    document = search(db, "Mali")
    page = http.get("/search", params={"q": "Mali", "page": 2}).text
    assert f"page 2 of {document['pages']}" in page
    for kind, count in document["counts"].items():
        assert f'data-kind="{kind}"' in page and f"({count:,})" in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert page.count('class="result"') == 20 and "<mark>Mali</mark>" in page
    kinds = http.get("/search", params={"q": "Mali", "kind": "mission"}).text
    assert kinds.count('class="result"') == document["counts"]["mission"]
    assert 'action="/search"' in http.get("/").text  # the header's box searches here
