"""The resolution report: paragraphs with every code, target and Chapter VII span highlighted.

Each highlighted span is keyed to the evidence it supports.

Data flow: ``store.queries.resolution`` (date, title, vote), ``resolution_codes`` (paragraphs,
codes, targets, Chapter VII, impartiality) and ``resolution_text`` -> each paragraph's text cut
at every span boundary -> ``<mark>`` pieces naming the evidence they belong to, each span
followed by the numbers of its keys -> ``templates/resolution.html``. Offsets are those of the
stored text, so ``text[start:end] == quote`` holds for every highlighted span.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from markupsafe import Markup, escape

from peaceops import __version__
from peaceops.report.render import environment, paragraph_anchor
from peaceops.store import Database
from peaceops.store.queries import resolution, resolution_codes, resolution_text


def evidence_items(document: dict, text: str) -> list[dict]:
    """Every highlighted span, numbered in text order: codes, named targets, Chapter VII."""
    items = [
        {
            "kind": "code",
            "label": f"{c['task']} / {c['modality']}"
            + (f" ({c['mission']})" if c.get("mission") else ""),
            "detail": f"verb: {c['verb'] or '-'}; partiality: {c['partiality']}; coder {c['coder']}"
            + (f"; strength: {', '.join(c['strength'])}" if c["strength"] else ""),
            "paragraph": c["paragraph"],
            "start": c["start"],
            "end": c["end"],
        }
        for c in document["codes"]
    ]
    items += [
        {
            "kind": "target",
            "label": f"{t['relation']}: {t['group']}" + (" (inferred)" if t["inferred"] else ""),
            "detail": f"actor {t['actor_id'] or 'not in the registry'}; rules {t['rules']}",
            "paragraph": t["paragraph"],
            "start": t["start"],
            "end": t["end"],
        }
        for t in document["targets"]
    ]
    ch = document["chapter_vii"]
    if ch["start"] is not None:
        scope = "the operative part" if ch["operative"] else ", ".join(ch["paragraphs"])
        items.append(
            {
                "kind": "chapter7",
                "label": "Chapter VII",
                "detail": f"acting under Chapter VII for {scope}",
                "paragraph": None,
                "start": ch["start"],
                "end": ch["end"],
            }
        )
    items.sort(key=lambda i: (i["start"], i["end"], i["kind"], i["label"]))
    for number, item in enumerate(items, start=1):
        item["number"] = number
        item["quote"] = text[item["start"] : item["end"]]
    return items


def highlight(
    text: str, start: int, end: int, items: list[dict], subparagraphs: Iterable[dict] = ()
) -> Markup:
    """``text[start:end]`` with every piece covered by evidence in a ``<mark>``.

    Each sub-paragraph that starts inside the span (``12(b)`` in ``12``) gets an empty anchor
    there (``<span id="p-12-b-">``), so a link to its evidence lands on its words.
    """
    inside = [i for i in items if i["start"] < end and i["end"] > start]
    anchors = {p["start"]: p["label"] for p in subparagraphs if start < p["start"] < end}
    cuts = sorted(
        {start, end}
        | {max(start, min(end, p)) for i in inside for p in (i["start"], i["end"])}
        | set(anchors)
    )
    out = []
    for a, b in itertools.pairwise(cuts):
        if a in anchors:
            out.append(
                Markup('<span class="sub" id="{}"></span>').format(paragraph_anchor(anchors[a]))
            )
        covering = [i for i in inside if i["start"] <= a and i["end"] >= b]
        piece = escape(text[a:b])
        if covering:
            kinds = " ".join(sorted({i["kind"] for i in covering}))
            keys = " ".join(str(i["number"]) for i in covering)
            title = "; ".join(f"[{i['number']}] {i['label']}" for i in covering)
            piece = Markup('<mark class="{}" data-keys="{}" title="{}">{}</mark>').format(
                kinds, keys, title, piece
            )  # Markup.format escapes every argument
        out.append(piece)
        ending = [i for i in inside if i["end"] == b]
        if ending:
            links = ",".join(f'<a href="#ev-{i["number"]}">{i["number"]}</a>' for i in ending)
            out.append(Markup(f"<sup>{links}</sup>"))  # noqa: S704 - numbers only
    return Markup("").join(out)


def resolution_report(db: Database, ref: str | int) -> str:
    """The HTML of the resolution report.

    Raises:
        NotFound: the resolution is not in the knowledge base.
        UsageError: ``ref`` is no resolution reference, or names the wrong year.
    """
    base = resolution(db, ref)
    document = resolution_codes(db, base["number"])
    text = resolution_text(db, base["number"]) or ""
    items = evidence_items(document, text) if text else []
    subparagraphs = [p for p in document["paragraphs"] if p["depth"] > 0]
    paragraphs = [
        {
            "label": p["label"],
            "kind": p["kind"],
            "depth": p["depth"],
            "html": highlight(text, p["start"], p["end"], items, subparagraphs),
            "keys": [i["number"] for i in items if i["start"] < p["end"] and i["end"] > p["start"]],
        }
        for p in document["paragraphs"]
        if p["depth"] == 0  # a paragraph's span holds its sub-paragraphs
    ]
    return (
        environment()
        .get_template("resolution.html")
        .render(
            version=__version__,
            resolution=base,
            document=document,
            paragraphs=paragraphs,
            evidence=items,
        )
    )
