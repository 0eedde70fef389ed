"""The full-text search index: a tokeniser and a plain inverted index inside the knowledge base.

Data flow::

    paragraphs + resolutions.text --own words of each paragraph--> search_documents (paragraph)
    resolutions (symbol, title)                                  --> search_documents (resolution)
    missions (acronym, name, host countries)                     --> search_documents (mission)
    actors + aliases                                             --> search_documents (group)
    events (description, actor, type)                            --> search_documents (event)
    each document's text --tokens()--> search_postings (term, document, position, span)

:func:`build_search_index` runs at the end of ``peaceops build`` (and after ``peaceops code``
and ``peaceops add``, which change paragraphs); :mod:`peaceops.store.search` answers queries
from the two tables with plain SQL. Why an inverted index in DuckDB rather than SQLite FTS5,
tantivy or DuckDB's ``fts`` extension: docs/adr/006-search-index.md.

The tokeniser is the one definition of a word for the index, the queries and the highlighted
snippets: a run of Unicode letters and digits (so "Mali" is not in "Somalia", and "S/RES/2098"
is three words), folded to lower case without accents ("Opération" is "operation"). A
hyphenated word ("M-23", "Secretary-General") is its parts plus the joined word ("m23") at the
first part's position, spanning the parts, so "M23" and "M-23" find each other.
"""

from __future__ import annotations

import contextlib
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from peaceops.store.database import Database, registered

#: The kinds of document, in the order results of equal score are listed.
KINDS = ("group", "mission", "resolution", "event", "paragraph")

_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")
_HYPHENS = frozenset("-\u2010\u2011")
_SPLIT = re.compile(r"([^\W_]+)")
_BATCH = 4000  # documents tokenised at once
_COLUMNS = ["document", "kind", "key", "url", "title", "text", "resolution", "year_from",
            "year_to", "missions", "length"]  # fmt: skip
#: Between the pieces of a paragraph's own words when its sub-paragraphs are cut out.
GAP = " … "


@lru_cache(maxsize=1 << 17)
def fold(word: str) -> str:
    """A word as the index keeps it: case-folded, accents and other combining marks removed.

    >>> fold("Opération"), fold("MINUSMA"), fold("Côte")
    ('operation', 'minusma', 'cote')
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Token:
    """One token of a text.

    Its folded ``term``, ``position`` among the text's tokens, the positions it ``span``s (more
    than 1 for a joined hyphenated word) and its characters ``[start, end)`` in the text.
    """

    term: str
    position: int
    span: int
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` with their offsets (queries and snippets).

    >>> [(t.term, t.position, t.span) for t in tokens("the M-23 rebels")]
    [('the', 0, 1), ('m23', 1, 2), ('m', 1, 1), ('23', 2, 1), ('rebels', 3, 1)]
    """
    found: list[Token] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if _HYPHENS.isdisjoint(word):
            found.append(Token(fold(word), position, 1, match.start(), match.end()))
            position += 1
            continue
        parts = list(_PART.finditer(word))
        joined = fold("".join(p.group() for p in parts))
        found.append(Token(joined, position, len(parts), match.start(), match.end()))
        for part in parts:
            start = match.start() + part.start()
            found.append(Token(fold(part.group()), position, 1, start, start + len(part.group())))
            position += 1
    return found


def _hyphen_links(between: list[str]) -> list[int]:
    """Indices of the separators that are one hyphen (found by list.index, not a loop)."""
    links = []
    for hyphen in _HYPHENS:
        at = -1
        with contextlib.suppress(ValueError):
            while True:
                at = between.index(hyphen, at + 1)
                links.append(at)
    return sorted(links)


