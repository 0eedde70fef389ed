"""HTTP basics of the explorer (#30): HEAD, 405 with Allow, gzip, ETag and 304, caching and
security headers on every kind of answer, errors included, over the real server.
"""

from __future__ import annotations

import gzip
import shutil

import httpx
import pytest

from conftest import start_server
from peaceops.store import Database
from peaceops.web.http import MIN_GZIP_BYTES, accepts_gzip, matches

pytestmark = [pytest.mark.slow, pytest.mark.issue(30)]

SECURITY = ("x-content-type-options", "referrer-policy", "x-frame-options",
            "content-security-policy")  # fmt: skip
#: One path of each kind of answer: pages, indexes, API documents, the OpenAPI document and
#: page, a download, a citation, static files.
ROUTES = [
    "/",
    "/missions/MINUSMA",
    "/resolutions/2098",
    "/resolutions",
    "/resolutions?from=2010&to=2012&sort=-date",
    "/groups",
    "/groups/m23",
    "/forecast",
    "/council",
    "/compare?missions=MINUSMA,UNAMA",
    "/api/status",
    "/api/missions",
    "/api/resolutions/2098",
    "/api/forecast",
    "/api/openapi.json",
    "/api/docs",
    "/download/missions.csv",
    "/api/resolutions/2098/cite",
    "/static/peaceops.js",
    "/static/permalink.js",
    "/api/docs/assets/swagger-ui.css",
]
ERRORS = [
    ("GET", "/no-such-page", 404),
    ("GET", "/api/missions/NOPE", 404),
    ("GET", "/resolutions?page=9999", 404),
    ("DELETE", "/resolutions/2098", 405),
    ("POST", "/api/missions", 405),
    ("PUT", "/static/peaceops.js", 405),
    ("GET", "/api/council?from=abc", 422),
    ("GET", "/resolutions?page=abc", 422),
    ("GET", "/api/resolutions/2098/cite?format=xml", 400),
    ("GET", "/?q=" + "x" * 5000, 414),
    ("GET", "/resolutions?mission=" + "x" * 5000, 414),
]


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def _headers(answer: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in answer.headers.items() if k != "date"}


@pytest.mark.parametrize("path", ROUTES)
def test_head_answers_like_get_without_the_body(http, path):
    for encoding in ("gzip", "identity"):
        got = http.get(path, headers={"accept-encoding": encoding})
        head = http.head(path, headers={"accept-encoding": encoding})
        assert got.status_code == head.status_code == 200, (path, got.text[:200])
        assert head.content == b""
        assert _headers(head) == _headers(got), path
        for name in SECURITY:
            assert name in head.headers, (path, name)


@pytest.mark.parametrize("path", ROUTES)
def test_pages_and_documents_carry_validators_and_caching_headers(http, path):
    first = http.get(path)
    second = http.get(path)
    tag = first.headers["etag"]
    assert tag == second.headers["etag"]  # the same store and code: the same tag
    if path.startswith("/static/") or path.startswith("/api/docs/assets/"):
        assert first.headers["cache-control"] == "public, max-age=3600"
    else:
        assert first.headers["cache-control"] == "no-cache"
    assert tag.startswith('W/"')
    again = http.get(path, headers={"if-none-match": tag})
    assert again.status_code == 304, path
    assert again.content == b""
    assert again.headers["etag"] == tag
    for name in SECURITY:
        assert name in again.headers
    head = http.head(path, headers={"if-none-match": tag})
    assert head.status_code == 304
    other = http.get(path, headers={"if-none-match": 'W/"0000000000000000-0000"'})
    assert other.status_code == 200
    several = http.get(path, headers={"if-none-match": f'"x", {tag}'})
    assert several.status_code == 304


def test_304_rate_of_a_revisit(http):
    """A reader's second visit to every route: all 304, no body sent."""
    tags = {path: http.get(path).headers["etag"] for path in ROUTES}
    answers = [http.get(p, headers={"if-none-match": t}) for p, t in tags.items()]
    assert sum(a.status_code == 304 for a in answers) == len(ROUTES)
    assert sum(len(a.content) for a in answers) == 0


@pytest.mark.parametrize(
    "path", ["/resolutions/2098", "/missions/MINUSMA", "/api/forecast", "/groups/m23"]
)
def test_gzip_when_accepted(http, path):
    plain = httpx.get(http.base_url.join(path), headers={"accept-encoding": "identity"}, timeout=60)
    assert "content-encoding" not in plain.headers
    raw = http.build_request("GET", path, headers={"accept-encoding": "gzip"})
    packed = http.send(raw, stream=True)
    body = packed.read()  # httpx decodes; the bytes on the wire are counted below
    packed.close()
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert body == plain.content
    wire = int(packed.headers["content-length"])
    assert wire < len(plain.content) / 3, (path, wire, len(plain.content))  # text: 5-10x
    assert packed.headers["etag"] == plain.headers["etag"]  # weak: one tag, both encodings


