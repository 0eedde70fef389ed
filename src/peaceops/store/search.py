"""Full-text search over the knowledge base: queries on the index of :mod:`.search_index`.

Data flow::

    q --parse_query()--> clauses (words and "quoted phrases", tokenised as the index is)
      --one SQL query on search_postings--> matching documents, scored, with counts per kind
      --a page of them--> results with a snippet whose matches are marked (offsets and HTML)

Every clause must match (AND). A phrase matches where its words follow each other (a token's
next position is its position plus its span, so "M-23 rebels" and "M23 rebels" both match the
phrase "M23 rebels"). A bare word with inner punctuation ("S/RES/2098", "d'Ivoire") is a
phrase of its words. Documents are ranked by BM25 (k1 1.2, b 0.75) over the clauses, then by
kind and document number, so pages never overlap. :func:`search` returns the document that
``GET /api/search`` serialises; the counts per kind are before the kind filter (facets).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from html import escape

from peaceops.errors import UsageError
from peaceops.store.database import Database
from peaceops.store.search_index import KINDS, tokens

#: Longest query taken (characters), as the other search boxes.
MAX_QUERY_CHARS = 200
#: Most clauses (words and phrases) in a query, and most words in one phrase.
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 12
#: Results per page: the default and the most.
PER_PAGE = 20
MAX_PER_PAGE = 100
#: Characters of context in a snippet around its first match.
SNIPPET_CHARS = 260
_QUOTES = re.compile(r"[\"\u201c\u201d\u201e]")
_SPACE = re.compile(r"\s")
_EXAMPLE = 'e.g. Kidal, Wagner or "protection of civilians"'


@dataclass(frozen=True)
class Query:
    """A parsed query: each clause a tuple of folded terms (one term: a word; more: a phrase)."""

    text: str
    clauses: tuple[tuple[str, ...], ...]

    def describe(self) -> list[str]:
        """The clauses as a user reads them: words, and phrases in quotes."""
        return [c[0] if len(c) == 1 else '"' + " ".join(c) + '"' for c in self.clauses]


def _terms(text: str) -> list[str]:
    """The terms of a piece of query text, taking a hyphenated word whole ("M-23" -> m23)."""
    chosen, next_position = [], 0
    for token in tokens(text):  # a joined word comes before its parts, at the same position
        if token.position >= next_position:
            chosen.append(token.term)
            next_position = token.position + token.span
    return chosen


def parse_query(q: str) -> Query:
    """Words and "quoted phrases" of ``q``, folded as the index folds them.

    Raises:
        UsageError: an empty or overlong query, one without a letter or digit, or too many
            words (each message says what to type instead).
    """
    text = " ".join((q or "").split())
    if not text:
        raise UsageError(f"empty search: type a word or a phrase in quotes ({_EXAMPLE})")
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(
            f"search of {len(text):,} characters: use at most {MAX_QUERY_CHARS} ({_EXAMPLE})"
        )
    clauses: list[tuple[str, ...]] = []
    for i, piece in enumerate(_QUOTES.split(text)):
        quoted = i % 2 == 1  # an unclosed quote runs to the end
        for chunk in [piece] if quoted else piece.split():
            terms = tuple(_terms(chunk))
            if terms and terms not in clauses:
                clauses.append(terms)
    if not clauses:
        raise UsageError(
            f"nothing to search for in {text[:60]!r}: type letters or digits ({_EXAMPLE})"
        )
    if len(clauses) > MAX_CLAUSES or max(map(len, clauses)) > MAX_PHRASE_WORDS:
        raise UsageError(
            f"too many words: use at most {MAX_CLAUSES} words or phrases, of at most "
            f"{MAX_PHRASE_WORDS} words each (every word must match)"
        )
    return Query(text, tuple(clauses))


def parse_kinds(values: list[str] | None) -> list[str]:
    """The kinds asked for (repeated or comma-separated); all when none.

    Raises:
        UsageError: an unknown kind (the message lists the kinds).
    """
    asked = [v.strip().lower() for value in values or [] for v in value.split(",") if v.strip()]
    unknown = [k for k in asked if k not in KINDS]
    if unknown:
        raise UsageError(
            f"unknown kind {unknown[0][:40]!r}: use {', '.join(KINDS)} "
            "(repeat kind= or separate them with commas)"
        )
    return [k for k in KINDS if k in asked] or list(KINDS)


def _clause_sql(index: int, terms: tuple[str, ...], params: list) -> str:
    """SQL of one clause: (document, hits) where its words follow each other."""
    joins = []
    for j in range(1, len(terms)):
        joins.append(
            f"JOIN search_postings p{j} ON p{j}.document = p0.document "
            f"AND p{j}.position = p{j - 1}.position + p{j - 1}.span AND p{j}.term = ?"
        )
    params.extend([*terms[1:], terms[0]])
    return (
        f"c{index} AS (SELECT p0.document, count(*) AS hits FROM search_postings p0 "
        f"{' '.join(joins)} WHERE p0.term = ? GROUP BY p0.document)"
    )


def _matched_sql(query: Query, filters: dict, params: list) -> str:
    """SQL of every document matching all clauses and the filters, with its score."""
    ctes = [_clause_sql(i, terms, params) for i, terms in enumerate(query.clauses)]
    joins = " ".join(f"JOIN c{i} USING (document)" for i in range(1, len(query.clauses)))
    scores = []
    for i in range(len(query.clauses)):
        scores.append(
            f"ln(1 + (n.docs - (SELECT count(*) FROM c{i}) + 0.5) / "
            f"((SELECT count(*) FROM c{i}) + 0.5)) * c{i}.hits * 2.2 / "
            f"(c{i}.hits + 1.2 * (0.25 + 0.75 * d.length / n.mean))"
        )
    where = []
    if filters.get("year_from") is not None:
        where.append("(d.year_to IS NULL OR d.year_to >= ?)")
        params.append(filters["year_from"])
    if filters.get("year_to") is not None:
        where.append("(d.year_from IS NULL OR d.year_from <= ?)")
        params.append(filters["year_to"])
    if filters.get("mission"):
        where.append("list_contains(d.missions, ?)")
        params.append(filters["mission"])
    return (
        "WITH n AS (SELECT count(*) AS docs, greatest(avg(length), 1) AS mean "
        f"FROM search_documents), {', '.join(ctes)}, matched AS (SELECT d.document, d.kind, "
        f"{' + '.join(scores)} AS score FROM c0 {joins} "
        "JOIN search_documents d USING (document) CROSS JOIN n"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + ")"
    )


def _mission_filter(db: Database, mission: str | None) -> str | None:
    """The mission filter as an acronym of the registry (any case)."""
    if mission is None or not mission.strip():
        return None
    acronyms = [r[0] for r in db.tuples("SELECT acronym FROM missions ORDER BY acronym")]
    wanted = mission.strip().upper()
    if wanted in acronyms:
        return wanted
    near = difflib.get_close_matches(wanted, acronyms, n=3, cutoff=0.6)
    raise UsageError(
        f"no mission {mission[:40]!r} to filter by"
        + (f"; did you mean {', '.join(near)}?" if near else "; use a mission's acronym")
    )


def _years(year_from: int | None, year_to: int | None) -> None:
    for year in (year_from, year_to):
        if year is not None and not 1945 <= year <= 2100:
            raise UsageError(f"year {year} is outside 1945-2100: give a year of the record")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UsageError(f"year_from {year_from} is after year_to {year_to}: swap them")


def _matches(text: str, clauses: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where a clause matches, merged and in order."""
    found = tokens(text)
    at: dict[tuple[int, str], list] = {}
    for token in found:
        at.setdefault((token.position, token.term), []).append(token)
    spans = []
    for terms in clauses:
        for first in found:
            if first.term != terms[0]:
                continue
            ends = [first]
            for term in terms[1:]:
                following = [
                    t
                    for previous in ends
                    for t in at.get((previous.position + previous.span, term), [])
                ]
                if not following:
                    break
                ends = following
            else:
                spans.append((first.start, max(t.end for t in ends)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, clauses: tuple[tuple[str, ...], ...]) -> dict:
    """A window of ``text`` around its first match, with every match in it marked.

    Returns:
        ``snippet`` (plain text, "…" where cut), ``marks`` (``[start, end)`` offsets into it)
        and ``snippet_html`` (escaped, each match in ``<mark>``).
    """
    spans = _matches(text, clauses)
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_CHARS // 4)
        if start > 0:  # begin at a word
            cut = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start))
            start = cut + 1 if cut >= 0 and start - cut < 30 else start
        end = min(len(text), start + SNIPPET_CHARS)
        for s, e in spans:  # never cut a match
            if s < end < e:
                end = e
        space = _SPACE.search(text, end)
        if end < len(text) and space and space.start() < end + 30:  # end at a word
            end = space.start()
    prefix = "… " if start > 0 else ""
    shown = prefix + text[start:end] + (" …" if end < len(text) else "")
    shift = len(prefix) - start
    marks = [
        [max(s, start) + shift, min(e, end) + shift] for s, e in spans if s < end and e > start
    ]
    html, at = [], 0
    for s, e in marks:
        html.append(escape(shown[at:s]) + "<mark>" + escape(shown[s:e]) + "</mark>")
        at = e
    html.append(escape(shown[at:]))
    return {"snippet": shown, "marks": marks, "snippet_html": "".join(html)}