def _runs(links: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive indices as (first, last): [3, 4, 9] -> [(3, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for link in links:
        if runs and runs[-1][1] == link - 1:
            runs[-1] = (runs[-1][0], link)
        else:
            runs.append((link, link))
    return runs


def _index(texts: list[str]) -> tuple[pa.Table, list[int]]:
    """The postings of ``texts`` (documents 1, 2, ...) in term order, and each one's length.

    The same tokens as :func:`tokens` (a test holds them equal), made for two million words:
    each distinct spelling is folded once, and the rows are put in term order by numpy.
    """
    spellings: dict[str, int] = {}  # each distinct spelling, numbered as first seen
    lengths: list[int] = []
    base: list[np.ndarray] = []
    joined: list[np.ndarray] = []
    where: list[tuple[int, int, int]] = []  # each joined word's (document, position, span)
    # in batches, so that the words of a batch, not of the whole corpus, are held at once
    for batch in range(0, len(texts), _BATCH):
        words: list[str] = []
        compounds: list[str] = []
        for document, text in enumerate(texts[batch : batch + _BATCH], start=batch + 1):
            pieces = _SPLIT.split(text)  # separator, word, separator, ..., word, separator
            found = pieces[1::2]
            if "-" in text or "\u2010" in text or "\u2011" in text:
                between = pieces[2:-1:2]  # between[i] lies between words i and i + 1
                for first, last in _runs(_hyphen_links(between)):
                    compounds.append("".join(found[first : last + 2]))
                    where.append((document, first, min(last + 2 - first, 255)))
            words += found
            lengths.append(len(found))
        codes, uniques = pd.factorize(np.array(words + compounds, dtype=object))
        number = np.array([spellings.setdefault(u, len(spellings)) for u in uniques] or [0])
        base.append(number[codes[: len(words)]])
        joined.append(number[codes[len(words) :]])
    # each distinct spelling is folded once; terms are numbered in sorted order
    folded = [fold(spelling) for spelling in spellings]
    vocabulary = sorted(set(folded))
    rank = {term: i for i, term in enumerate(vocabulary)}
    term_of = np.array([rank[term] for term in folded] or [0], dtype=np.int64)
    terms = term_of[np.concatenate([*base, *joined, np.empty(0, dtype=np.int64)])]
    counts = np.array(lengths, dtype=np.int64)
    extra = np.array(where, dtype=np.int64).reshape(-1, 3)
    documents = np.concatenate(
        [np.repeat(np.arange(1, len(texts) + 1, dtype=np.int64), counts), extra[:, 0]]
    )
    positions = np.concatenate(
        [np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts), extra[:, 1]]
    )
    spans = np.concatenate([np.ones(int(counts.sum()), dtype=np.int64), extra[:, 2]])
    order = np.lexsort((positions, documents, terms))
    table = pa.table({
        "term": pa.DictionaryArray.from_arrays(
            pa.array(terms[order].astype(np.int32)), pa.array(vocabulary, pa.string())
        ).cast(pa.string()),  # DuckDB reads plain strings faster than a dictionary
        "document": pa.array(documents[order].astype(np.int32)),
        "position": pa.array(positions[order].astype(np.int32)),
        "span": pa.array(spans[order].astype(np.uint8)),
    })  # fmt: skip
    return table, lengths


def paragraph_anchor(label: str) -> str:
    """The resolution page's id of a paragraph: ``12(b)`` -> ``p-12-b-``.

    As ``peaceops.report.render.paragraph_anchor``, which the store may not import (a test
    holds them equal).
    """
    return "p-" + re.sub(r"[^A-Za-z0-9]", "-", label)


def _own_text(text: str, start: int, end: int, children: list[tuple[int, int]]) -> str:
    """A paragraph's words without its sub-paragraphs' (each is a document of its own)."""
    pieces, at = [], start
    for child_start, child_end in sorted(children):
        if child_start > at:
            pieces.append(text[at:child_start])
        at = max(at, child_end)
    if at < end:
        pieces.append(text[at:end])
    return GAP.join(p.strip() for p in pieces if p.strip())


def _resolution_missions(db: Database) -> dict[int, list[str]]:
    """The missions of each resolution: curated links and the confirmed mandate history."""
    rows = db.tuples(
        "SELECT number, list_sort(list(DISTINCT acronym)) FROM ("
        " SELECT number, acronym FROM mission_resolutions"
        " UNION SELECT number, acronym FROM mandate_history WHERE confirmed) GROUP BY number"
    )
    return {number: list(acronyms) for number, acronyms in rows}


def _paragraphs(db: Database, missions: dict[int, list[str]]) -> list[dict]:
    rows = db.tuples(
        'SELECT p.resolution, p.kind, p.label, p.parent, p.start, p."end", r.year, r.symbol '
        "FROM paragraphs p JOIN resolutions r ON r.number = p.resolution "
        'ORDER BY p.resolution, p.start, p."end" DESC'
    )
    texts = dict(db.tuples("SELECT number, text FROM resolutions WHERE text IS NOT NULL"))
    children: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for number, _, _, parent, start, end, _, _ in rows:
        if parent is not None:
            children.setdefault((number, parent), []).append((start, end))
    documents = []
    for number, kind, label, _, start, end, year, symbol in rows:
        text = texts.get(number)
        if text is None:
            continue
        inside = [c for c in children.get((number, label), []) if start <= c[0] and c[1] <= end]
        own = _own_text(text, start, end, inside)
        if not own:
            continue
        where = "operative paragraph" if kind == "operative" else "preamble, paragraph"
        shown = label.removeprefix("p") if kind == "preamble" else label
        documents.append({
            "kind": "paragraph", "key": f"{number}:{label}",
            "url": f"/resolutions/{number}#{paragraph_anchor(label)}",
            "title": f"{symbol}, {where} {shown}", "text": own, "resolution": number,
            "year_from": year, "year_to": year, "missions": missions.get(number, []),
        })  # fmt: skip
    return documents


def _resolutions(db: Database, missions: dict[int, list[str]]) -> list[dict]:
    return [
        {
            "kind": "resolution",
            "key": str(number),
            "url": f"/resolutions/{number}",
            "title": symbol,
            "text": f"{symbol}: {title}" if title else symbol,
            "resolution": number,
            "year_from": year,
            "year_to": year,
            "missions": missions.get(number, []),
        }
        for number, symbol, title, year in db.tuples(
            "SELECT number, symbol, title, year FROM resolutions ORDER BY number"
        )
    ]


def _country_names() -> dict[str, str]:
    """ISO3 -> short English name, from country_converter's table (as the loaders use it)."""
    import country_converter

    table = Path(country_converter.__file__).parent / "country_data.tsv"
    data = pd.read_csv(table, sep="\t", usecols=["ISO3", "name_short"], dtype=str).dropna()
    return {**dict(zip(data["ISO3"], data["name_short"], strict=True)), "XKX": "Kosovo"}


def _missions(db: Database) -> list[dict]:
    names = _country_names()
    documents = []
    for acronym, name, hosts, start, end in db.tuples(
        'SELECT acronym, name, host_iso3, start, "end" FROM missions ORDER BY acronym'
    ):
        where = ", ".join(f"{names.get(code, code)} ({code})" for code in hosts or [])
        documents.append({
            "kind": "mission", "key": acronym, "url": f"/missions/{acronym}", "title": acronym,
            "text": f"{acronym}: {name}. Hosts: {where or 'none recorded'}.", "resolution": None,
            "year_from": start.year if start else None, "year_to": end.year if end else None,
            "missions": [acronym],
        })  # fmt: skip
    return documents


def _groups(db: Database, missions: dict[int, list[str]]) -> list[dict]:
    where: dict[str, set[str]] = {}
    for actor_id, mission in db.tuples("SELECT DISTINCT actor_id, mission FROM events"):
        where.setdefault(actor_id, set()).add(mission)
    for actor_id, number in db.tuples("SELECT DISTINCT actor_id, resolution FROM targets"):
        where.setdefault(actor_id, set()).update(missions.get(number, []))
    documents = []
    for actor_id, name, kind, aliases, first, last in db.tuples(
        "SELECT actor_id, name, kind, list_sort(aliases), active_from, active_to FROM actors "
        "ORDER BY actor_id"
    ):
        also = "; ".join(a for a in aliases or [] if a != name)
        documents.append({
            "kind": "group", "key": actor_id, "url": f"/groups/{actor_id}", "title": name,
            "text": f"{name} ({kind.replace('_', ' ')})"
            + (f". Also called: {also}" if also else ""),
            "resolution": None, "year_from": first, "year_to": last,
            "missions": sorted(where.get(actor_id, ())),
        })  # fmt: skip
    return documents


def _events(db: Database) -> list[dict]:
    documents = []
    for event_id, day, mission, kind, description, actor in db.tuples(
        "SELECT e.event_id, e.date, e.mission, e.type, e.description, a.name FROM events e "
        "LEFT JOIN actors a ON a.actor_id = e.actor_id ORDER BY e.date, e.event_id"
    ):
        label = kind.replace("_", " ")
        text = " ".join(x for x in (description, f"Actor: {actor}." if actor else "") if x)
        documents.append({
            "kind": "event", "key": event_id, "url": f"/missions/{mission}#events",
            "title": f"{mission}, {day.isoformat()}: {label}", "text": text or label,
            "resolution": None, "year_from": day.year, "year_to": day.year,
            "missions": [mission],
        })  # fmt: skip
    return documents


def build_search_index(db: Database) -> dict[str, float]:
    """(Re)write ``search_documents`` and ``search_postings`` from the store's tables.

    Returns:
        ``{"documents": n, "postings": n, "seconds": s}``.
    """
    started = time.perf_counter()
    missions = _resolution_missions(db)
    documents = [
        *_groups(db, missions),
        *_missions(db),
        *_resolutions(db, missions),
        *_events(db),
        *_paragraphs(db, missions),
    ]
    for number, document in enumerate(documents, start=1):
        document["document"] = number
        document["text"] = unicodedata.normalize("NFC", document["text"])
    table, lengths = _index([document["text"] for document in documents])
    for document, length in zip(documents, lengths, strict=True):
        document["length"] = length
    frame = pd.DataFrame(documents, columns=_COLUMNS)

    def write(conn) -> None:
        conn.execute("DELETE FROM search_postings")
        conn.execute("DELETE FROM search_documents")
        with registered(conn, "_documents", frame), registered(conn, "_postings", table):
            conn.execute("INSERT INTO search_documents BY NAME SELECT * FROM _documents")
            # in term order: a query's `term = ?` reads only the row groups that hold the term
            conn.execute(
                "INSERT INTO search_postings BY NAME SELECT * FROM _postings "
                "ORDER BY term, document, position"
            )

    db.execute_write_fn(write)
    return {
        "documents": len(documents),
        "postings": table.num_rows,
        "seconds": round(time.perf_counter() - started, 2),
    }
