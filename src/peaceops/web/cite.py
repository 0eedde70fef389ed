"""Citations of resolutions: BibTeX and CSL-JSON, and the links to the UN's documents (#30).

``GET /api/resolutions/{n}/cite?format=bibtex|csl`` answers one resolution's citation as a
file (``Content-Disposition: attachment``); the resolution page shows the same texts
(:func:`citation`) under its "Cite this" button. The document cited is the UN's
(``https://undocs.org/S/RES/<n>(<year>)``); its voting record is the meeting's verbatim record
(``https://undocs.org/S/PV.<meeting>``), from the vote stored with the resolution
(``store.queries.resolution``: the adopted draft of ``drafts``, else the meeting tables).
"""

from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from peaceops.errors import UsageError
from peaceops.store import queries
from peaceops.web.api import knowledge

router = APIRouter(prefix="/api")

UNDOCS = "https://undocs.org/"
AUTHORITY = "UN Security Council"
#: Formats of the citation: media type and file suffix.
FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "csl": ("application/vnd.citationstyles.csl+json", "json"),
}
_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def links(resolution: dict) -> dict:
    """The UN's document of a resolution and its meeting record (None when unknown)."""
    vote = resolution.get("vote") or {}
    raw = vote.get("meeting_record") or (
        f"S/PV.{vote['meeting']}" if vote.get("meeting") is not None else ""
    )
    # the meeting tables write some records loosely ('S/PV.733  (closed)', two parts of one
    # meeting); a closed meeting has no verbatim record to link
    found = re.search(r"S/PV\.\d+", raw)
    record = found[0] if found else None
    closed = "closed" in raw.lower()
    return {
        "document": f"{UNDOCS}S/RES/{resolution['number']}({resolution['year']})",
        "record": record,
        "record_url": f"{UNDOCS}{record}" if record and not closed else None,
    }


def _title(resolution: dict) -> str:
    base = f"Resolution {resolution['number']} ({resolution['year']})"
    return f"{base}: {resolution['title']}" if resolution.get("title") else base


def _note(resolution: dict, record: str | None) -> str | None:
    vote = resolution.get("vote")
    if not vote:
        return None
    tally = f"{vote['yes']}-{vote['no']}-{vote['abstain']}" if vote.get("yes") is not None else ""
    parts = [f"adopted at meeting {record}" if record else "adopted"]
    if tally:
        parts.append(f"vote {tally} (in favour-against-abstaining)")
    return "; ".join(parts)


def _bibtex_text(value: str) -> str:
    """``value`` safe inside a BibTeX field: its special characters escaped."""
    escaped = value.replace("\\", r"\textbackslash{}")
    escaped = _BIBTEX_SPECIAL.sub(r"\\\1", escaped)
    return escaped.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def bibtex(resolution: dict) -> str:
    """A BibTeX ``@misc`` entry of the resolution (biblatex reads its ``date`` and ``url``)."""
    found = links(resolution)
    key = f"unsc_res_{resolution['number']}_{resolution['year']}"
    fields = [
        ("author", "{United Nations Security Council}"),
        ("title", "{" + _bibtex_text(_title(resolution)) + "}"),
        ("howpublished", f"Security Council resolution {_bibtex_text(resolution['symbol'])}"),
        ("number", _bibtex_text(resolution["symbol"])),
        ("organization", "United Nations"),
        ("year", str(resolution["year"])),
        ("date", resolution.get("date") or str(resolution["year"])),
        ("url", found["document"]),
    ]
    note = _note(resolution, found["record"])
    if note:
        fields.append(("note", _bibtex_text(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def csl(resolution: dict) -> list[dict]:
    """The resolution as CSL-JSON (a list of one item of type ``legislation``)."""
    found = links(resolution)
    date = resolution.get("date")
    parts = [int(x) for x in date.split("-")] if date else [int(resolution["year"])]
    item = {
        "id": f"unsc-res-{resolution['number']}-{resolution['year']}",
        "type": "legislation",
        "title": _title(resolution),
        "authority": AUTHORITY,
        "author": [{"literal": "United Nations Security Council"}],
        "number": resolution["symbol"],
        "genre": "Security Council resolution",
        "publisher": "United Nations",
        "issued": {"date-parts": [parts]},
        "URL": found["document"],
    }
    note = _note(resolution, found["record"])
    if note:
        item["note"] = note
    return [item]


def citation(resolution: dict) -> dict:
    """What the resolution page shows: both texts, the links and the file names."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", resolution["symbol"]).strip("-")
    return {
        **links(resolution),
        "bibtex": bibtex(resolution),
        "csl": json.dumps(csl(resolution), ensure_ascii=False, indent=2) + "\n",
        "files": {fmt: f"{stem}.{suffix}" for fmt, (_, suffix) in FORMATS.items()},
    }


@router.get(
    "/resolutions/{n}/cite",
    tags=["citation"],
    summary="A resolution's citation (BibTeX or CSL-JSON)",
    response_class=Response,
    responses={200: {"content": {m.split(";")[0]: {} for m, _ in FORMATS.values()}}},
)
def cite(
    request: Request,
    n: str,
    format: Annotated[str, Query(max_length=20)] = "bibtex",
) -> Response:
    """A resolution's citation as a file: ``bibtex`` (an ``@misc`` entry) or ``csl`` (CSL-JSON).

    ``n`` is the resolution's number (``2098``, or ``2098 (2013)``). The entry links the UN's
    document (undocs.org/S/RES/...) and names the meeting that adopted it (S/PV....).
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format[:20]!r}: use one of {', '.join(FORMATS)}")
    if len(n) > 20:
        raise UsageError("not a resolution number; use e.g. 2098")
    number = knowledge(request).cached(("find", n), lambda db: queries.find_resolution(db, n))
    resolution = knowledge(request).cached(
        ("resolution", number), lambda db: queries.resolution(db, number)
    )
    text = citation(resolution)
    media_type, _ = FORMATS[format]
    return Response(
        text[format],
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{text["files"][format]}"'},
    )