def search(
    db: Database,
    q: str,
    *,
    kinds: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    mission: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict:
    """Documents that match every word and phrase of ``q``, a page at a time.

    Args:
        db: the knowledge base (built with its search index).
        q: words and "quoted phrases" (every one must match).
        kinds: paragraph, resolution, mission, group, event (comma-separated or repeated;
            default all).
        year_from: keep documents of this year or later.
        year_to: keep documents of this year or earlier.
        mission: keep documents of this mission (acronym).
        page: the page (from 1).
        per_page: results on a page (at most 100).

    Returns:
        ``q``, ``clauses``, the filters, ``total`` (matches of the kinds asked), ``counts``
        (matches per kind, before the kind filter), ``page``, ``per_page``, ``pages`` and
        ``results`` (kind, url, title, snippet, marks, snippet_html, year, missions, score).

    Raises:
        UsageError: a bad query, kind, year range, mission, page or page size (the message
            says what to ask instead).
    """
    query = parse_query(q)
    wanted = parse_kinds(kinds)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise UsageError(f"per_page {per_page}: ask for 1 to {MAX_PER_PAGE} results a page")
    if page < 1:
        raise UsageError(f"page {page}: pages start at 1")
    _years(year_from, year_to)
    filters = {"year_from": year_from, "year_to": year_to,
               "mission": _mission_filter(db, mission)}  # fmt: skip
    params: list = []
    matched = _matched_sql(query, filters, params)
    counts = dict.fromkeys(KINDS, 0)
    counts.update(db.tuples(f"{matched} SELECT kind, count(*) FROM matched GROUP BY kind", params))
    total = sum(counts[k] for k in wanted)
    pages = math.ceil(total / per_page)
    if page > max(pages, 1):
        raise UsageError(f"page {page} of {pages}: ask for a page from 1 to {pages}")
    order = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS))
    rows = db.rows(
        f"{matched} SELECT d.kind, d.key, d.url, d.title, d.text, d.resolution, d.year_from, "
        "d.year_to, d.missions, m.score FROM matched m JOIN search_documents d USING (document) "
        f"WHERE m.kind IN (SELECT unnest(?::VARCHAR[])) ORDER BY m.score DESC, "
        f"CASE m.kind {order} END, m.document LIMIT ? OFFSET ?",
        [*params, wanted, per_page, (page - 1) * per_page],
    )
    results = []
    for row in rows:
        text = row.pop("text")
        results.append({
            **{k: row[k] for k in ("kind", "url", "title", "key")},
            **snippet(text, query.clauses),
            "resolution": row["resolution"], "year_from": row["year_from"],
            "year_to": row["year_to"], "missions": list(row["missions"]),
            "score": round(float(row["score"]), 4),
        })  # fmt: skip
    return {
        "q": query.text,
        "clauses": query.describe(),
        "kinds": wanted,
        "year_from": year_from,
        "year_to": year_to,
        "mission": filters["mission"],
        "total": total,
        "counts": counts,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "results": results,
    }
