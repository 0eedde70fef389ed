"""Citations of resolutions (#30): BibTeX that parses, CSL-JSON with the schema's required
fields, the download headers, the links to the UN's documents, and bad requests.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest

from peaceops.store import queries
from peaceops.web.cite import bibtex, citation, csl, links

pytestmark = [pytest.mark.slow, pytest.mark.issue(30)]


def parse_bibtex(text: str) -> list[dict]:
    """A small strict BibTeX reader: ``@type{key, name = {value} | "value" | digits, ...}``.

    Raises ValueError on anything it cannot read (unbalanced braces, a field without a value,
    text after the last entry), so a test that parses an entry checks its syntax.
    """
    entries, i = [], 0
    while True:
        match = re.compile(r"\s*@([A-Za-z]+)\s*\{\s*([^,\s{}]+)\s*,").match(text, i)
        if not match:
            if text[i:].strip():
                raise ValueError(f"unreadable text at {i}: {text[i : i + 40]!r}")
            return entries
        entry = {"type": match[1].lower(), "key": match[2], "fields": {}}
        i = match.end()
        while True:
            i = _skip(text, i)
            if text[i] == "}":
                i += 1
                break
            name = re.compile(r"([A-Za-z][\w-]*)\s*=\s*").match(text, i)
            if not name:
                raise ValueError(f"no field name at {i}: {text[i : i + 40]!r}")
            i = name.end()
            value, i = _value(text, i)
            entry["fields"][name[1].lower()] = value
            i = _skip(text, i)
            if text[i] == ",":
                i += 1
            elif text[i] != "}":
                raise ValueError(f"expected ',' or '}}' at {i}")
        entries.append(entry)


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        raise ValueError("entry not closed")
    return i


def _value(text: str, i: int) -> tuple[str, int]:
    if text[i].isdigit():
        end = re.compile(r"\d+").match(text, i).end()
        return text[i:end], end
    if text[i] not in '{"':
        raise ValueError(f"bad value at {i}")
    close = "}" if text[i] == "{" else '"'
    depth, j = 0, i + 1
    while j < len(text):
        char = text[j]
        if char == "\\":
            j += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
        elif char == close and depth == 0:
            return text[i + 1 : j], j + 1
        elif char == "}":
            raise ValueError(f"unbalanced '}}' at {j}")
        j += 1
    raise ValueError("value not closed")


CSL_TYPES = {"legislation", "document", "bill", "report"}


def check_csl(items) -> dict:
    """The CSL-JSON schema's requirements for an item (id, type) and what a citation needs."""
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] in CSL_TYPES
    for name in ("title", "authority", "number", "URL"):
        assert isinstance(item[name], str) and item[name], name
    parts = item["issued"]["date-parts"]
    assert isinstance(parts, list) and 1 <= len(parts[0]) <= 3
    assert all(isinstance(p, int) for p in parts[0])
    return item


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


def test_bibtex_of_2098_parses_and_names_the_document(http):
    answer = http.get("/api/resolutions/2098/cite", params={"format": "bibtex"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-bibtex")
    assert answer.headers["content-disposition"] == 'attachment; filename="S-RES-2098-2013.bib"'
    [entry] = parse_bibtex(answer.text)
    fields = entry["fields"]
    assert entry["type"] == "misc"
    assert entry["key"] == "unsc_res_2098_2013"
    assert fields["url"] == "https://undocs.org/S/RES/2098(2013)"
    assert fields["year"] == "2013" and fields["date"] == "2013-03-28"
    assert fields["number"] == "S/RES/2098 (2013)"
    assert "S/PV.6943" in fields["note"]
    assert http.get("/api/resolutions/2098/cite").text == answer.text  # bibtex by default


def test_csl_of_2098_has_the_required_fields(http):
    answer = http.get("/api/resolutions/2098/cite", params={"format": "csl"})
    assert answer.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    assert answer.headers["content-disposition"] == 'attachment; filename="S-RES-2098-2013.json"'
    item = check_csl(answer.json())
    assert item["type"] == "legislation"
    assert item["authority"] == "UN Security Council"
    assert item["number"] == "S/RES/2098 (2013)"
    assert item["issued"] == {"date-parts": [[2013, 3, 28]]}
    assert item["URL"] == "https://undocs.org/S/RES/2098(2013)"


@pytest.mark.parametrize("number", [1, 50, 1701, 2098, 2259, 2690, 2781])
def test_every_kind_of_resolution_cites(db, number):
    """Early ones (votes from the meeting tables), texts, and ones known from votes only."""
    resolution = queries.resolution(db, number)
    [entry] = parse_bibtex(bibtex(resolution))
    assert entry["fields"]["url"] == links(resolution)["document"]
    check_csl(json.loads(json.dumps(csl(resolution))))
    record = links(resolution)["record"]
    assert record is None or re.fullmatch(r"S/PV\.\d+", record), record


def test_every_tenth_resolution_cites(db):
    numbers = [n for (n,) in db.tuples("SELECT number FROM resolutions ORDER BY number")]
    for number in numbers[::10]:
        resolution = queries.resolution(db, number)
        [entry] = parse_bibtex(bibtex(resolution))
        assert entry["fields"]["year"] == str(resolution["year"])
        check_csl(csl(resolution))


def test_special_characters_are_escaped(db):
    resolution = {**queries.resolution(db, 2098), "title": 'A & B {50%} #1_x ~ ^ \\ "q"'}
    [entry] = parse_bibtex(bibtex(resolution))
    assert r"\&" in entry["fields"]["title"] and r"\%" in entry["fields"]["title"]
    assert check_csl(csl(resolution))["title"].endswith('"q"')


def test_the_resolution_page_links_the_document_and_its_record(http, db):
    page = http.get("/resolutions/2098").text
    assert 'href="https://undocs.org/S/RES/2098(2013)"' in page
    assert 'href="https://undocs.org/S/PV.6943"' in page
    assert 'href="/api/resolutions/2098/cite?format=bibtex"' in page
    shown = citation(queries.resolution(db, 2098))
    assert shown["bibtex"].replace("&", "&amp;").splitlines()[0] in page


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/resolutions/9999/cite", 404, "not in the knowledge base"),
        ("/api/resolutions/2098/cite?format=ris", 400, "bibtex, csl"),
        ("/api/resolutions/2098/cite?format=" + "x" * 30, 422, "format"),
        ("/api/resolutions/abc/cite", 400, "not a resolution number"),
        ("/api/resolutions/-1/cite", 400, "not a resolution number"),
        ("/api/resolutions/..%2F..%2Fetc%2Fpasswd/cite", 400, "not a resolution number"),
        ("/api/resolutions/2098%00/cite", 400, "not a resolution number"),
        ("/api/resolutions/2098 (1999)/cite", 400, "adopted in 2013"),
        ("/api/resolutions/" + "9" * 300 + "/cite", 400, "not a resolution number"),
    ],
)
def test_bad_citation_requests_get_clear_errors(http, path, status, words):
    answer = http.get(path)
    assert answer.status_code == status, answer.text[:200]
    assert words in answer.json()["error"]
    assert "root:" not in answer.text


def test_citation_with_a_5kb_query_string_is_refused(server):
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
    connection.request("GET", "/api/resolutions/2098/cite?format=" + "b" * 5000)
    assert connection.getresponse().status == 414
    connection.close()


def test_the_parser_refuses_broken_entries():
    for broken in ("@misc{k, title = {a}", "@misc{k, title = {a}}}", "@misc{k, title}", "x"):
        with pytest.raises(ValueError):
            parse_bibtex(broken)
