r"""Sponsors of Council drafts, read from the ``Submitted by`` column of ``sc_voting.xlsx``.

Data flow: :func:`peaceops.sources.votes.load_votes` groups the per-member votes into drafts
and hands each draft's ``Submitted by`` text to :func:`draft_sponsors`, which splits it with
:func:`split_sponsors` into one :class:`Sponsor` per name and returns the ``draft_sponsors``
table (migration ``0015_draft_sponsors``) with the repairs it made, for ``data_issues``.

The column is a comma-separated list (``France,United Kingdom``; ``Albania, Austria``), or
``President`` for a presidential draft, ``-none-``, or empty. Quirks read in the file (#29):

* Excel's escaped line breaks (``_x000D_\n``) inside long lists, a stray leading quote, a
  trailing full stop (``Uruguay.``) or sponsor count (``United States (64)``);
* names joined by "and" in lists copied from the drafts' cover notes
  (``Tunisia and the United States of America``), while country names also contain "and"
  (``Bosnia and Herzegovina``): a name is split on "and" only when it is no country name
  itself and every part is one;
* a comma inside a name (``Costa,Rica``, ``Cabo,Verde``, ``Russian Federation and
  United,States``): two neighbouring parts that are no country alone are joined when
  together they are one;
* typos the country harmonisation cannot know (``United Kindgom``, ``UAE``);
* bodies, not states: ``E10``, ``All Council Members``, ``Committee on the Admission of New
  Members``.

The order of the names is the file's, mostly alphabetical: it does not say who drafted the
text (the penholder), and nothing here infers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from peaceops.sources.countries import strict_iso3, to_iso3

#: Kinds of a ``draft_sponsors`` row (see migration 0015).
SPONSOR_KINDS = ("state", "president", "group", "none", "missing", "unknown")

#: Spellings of sponsors in sc_voting.xlsx that no country table knows (typos, acronyms).
_SPELLINGS = {"united kindgom": "GBR", "uae": "ARE"}
_PRESIDENT = re.compile(r"President\??", re.IGNORECASE)
_NONE = re.compile(r"-+\s*none\s*-+", re.IGNORECASE)
_GROUP = re.compile(r"E10|All Council Members|Committee\b.*", re.IGNORECASE)
_EXCEL_BREAK = re.compile(r"_x000D_|[\r\n]+")
_COUNT = re.compile(r"\s*\(\d+\)$")
_AND = re.compile(r"\s+and\s+")

SPONSOR_COLUMNS = [
    "draft", "draft_label", "meeting", "date", "outcome", "resolution", "resolution_year",
    "position", "sponsor", "sponsor_iso3", "kind",
]  # fmt: skip


@dataclass(frozen=True)
class Sponsor:
    """One sponsor of a draft: its place in the list, the name, its ISO3 code and its kind.

    Fields: ``position`` (1-based, the file's order; None for a draft with no sponsor text),
    ``name`` (as written, cleaned of escapes), ``iso3`` (states only) and ``kind`` (one of
    :data:`SPONSOR_KINDS`).
    """

    position: int | None
    name: str | None
    iso3: str | None
    kind: str


def _clean(part: str) -> str:
    text = re.sub(r"\s+", " ", _EXCEL_BREAK.sub(" ", part)).strip()
    return text.strip("\"'“”").strip().rstrip(".").strip()


def _bare(name: str) -> str:
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _one_country(name: str) -> str | None:
    bare = _bare(name)
    return _SPELLINGS.get(bare.lower()) or strict_iso3(bare) or to_iso3(bare)


def _resolve(name: str) -> list[tuple[str, str]] | None:
    """``(name, ISO3)`` of the countries a name stands for (several if joined by 'and'), or None."""
    bare = _bare(name)
    exact = _SPELLINGS.get(bare.lower()) or strict_iso3(bare)
    if exact:
        return [(name, exact)]
    if _AND.search(bare):
        # "Bosnia and Herzegovina" was found whole above; this is a list written with "and".
        pieces = _AND.split(name)
        codes = [_one_country(piece) for piece in pieces]
        if all(codes) and len(set(codes)) == len(codes):
            return [(piece, code) for piece, code in zip(pieces, codes, strict=True) if code]
        return None
    code = to_iso3(bare)
    return [(name, code)] if code else None


def split_sponsors(text: object) -> tuple[list[Sponsor], list[tuple[str, str]]]:
    """Split one ``Submitted by`` text into its sponsors.

    Returns:
        The sponsors in the file's order, and the repairs made as ``(name, what was done)``
        (names rejoined or split, counts dropped, typos read, names not recognised).
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return [Sponsor(None, None, None, "missing")], []
    repairs: list[tuple[str, str]] = []
    parts = [_clean(p) for p in str(text).split(",")]
    parts = [p for p in parts if p]
    names: list[tuple[str, str | None, str]] = []  # (name, iso3, kind)
    i = 0
    while i < len(parts):
        part = parts[i]
        if _COUNT.search(part):
            repairs.append((part, "sponsor count dropped from the name"))
            part = _COUNT.sub("", part)
        if _PRESIDENT.fullmatch(part):
            names.append((part, None, "president"))
            if part != "President":
                repairs.append((part, "read as a presidential draft"))
        elif _NONE.fullmatch(part):
            names.append((part, None, "none"))
        elif _GROUP.fullmatch(part):
            names.append((part, None, "group"))
        elif (found := _resolve(part)) is not None:
            if len(found) > 1:
                repairs.append((part, f"split into {len(found)} sponsors at 'and'"))
            for name, iso3 in found:
                if _bare(name).lower() in _SPELLINGS:
                    repairs.append((name, f"misspelt; read as {iso3}"))
                names.append((name, iso3, "state"))
        else:
            joined = f"{part} {parts[i + 1]}" if i + 1 < len(parts) else None
            if joined and _resolve(parts[i + 1]) is None and _resolve(joined) is not None:
                repairs.append((f"{part},{parts[i + 1]}", f"one name split by a comma: {joined}"))
                parts[i + 1] = joined
                i += 1
                continue
            # "Russian Federation and United" (S/2022/512, whose "States" slid into the next
            # draft's row): keep the names that are countries, flag the rest.
            for piece in _AND.split(part):
                iso3 = _one_country(piece)
                names.append((piece, iso3, "state" if iso3 else "unknown"))
                if not iso3:
                    repairs.append((piece, "sponsor name not recognised"))
        i += 1
    sponsors = [Sponsor(n, name, iso3, kind) for n, (name, iso3, kind) in enumerate(names, 1)]
    return sponsors or [Sponsor(None, None, None, "missing")], repairs


def _draft_name(draft: object, label: object, number: object) -> str:
    for name in (draft, label):
        if not pd.isna(name) and str(name).strip():
            return str(name)
    return f"the draft of S/RES/{number}" if not pd.isna(number) else "a draft without symbol"


def draft_sponsors(drafts: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """The ``draft_sponsors`` rows of ``drafts`` (with their ``submitted_by``), and the issues.

    Each distinct repair is one ``data_issues`` row naming the first draft it was made on and
    how many drafts share it; an unknown name is kept (kind ``unknown``, no ISO3), never fatal.
    """
    parsed = {
        text: split_sponsors(text) for text in drafts["submitted_by"].dropna().unique().tolist()
    }
    rows: list[tuple] = []
    seen: dict[tuple[str, str], list[str]] = {}
    for draft, label, meeting, day, outcome, number, year, text in drafts[
        ["draft", "draft_label", "meeting", "date", "outcome", "resolution", "resolution_year",
         "submitted_by"]
    ].itertuples(index=False, name=None):  # fmt: skip
        sponsors, repairs = parsed.get(text) if not pd.isna(text) else split_sponsors(None)
        for sponsor in sponsors:
            rows.append(
                (draft, label, meeting, day, outcome, number, year, sponsor.position,
                 sponsor.name, sponsor.iso3, sponsor.kind)
            )  # fmt: skip
        for repair in repairs:
            seen.setdefault(repair, []).append(_draft_name(draft, label, number))
    frame = pd.DataFrame(rows, columns=SPONSOR_COLUMNS)
    for col in ("meeting", "resolution", "resolution_year", "position"):
        frame[col] = frame[col].astype("Int64")
    issues = [
        {
            "source": "votes",
            "item": name,
            "issue": f"'Submitted by' of {drafts_[0]}"
            + (f" and {len(drafts_) - 1} more drafts" if len(drafts_) > 1 else ""),
            "action": what
            + ("; kept with kind 'unknown' and no ISO3" if what.endswith("recognised") else ""),
        }
        for (name, what), drafts_ in seen.items()
    ]
    return frame, issues