def test_gzip_is_refused_or_skipped_where_it_should_be(http):
    for refused in ("identity", "gzip;q=0", "br", ""):
        answer = http.get("/resolutions/2098", headers={"accept-encoding": refused})
        assert "content-encoding" not in answer.headers, refused
    tiny = http.get("/api/resolutions/2098/cite", headers={"accept-encoding": "gzip"})
    assert len(tiny.content) < MIN_GZIP_BYTES
    assert "content-encoding" not in tiny.headers  # never for tiny bodies
    parquet = http.get("/download/missions.parquet", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in parquet.headers  # compressed already
    zipped = http.get("/static/peaceops.js", headers={"accept-encoding": "gzip, deflate"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"].startswith("W/")  # the file's tag, weak: both encodings
    assert gzip.decompress(gzip.compress(b"x")) == b"x"


def test_accept_encoding_and_if_none_match_parsing():
    assert accepts_gzip([(b"accept-encoding", b"deflate, gzip;q=0.5")])
    assert accepts_gzip([(b"accept-encoding", b"*")])
    assert not accepts_gzip([(b"accept-encoding", b"gzip;q=0")])
    assert not accepts_gzip([(b"accept-encoding", b"gzip;q=abc")])
    assert not accepts_gzip([])
    assert matches('"a", W/"b"', 'W/"b"')
    assert matches("*", 'W/"b"')
    assert not matches('"a"', 'W/"b"')


@pytest.mark.parametrize(("method", "path", "status"), ERRORS)
def test_every_error_carries_the_security_headers_and_is_not_stored(server, method, path, status):
    import http.client
    from urllib.parse import urlsplit

    # http.client: httpx may refuse to send the longest URLs
    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=60)
    for verb in {method, "HEAD"} if method == "GET" else {method}:
        connection.request(verb, path)
        answer = connection.getresponse()
        body = answer.read()
        assert answer.status == status, (verb, path, body[:200])
        for name in SECURITY:
            assert answer.getheader(name), (verb, path, name)
        assert answer.getheader("etag") is None
        if answer.status != 414:  # refused before the app: nothing to store anyway
            assert answer.getheader("cache-control") == "no-store", (verb, path)
        if verb == "HEAD":
            assert body == b""
        else:
            assert len(body) > 10
    connection.close()


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", "GET, HEAD"),
        ("/resolutions", "GET, HEAD"),
        ("/resolutions/2098", "GET, HEAD"),
        ("/groups", "GET, HEAD"),
        ("/forecast", "GET, HEAD"),
        ("/simulate", "GET, HEAD, POST"),
        ("/api/simulations", "POST"),
        ("/api/resolutions/2098/cite", "GET, HEAD"),
        ("/api/docs", "GET, HEAD"),
        ("/docs", "GET, HEAD"),
        ("/api/openapi.json", "GET, HEAD"),
        ("/static/peaceops.js", "GET, HEAD"),
        ("/download/missions.csv", "GET, HEAD"),
    ],
)
def test_405_names_every_allowed_method(http, path, allowed):
    for method in ("DELETE", "PUT", "PATCH"):
        answer = http.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["allow"] == allowed, (method, path)


def test_every_openapi_operation_answers_405_with_allow(http):
    spec = http.get("/api/openapi.json").json()
    for template, operations in spec["paths"].items():
        path = (template.replace("{acronym}", "MINUSMA").replace("{ref}", "2098")
                .replace("{n}", "2098").replace("{actor_id}", "m23")
                .replace("{job_id}", "x"))  # fmt: skip
        answer = http.request("PATCH", path)
        assert answer.status_code == 405, path
        allowed = {m.strip() for m in answer.headers["allow"].split(",")}
        assert {m.upper() for m in operations} <= allowed, (path, allowed)


def test_hostile_validators_and_encodings(http):
    for value in ("x" * 5000, '"' * 300, "W/", ",,,,", "*", "W/W/W/"):
        answer = http.get("/resolutions/2098", headers={"if-none-match": value})
        assert answer.status_code in (200, 304), value
    for value in ("gzip;q=" + "9" * 3000, "x" * 5000, "gzip;;;;q==1"):
        answer = http.get("/resolutions/2098", headers={"accept-encoding": value})
        assert answer.status_code == 200, value[:40]


def test_429_and_the_job_pages_carry_their_headers(built_db, tmp_path):
    process, url = start_server(built_db, {"PEACEOPS_WEB_JOBS_PER_CLIENT": "1"})
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            first = client.post("/api/simulations", json={"mission": "MINUSMA", "seeds": 60})
            assert first.status_code == 202
            refused = client.post("/api/simulations", json={"mission": "MINUSMA", "seeds": 60})
            assert refused.status_code == 429
            for name in SECURITY:
                assert name in refused.headers
            assert refused.headers["cache-control"] == "no-store"
            job = client.get(f"/api/simulations/{first.json()['id']}")
            assert job.headers["cache-control"] == "no-store"  # it changes as it runs
            assert "etag" not in job.headers
    finally:
        process.terminate()
        process.wait(10)


def _tags(url: str) -> dict[str, str]:
    with httpx.Client(base_url=url, timeout=120) as client:
        return {p: client.get(p).headers["etag"] for p in ("/resolutions/2098", "/api/missions")}


def test_tags_change_with_the_store_and_only_then(built_db, tmp_path):
    """Three servers started one after the other (the tag hashes the code too: the session's
    server may have started before a file of the working tree changed)."""
    same = tmp_path / "same.duckdb"
    shutil.copy(built_db, same)
    changed = tmp_path / "changed.duckdb"
    shutil.copy(built_db, changed)
    with Database(changed, read_only=False) as writer:
        writer.execute_write(
            "UPDATE missions SET name = name || ' (renamed)' WHERE acronym = 'UNAMA'"
        )
    tags = {}
    for name, path in (("original", built_db), ("same", same), ("changed", changed)):
        process, url = start_server(path)
        try:
            tags[name] = _tags(url)
        finally:
            process.terminate()
            process.wait(10)
    original = tags["original"]
    assert tags["same"] == original  # a copy of the same store, another server: the same tags
    for path, tag in original.items():
        assert tags["changed"][path] != tag, path  # the store changed: every tag changes
    page = "/resolutions/2098"  # does not show the renamed mission: the same body, a new store
    assert tags["changed"][page].split("-")[1] == original[page].split("-")[1]
