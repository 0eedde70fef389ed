"""Figures that read right (#30): each test reads the figure itself (its SVG's text, positions
and ids) or the data passed to it, never a pixel snapshot.

- the impartiality chart draws year Y at tick Y, as the comparison does;
- event lines are numbered as in the events list, and styled by kind;
- "carried forward" and "no codes" are drawn differently (hollow points and hatched cells
  against grey crosses and grey "no codes" columns);
- PEMA's task names have a key (the task in words beside each name);
- every y-axis says what it measures; no text is smaller than ``MIN_FONT`` (legibility at
  390 px is checked in a browser, ``test_browser_phones.py``);
- the Council page's vetoed-draft bars are the numbers of the table under them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import httpx
import pytest

from peaceops.report import figures
from peaceops.report.council import council_figures_context
from peaceops.report.mission import mission_figures
from peaceops.store.queries import compare_missions, mission, mission_mandates

pytestmark = pytest.mark.issue(30)

NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
#: The smallest font of any figure, in SVG units (points at the figure's own size).
MIN_FONT = 7.0


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own figure, not untrusted input


def _by_id(root: ET.Element, gid: str) -> ET.Element | None:
    return next((e for e in root.iter() if e.get("id") == gid), None)


def _xticks(axes: ET.Element) -> dict[str, float]:
    """Tick label -> x of its tick mark, for the ticks of one axes group."""
    ticks = {}
    for group in axes.iter():
        if re.fullmatch(r"xtick_\d+", group.get("id") or ""):
            use = group.find(".//svg:use", NS)
            text = group.find(".//svg:text", NS)
            if use is not None and text is not None and text.text:
                ticks[text.text.strip()] = float(use.get("x"))
    return ticks


def _yticks(axes: ET.Element) -> list[tuple[float, float]]:
    """(value, y) of each labelled y tick of one axes group."""
    ticks = []
    for group in axes.iter():
        if re.fullmatch(r"ytick_\d+", group.get("id") or ""):
            use = group.find(".//svg:use", NS)
            text = group.find(".//svg:text", NS)
            if use is not None and text is not None and text.text:
                ticks.append((float(text.text.replace("\u2212", "-")), float(use.get("y"))))
    return ticks


def _year_of(x: float, ticks: dict[str, float]) -> float:
    """The year at SVG x, from two year ticks (a linear axis)."""
    (a, xa), (b, xb) = sorted((int(k), v) for k, v in ticks.items() if k.isdigit())[:2]
    return a + (x - xa) * (b - a) / (xb - xa)


def _marks(root: ET.Element, gid: str) -> list[tuple[float, float]]:
    group = _by_id(root, gid)
    if group is None:
        return []
    return [(float(u.get("x")), float(u.get("y"))) for u in group.iter(f"{{{NS['svg']}}}use")]


def _texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{{{NS['svg']}}}text") if (t.text or "").strip()]


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r"font-size: ([\d.]+)px", str(svg))]


def _rotated(root: ET.Element) -> list[str]:
    """Texts drawn upright along a y-axis (rotated by -90 degrees)."""
    return [" ".join(t.text.split()) for t in _texts(root)
            if re.search(r"rotate\(-90[ )]", t.get("transform") or "")]  # fmt: skip


@pytest.fixture(scope="module")
def minusma(db) -> dict:
    return mission_figures(db, "MINUSMA", seeds=4)


def test_issue30_impartiality_draws_year_y_at_tick_y(db, minusma):
    years = mission_mandates(db, "MINUSMA")["impartiality"]
    root = _tree(minusma["index"]["svg"])
    ticks = _xticks(root)
    assert "2013" in ticks and "2014" in ticks
    for gid, basis in (("marks-coded", "coded"), ("marks-carried", "carried_forward")):
        drawn = [round(_year_of(x, ticks), 3) for x, _ in _marks(root, gid)]
        expected = [y["year"] for y in years if y["basis"] == basis and y["index"] is not None]
        assert drawn == expected, gid
    # MINUSMA's 2013 value sits on the 2013 tick (it was drawn at 31 December, on 2014's)
    first = _marks(root, "marks-coded")[0][0]
    assert abs(first - ticks["2013"]) < 0.01 and abs(first - ticks["2014"]) > 10


def test_issue30_the_comparison_draws_year_y_at_y_too(db):
    document = compare_missions(db, ["MINUSMA", "UNAMA"])
    svg, _ = figures.comparison(document["missions"])
    root = _tree(svg)
    ticks = _xticks(_by_id(root, "axes_2"))  # the shared year axis is labelled below
    for m in document["missions"]:
        drawn = [_year_of(x, ticks) for x, _ in _marks(root, f"marks-{m['mission']}-coded")]
        expected = [
            y["year"] for y in m["impartiality"] if y["basis"] == "coded" and y["index"] is not None
        ]
        assert len(drawn) == len(expected)
        step, _ = figures.dodge(document["missions"])
        assert all(abs(d - e) <= step for d, e in zip(drawn, expected, strict=True))


def test_issue30_event_lines_are_numbered_as_in_the_list(db, minusma):
    events = mission(db, "MINUSMA")["events"]
    root = _tree(minusma["index"]["svg"])
    ticks = _xticks(root)
    assert len(events) > 20
    for number, event in enumerate(events, start=1):
        line = _by_id(root, f"event-{number}").find(".//svg:path", NS)
        x = float(re.match(r"M ([\d.]+)", line.get("d")).group(1))
        label = _by_id(root, f"event-label-{number}").find(".//svg:text", NS)
        assert label.text.strip() == str(number)
        assert abs(float(label.get("x")) - x) < 0.5  # the number stands on its line
        year = _year_of(x, ticks)
        assert int(event["date"][:4]) - 0.5 <= year <= int(event["date"][:4]) + 0.5
        _, colour, _ = figures.event_kind(event["type"])
        assert colour in line.get("style")
    texts = " ".join(t.text for t in _texts(root))
    assert "host consent withdrawn" in texts and "partner arrives or leaves" in texts


def test_issue30_carried_forward_and_no_codes_look_different(db, minusma):
    # MINUSMA: 2016-2021 and 2023 carried forward (hollow), no year without codes
    years = mission_mandates(db, "MINUSMA")["impartiality"]
    root = _tree(minusma["index"]["svg"])
    carried = [y for y in years if y["basis"] == "carried_forward"]
    assert len(_marks(root, "marks-carried")) == len(carried) == 7
    assert _by_id(root, "marks-no-codes") is None
    # MINUSMA's S/RES/2690 (no text) carries S/RES/2640's tasks: hatched, not "no codes"
    rows = minusma["timeline"]["rows"]
    basis = {r[0]: r[1] for r in rows[1:]}
    assert basis[2690] == "no text: carried" and basis[2640] == "text"
    assert _by_id(_tree(minusma["timeline"]["svg"]), "no-codes-2690") is None
    # BINUH: its only resolution has no text and nothing to carry: grey, "no codes", crosses
    binuh = mission_figures(db, "BINUH", seeds=0)
    years = mission_mandates(db, "BINUH")["impartiality"]
    empty = [y["year"] for y in years if y["basis"] == "no_codes"]
    root = _tree(binuh["index"]["svg"])
    ticks = _xticks(root)
    assert [round(_year_of(x, ticks)) for x, _ in _marks(root, "marks-no-codes")] == empty
    timeline = _tree(binuh["timeline"]["svg"])
    assert _by_id(timeline, "no-codes-2476") is not None
    assert "no codes" in [t.text.strip() for t in _texts(timeline)]
    assert {r[0]: r[1] for r in binuh["timeline"]["rows"][1:]}[2476] == "no text: no codes"


def test_issue30_pema_task_names_have_a_key(minusma):
    root = _tree(minusma["timeline"]["svg"])
    labels = {t.text.strip() for t in _texts(root)}
    assert "Protection of civilians (CivProtect)" in labels
    assert "Sexual and gender-based violence (SGBViolence)" in labels
    head = minusma["timeline"]["rows"][0]
    assert "CivProtect" in head  # the numbers keep PEMA's names


def test_issue30_every_y_axis_is_labelled(db, minusma):
    council = council_figures_context(db)
    expected = {
        "timeline": (minusma["timeline"]["svg"], "task (PEMA's name)"),
        "index": (minusma["index"]["svg"], "impartiality index"),
        "strength": (minusma["strength_fig"]["svg"], "uniformed personnel"),
        "fan": (minusma["fan_fig"]["svg"], "consent, legitimacy (0-1, simulated)"),
        "compare": (
            figures.comparison(compare_missions(db, ["MINUSMA", "UNMISS"])["missions"])[0],
            "partial terms in force",
        ),
        "fragmentation": (council["fragmentation_fig"]["svg"], "vetoed drafts"),
        "p5": (council["p5_fig"]["svg"], "permanent member"),
        "topics": (council["topic_fig"]["svg"], "topic (the sources' labels)"),
    }
    for name, (svg, label) in expected.items():
        assert any(text.startswith(label) for text in _rotated(_tree(svg))), name


def test_issue30_no_figure_text_is_smaller_than_the_minimum(db, minusma):
    council = council_figures_context(db)
    svgs = [minusma[k]["svg"] for k in ("timeline", "index", "strength_fig", "fan_fig")]
    svgs += [council[k]["svg"] for k in ("fragmentation_fig", "p5_fig", "topic_fig")]
    svgs.append(figures.comparison(compare_missions(db, ["MINUSMA", "UNAMA"])["missions"])[0])
    for svg in svgs:
        sizes = _font_sizes(svg)
        assert sizes and min(sizes) >= MIN_FONT


def test_issue30_unmiss_stays_visible_where_it_overlaps_unama(db):
    document = compare_missions(db, ["UNAMA", "UNMISS"])
    svg, _ = figures.comparison(document["missions"])
    root = _tree(svg)
    unama, unmiss = (
        _marks(root, f"marks-{m}-coded") + _marks(root, f"marks-{m}-carried")
        for m in ("UNAMA", "UNMISS")
    )
    styles = {
        m: _by_id(root, f"marks-{m}-coded").find(".//svg:path", NS).get("d")
        for m in ("UNAMA", "UNMISS")
    }
    assert styles["UNAMA"] != styles["UNMISS"]  # different marker shapes
    lines = {m: _by_id(root, f"line-{m}").find(".//svg:path", NS).get("style") for m in styles}
    assert "dasharray" not in lines["UNAMA"] and "dasharray" in lines["UNMISS"]
    # where the two have the same value in the same year, their points do not coincide
    index = {m["mission"]: {y["year"]: y["index"] for y in m["impartiality"]} for m in
             document["missions"]}  # fmt: skip
    same = [y for y, v in index["UNAMA"].items() if v is not None and index["UNMISS"].get(y) == v]
    assert same, "the data have a year where UNMISS equals UNAMA"
    ticks = _xticks(_by_id(root, "axes_2"))
    _, size = figures.dodge(document["missions"])  # the markers' width, in points
    points = {m: {round(_year_of(x, ticks)): (x, y) for x, y in marks}
              for m, marks in (("UNAMA", unama), ("UNMISS", unmiss))}  # fmt: skip
    for year in same:
        (xa, ya), (xb, yb) = points["UNAMA"][year], points["UNMISS"][year]
        assert abs(ya - yb) < 0.01  # the same value, drawn at the same height
        assert abs(xa - xb) >= size  # side by side: neither marker covers the other


def _page_table(html: str, figure_id: str) -> list[list[str]]:
    """The numbers table that follows a figure on an explorer page."""
    after = html[html.index(f'id="{figure_id}"') :]
    table = after[after.index("<table>") : after.index("</table>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
        rows.append([unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)])
    return rows


def _page_svg(html: str, figure_id: str) -> ET.Element:
    after = html[html.index(f'id="{figure_id}"') :]
    svg = after[after.index("<svg") : after.index("</svg>") + 6]
    return ET.fromstring(svg)  # noqa: S314 - our own server's figure


@pytest.mark.parametrize("query", ["", "?from=2015&to=2022", "?from=1946&to=1975"])
def test_issue30_council_page_bars_equal_its_table(server, query):
    html = httpx.get(f"{server}/council{query}", timeout=120).text
    head, *rows = _page_table(html, "fig-fragmentation")
    table = {
        int(r[0]): (int(r[head.index("vetoed")]), int(r[head.index("vetoed drafts drawn")]))
        for r in rows
        if r[head.index("scope")] == "all"
    }
    root = _page_svg(html, "fig-fragmentation")
    bottom = _by_id(root, "axes_2")
    (v0, y0), (v1, y1) = _yticks(bottom)[:2]
    per_unit = (y0 - y1) / (v1 - v0)  # SVG units per vetoed draft
    drawn: dict[int, float] = {}
    for element in bottom.iter():
        match = re.fullmatch(r"bar-(\w+)-(\d{4})", element.get("id") or "")
        if match:
            ys = [float(v) for v in re.findall(r"[\d.]+ ([\d.]+)", element[0].get("d"))]
            year = int(match.group(2))
            drawn[year] = drawn.get(year, 0) + (max(ys) - min(ys)) / per_unit
    assert drawn, "no bars"
    for year in table:
        vetoed, listed = table[year]
        assert round(drawn.get(year, 0), 3) == listed == vetoed, year
