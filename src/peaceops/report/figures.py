"""Figures of the reports, drawn with matplotlib into SVG text that the HTML embeds.

Every function takes the JSON-ready documents of the lower layers (``store.queries``,
``sim.run.fan``) and returns ``(svg, rows)``: the figure, and the numbers behind it as table
rows, which the report prints as the figure's text alternative. Nothing here computes a figure
of its own. What is not observed is drawn as such: years whose codes are carried forward are
hollow and dashed, simulated series are labelled "simulated", gaps in a source stay gaps.

SVG output is deterministic (fixed hash salt, no date), so the same data give the same bytes.
DOCS: docs/adr/004-report-figures.md
"""

from __future__ import annotations

import functools
import io
import itertools
import threading
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

MODALITY_RANK = {"Encouraged": 1, "Monitor": 2, "Assist": 3, "Security": 4}
#: One colour per modality, light to dark (a sequential scale readable in grey).
MODALITY_COLOURS = {
    "Encouraged": "#deebf7",
    "Monitor": "#9ecae1",
    "Assist": "#4292c6",
    "Security": "#08306b",
}
_STYLE = {
    "svg.hashsalt": "peaceops",
    "svg.fonttype": "none",  # text stays text: searchable, and small
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


F = TypeVar("F", bound=Callable)
#: pyplot is not thread-safe; the web explorer draws from a thread pool, so figures are drawn
#: one at a time.
_DRAWING = threading.RLock()


def _serialised(function: F) -> F:
    @functools.wraps(function)
    def draw(*args, **kwargs):
        with _DRAWING:
            return function(*args, **kwargs)

    return draw  # type: ignore[return-value]


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog: the SVG is inlined in HTML


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


#: Fill of a column whose resolution has no text and nothing to carry forward.
NO_CODES_COLOUR = "#e0e0e0"


@_serialised
def mandate_timeline(
    inheritance: list[dict], resolutions: list[dict], labels: dict[str, str] | None = None
) -> tuple[str, list]:
    """Tasks (rows) in force after each resolution (columns), shaded by modality.

    A resolution without text is starred; its tasks in force are those of the last
    resolution with text, hatched ("carried forward"). Where it has nothing to carry (no
    earlier text), its column is grey and says "no codes" (#30: such a column looked like
    hatched "carried forward" cells). ``labels`` name the PEMA task stems in words (the key):
    each row reads "words (Stem)".
    """
    order = [r["number"] for r in resolutions if r.get("date")]
    has_text = {r["number"]: bool(r.get("has_text")) for r in resolutions}
    state: dict[int, dict[str, str]] = {n: {} for n in order}
    for row in inheritance:
        if row["resolution"] in state and row["status"] != "dropped" and row["modality_after"]:
            state[row["resolution"]][row["task"]] = row["modality_after"]
    tasks = sorted({t for s in state.values() for t in s}, key=str.lower)

    def basis(number: int) -> str:
        if has_text[number]:
            return "text"
        return "no text: carried" if state[number] else "no text: no codes"

    rows = [[n, basis(n), *(state[n].get(t, "") for t in tasks)] for n in order]
    names = [f"{labels[t]} ({t})" if labels and labels.get(t) else t for t in tasks]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(max(6, 0.32 * len(order) + 2), 0.22 * len(tasks) + 1.8))
        cells: dict[tuple[str, bool], list] = {}  # one collection per fill: fast to draw
        for x, number in enumerate(order):
            carried = not has_text[number]
            for y, task in enumerate(tasks):
                modality = state[number].get(task)
                if modality:
                    cells.setdefault((modality, carried), []).append(
                        [(x, y), (x + 0.92, y), (x + 0.92, y + 0.86), (x, y + 0.86)]
                    )
            if carried and not state[number]:
                ax.add_patch(plt.Rectangle((x, 0), 0.92, max(1, len(tasks)),
                                           facecolor=NO_CODES_COLOUR, linewidth=0,
                                           gid=f"no-codes-{number}"))  # fmt: skip
                ax.text(x + 0.46, max(1, len(tasks)) / 2, "no codes", rotation=90, ha="center",
                        va="center", fontsize=7, color="#555555")  # fmt: skip
        for (modality, carried), polygons in cells.items():
            ax.add_collection(
                PolyCollection(polygons, facecolors=MODALITY_COLOURS[modality],
                               hatch="////" if carried else None, edgecolors="#999999",
                               linewidths=0, gid=f"cells-{modality.lower()}"
                               + ("-carried" if carried else ""))
            )  # fmt: skip
        ax.set_xlim(0, max(1, len(order)))
        ax.set_ylim(0, max(1, len(tasks)))
        ax.set_xticks([x + 0.46 for x in range(len(order))])
        ax.set_xticklabels(
            [f"{n}" + ("" if has_text[n] else "*") for n in order], rotation=90, fontsize=7
        )
        ax.set_yticks([y + 0.43 for y in range(len(tasks))])
        ax.set_yticklabels(names, fontsize=7)
        ax.set_ylabel("task (PEMA's name)")
        ax.set_xlabel("resolution (* no text: tasks carried forward from the last text)")
        handles = [Patch(color=c, label=m) for m, c in MODALITY_COLOURS.items()]
        handles.append(Patch(facecolor="#4292c6", hatch="////", edgecolor="#999999",
                             label="hatched: no text, carried forward"))  # fmt: skip
        handles.append(Patch(facecolor=NO_CODES_COLOUR, label="grey: no text, no codes"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                  fontsize=8)  # fmt: skip
        return _svg(fig), [["resolution", "basis", *tasks], *rows]


#: Recorded events by kind: one colour and line style per kind, numbered in the figure as in
#: the events list under it (#30: the lines were all alike and unlabelled).
EVENT_KINDS = {
    "host consent withdrawn": (
        ("consent_restriction", "access_denial", "sofa_violation", "withdrawal_request",
         "expulsion"), "#cb181d", "-"),
    "partner arrives or leaves": (("partner_arrival", "partner_departure"), "#6a51a3", "--"),
    "coup or regime change": (("coup", "regime_change"), "#000000", "-."),
    "mandate decision": (("stabilization_turn", "mandate_termination", "withdrawal_plan"),
                         "#238b45", (0, (1, 1))),
}  # fmt: skip
OTHER_EVENTS = ("other (attacks, talks, protests)", "#d94801", ":")


def event_kind(event_type: str) -> tuple[str, str, object]:
    """``(kind, colour, line style)`` of an event type in the impartiality figure."""
    for kind, (types, colour, style) in EVENT_KINDS.items():
        if event_type in types:
            return kind, colour, style
    return OTHER_EVENTS


def year_position(day: date) -> float:
    """A date on a year axis where year Y spans Y - 0.5 to Y + 0.5, so Y sits at tick Y.

    The index of year Y is drawn at Y (as in :func:`comparison`), the events of year Y
    within its span (#30: the index was drawn at 31 December, on the next year's tick).
    """
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year - 0.5 + ((day - start).days + 0.5) / length


def _label_rows(xs: list[float], spacing: float) -> list[int]:
    """A row for each label so that labels in one row keep ``spacing`` apart (greedy)."""
    ends: list[float] = []
    rows = []
    for x in xs:
        row = next((k for k, end in enumerate(ends) if x - end >= spacing), len(ends))
        if row == len(ends):
            ends.append(x)
        ends[row] = x
        rows.append(row)
    return rows


@_serialised
def impartiality(years: list[dict], events: list[dict]) -> tuple[str, list]:
    """The impartiality index per year, with the recorded events of the causal chain.

    Year Y is drawn at tick Y. Coded years are filled points, joined by a solid line;
    carried-forward years hollow points on a dashed line; years whose mandate has no text and
    nothing to carry forward (``no_codes``) are gaps marked with a grey cross on the axis, so
    that "no codes" is not read as "carried forward". Events are lines styled by kind and
    numbered as in the events list (``events`` in order).
    """
    rows = [["year", "index", "basis", "note"]] + [
        [y["year"], y["index"], y["basis"], y["basis_note"]] for y in years
    ]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 3.4))
        for a, b in itertools.pairwise(years):
            if a["index"] is None or b["index"] is None or b["year"] != a["year"] + 1:
                continue
            solid = a["basis"] == b["basis"] == "coded"
            ax.plot([a["year"], b["year"]], [a["index"], b["index"]], color="#08306b",
                    linestyle="-" if solid else "--", linewidth=1.2 if solid else 1)  # fmt: skip
        marks = {
            basis: [(y["year"], y["index"]) for y in years
                    if y["basis"] == basis and y["index"] is not None]
            for basis in ("coded", "carried_forward")
        }  # fmt: skip
        if marks["coded"]:
            ax.plot(*zip(*marks["coded"], strict=True), "o", color="#08306b",
                    label="coded text in force", gid="marks-coded", zorder=3)  # fmt: skip
        if marks["carried_forward"]:
            ax.plot(*zip(*marks["carried_forward"], strict=True), "o", markerfacecolor="white",
                    color="#08306b", label="no text: codes carried forward",
                    gid="marks-carried", zorder=3)  # fmt: skip
        empty = [y["year"] for y in years if y["basis"] == "no_codes"]
        if empty:
            ax.plot(empty, [0.0] * len(empty), "x", color="#777777", markersize=7,
                    clip_on=False, label="no text, nothing to carry: no codes, no index",
                    gid="marks-no-codes", zorder=3)  # fmt: skip
        xs = [year_position(_day(e["date"])) for e in events]
        shown = set()
        for number, (event, x) in enumerate(zip(events, xs, strict=True), start=1):
            kind, colour, style = event_kind(event["type"])
            ax.axvline(x, color=colour, linestyle=style, alpha=0.85, linewidth=1.0,
                       gid=f"event-{number}",
                       label=None if kind in shown else kind)  # fmt: skip
            shown.add(kind)
        known = [y["year"] for y in years] + xs
        if known:
            lo, hi = round(min(known)), round(max(known))
            ax.set_xlim(lo - 0.6, hi + 0.6)
            spacing = 0.025 * (hi - lo + 1.2)  # a two-digit label's width, about
            for number, (x, row) in enumerate(zip(xs, _label_rows(xs, spacing), strict=True), 1):
                ax.annotate(str(number), (x, 1.0), xycoords=ax.get_xaxis_transform(),
                            xytext=(0, 2 + 8.5 * row), textcoords="offset points",
                            ha="center", va="bottom", fontsize=7, annotation_clip=False,
                            color=event_kind(events[number - 1]["type"])[1],
                            gid=f"event-label-{number}")  # fmt: skip
            step = 1 if hi - lo <= 16 else 5
            ticks = [y for y in range(lo, hi + 1) if y % step == 0]
            ax.set_xticks(ticks)
            ax.set_xticklabels([str(y) for y in ticks])
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("impartiality index\n(0 partial, 1 even-handed)")
        ax.set_xlabel("year (each year's index at its tick; numbered lines: recorded events, "
                      "as in the list)")  # fmt: skip
        if ax.get_legend_handles_labels()[0]:  # a mission with no index and no event has none
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False,
                      fontsize=8)  # fmt: skip
        return _svg(fig), rows


@_serialised
def strength(document: dict) -> tuple[str, list]:
    """Authorised against deployed uniformed personnel by month (gaps where no source).

    Where IPI's monthly series stops, the Geo-PKO years of ``document["years"]`` (basis
    ``geopko_yearly``) are drawn apart: a dashed step across each year with a hollow square,
    on a shaded span, labelled as yearly troops by location - never joined to the monthly line,
    never passed off as monthly observations (#28).
    """
    months = document["months"]
    geopko = [y for y in document.get("years", []) if y["basis"] == "geopko_yearly"]
    rows = [["period", "authorised", "deployed", "basis"]]
    rows += [[m["date"][:7], m["authorised"], m["deployed"], "IPI monthly (total)"]
             for m in months]  # fmt: skip
    rows += [[str(y["year"]), None, y["troops"], "Geo-PKO yearly (troops only, by location)"]
             for y in geopko]  # fmt: skip
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 2.8))
        xs = [_day(m["date"]) for m in months]
        ax.plot(xs, [m["authorised"] for m in months], color="#6a51a3", label="authorised",
                gid="line-authorised")  # fmt: skip
        ax.plot(xs, [m["deployed"] for m in months], color="#238b45",
                label="deployed, monthly (IPI)", gid="line-deployed")  # fmt: skip
        if geopko:
            first, last = geopko[0]["year"], geopko[-1]["year"]
            ax.axvspan(date(first, 1, 1), date(last, 12, 31), color="#fdd0a2", alpha=0.35,
                       linewidth=0, gid="span-geopko")  # fmt: skip
            for k, y in enumerate(geopko):
                ax.plot([date(y["year"], 1, 1), date(y["year"], 12, 31)], [y["troops"]] * 2,
                        color="#d94801", linestyle="--", gid=f"step-geopko-{y['year']}",
                        label="troops, yearly by location (Geo-PKO; not monthly)" if k == 0
                        else None)  # fmt: skip
            ax.plot([date(y["year"], 7, 1) for y in geopko], [y["troops"] for y in geopko], "s",
                    color="#d94801", markerfacecolor="white", gid="marks-geopko")  # fmt: skip
            ax.text(date(first, 1, 1), 0.97, " Geo-PKO yearly basis", va="top", fontsize=7,
                    color="#a63603", transform=ax.get_xaxis_transform())  # fmt: skip
        ax.set_ylabel("uniformed personnel")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False,
                  fontsize=8)  # fmt: skip
        return _svg(fig), rows


@_serialised
def fan_chart(document: dict) -> tuple[str, list]:
    """Simulated consent and legitimacy: median and 90% band over seeds, and the record's end."""
    months = document["months"]
    rows = [["month", "deployed share", "consent p05", "consent p50", "consent p95",
             "legitimacy p05", "legitimacy p50", "legitimacy p95"]] + [
        [m["date"][:7], m["deployed"], m["consent"]["p05"], m["consent"]["p50"],
         m["consent"]["p95"], m["legitimacy"]["p05"], m["legitimacy"]["p50"],
         m["legitimacy"]["p95"]]
        for m in months
    ]  # fmt: skip
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 3.2))
        xs = [_day(m["date"]) for m in months]
        for name, colour in (("consent", "#d94801"), ("legitimacy", "#2171b5")):
            ax.fill_between(
                xs,
                [m[name]["p05"] for m in months],
                [m[name]["p95"] for m in months],
                color=colour,
                alpha=0.2,
                linewidth=0,
                gid=f"band-{name}",
            )
            ax.plot(xs, [m[name]["p50"] for m in months], color=colour,
                    label=f"{name} (simulated median, 90% band)", gid=f"median-{name}")  # fmt: skip
        if document["recorded_end"]:
            ax.axvline(_day(document["recorded_end"]), color="black", linestyle=":",
                       label=f"recorded end {document['recorded_end']}")  # fmt: skip
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("consent, legitimacy (0-1, simulated)")
        ax.set_title(
            f"SIMULATED: {document['seeds']} runs, seeds {document['base_seed']}.."
            f"{document['base_seed'] + document['seeds'] - 1} ({document['model_version']})",
            fontsize=8,
            loc="left",
        )
        ax.legend(loc="lower left", frameon=False, fontsize=8)
        return _svg(fig), rows


#: One (colour, marker, line style) per mission of a comparison: missions differ in all three,
#: so that one whose values equal another's stays visible (#30: UNMISS hid under UNAMA).
COMPARE_STYLES = [
    ("#08306b", "o", "-"),
    ("#d94801", "s", "--"),
    ("#238b45", "^", ":"),
    ("#6a51a3", "D", "-."),
    ("#cb181d", "v", (0, (5, 1, 1, 1, 1, 1))),
    ("#525252", "P", (0, (1, 2))),
    ("#8c510a", "X", (0, (6, 2))),
    ("#01665e", "*", (0, (3, 1, 1, 1))),
]
#: Width of the comparison's axes in points (8 in at matplotlib's default margins), used to set
#: a year's points side by side without overlap.
COMPARE_AXES_PT = 8 * 72 * 0.775
#: At most this share of a year holds one year's points of all missions.
DODGE_SPAN = 0.8


def dodge(missions: list[dict]) -> tuple[float, float]:
    """``(years between neighbouring missions' points, marker size in points)``.

    Points of one year are set side by side, a marker's width apart, so that equal values of
    two missions never cover each other (#30: UNMISS's points hid under UNAMA's); with many
    missions or years the markers shrink (not below 3.5 pt) to keep a year's points within
    ``DODGE_SPAN`` of it.
    """
    years = [y["year"] for m in missions for y in m["impartiality"]] or [0]
    per_year = COMPARE_AXES_PT / (max(years) - min(years) + 2)
    n = max(1, len(missions))
    size = max(3.5, min(6.0, DODGE_SPAN * per_year / n))
    return (size * 1.15 / per_year if n > 1 else 0.0), size


@_serialised
def comparison(missions: list[dict]) -> tuple[str, list]:
    """The impartiality index of several missions by year on one axis (carried years hollow).

    Each mission has its own colour, marker and line style; the points of one year are set
    side by side around tick Y (:func:`dodge`), and lines are drawn first-to-last narrowing,
    so no mission hides another where their values are equal.
    """
    rows = [["mission", "year", "index", "partial terms", "basis"]] + [
        [m["mission"], y["year"], y["index"], y["partial_terms"], y["basis"]]
        for m in missions
        for y in m["impartiality"]
    ]
    with plt.rc_context(_STYLE):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.4), sharex=True)
        step, size = dodge(missions)
        for k, m in enumerate(missions):
            colour, marker, style = COMPARE_STYLES[k % len(COMPARE_STYLES)]
            shift = step * (k - (len(missions) - 1) / 2)
            years = m["impartiality"]
            xs = [y["year"] + shift for y in years]
            top.plot(xs, [y["index"] for y in years], color=colour, linestyle=style,
                     linewidth=max(0.8, 2.2 - 0.45 * k), zorder=2 + k,
                     gid=f"line-{m['mission']}")  # fmt: skip
            coded = [(y["year"] + shift, y["index"]) for y in years if y["basis"] == "coded"]
            carried = [(y["year"] + shift, y["index"]) for y in years
                       if y["basis"] == "carried_forward"]  # fmt: skip
            common = {"color": colour, "markersize": size, "zorder": 3 + k, "linestyle": "none"}
            if coded:
                top.plot(*zip(*coded, strict=True), marker=marker, label=m["mission"],
                         gid=f"marks-{m['mission']}-coded", **common)  # fmt: skip
            else:
                top.plot([], [], marker=marker, label=m["mission"], **common)
            if carried:
                top.plot(*zip(*carried, strict=True), marker=marker, markerfacecolor="white",
                         gid=f"marks-{m['mission']}-carried", **common)  # fmt: skip
            # a year without codes has no count of partial terms: a gap, not a zero
            partial = [None if y["basis"] == "no_codes" else y["partial_terms"] for y in years]
            bottom.step(xs, partial, where="mid", color=colour, linestyle=style,
                        linewidth=max(1.0, 4.0 - 1.0 * k), zorder=2 + k,
                        gid=f"partial-{m['mission']}")  # fmt: skip
        top.plot([], [], "o", color="#777777", markerfacecolor="white", linestyle="none",
                 label="hollow: no text, codes carried forward")  # fmt: skip
        top.set_ylim(0, 1.02)
        top.set_ylabel("impartiality index\n(0 partial, 1 even-handed)")
        top.legend(loc="lower left", bbox_to_anchor=(0, 1.02), frameon=False, fontsize=8,
                   ncol=3)  # fmt: skip
        bottom.set_ylabel("partial terms in force")
        bottom.set_xlabel("year (the mandate in force at the end of the year)")
        bottom.xaxis.get_major_locator().set_params(integer=True)
        return _svg(fig), rows


@_serialised
def reliability(bins: list[dict], *, title: str) -> tuple[str, list]:
    """Reliability diagram: observed share against mean forecast per bin, sized by forecasts.

    ``bins`` are the forecast's reliability rows (``bin``, ``forecasts``, ``mean_forecast``,
    ``observed``, ``events``); the diagonal is perfect calibration. Log axes: the forecasts are
    mostly below 5%.
    """
    rows = [["bin", "forecasts", "mean forecast", "observed share", "events"]] + [
        [b["bin"], b["forecasts"], b["mean_forecast"], b["observed"], b["events"]] for b in bins
    ]
    used = [b for b in bins if b["forecasts"]]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(5, 4.2))
        floor = 1e-3
        ax.plot([floor, 1], [floor, 1], color="#999999", linewidth=1, linestyle="--",
                label="perfect calibration")  # fmt: skip
        xs = [max(b["mean_forecast"], floor) for b in used]
        ys = [max(b["observed"], floor) for b in used]
        sizes = [20 + 2 * b["forecasts"] ** 0.9 for b in used]
        ax.scatter(xs, ys, s=sizes, color="#08306b", alpha=0.8, zorder=3,
                   label="bin (area: forecasts)")  # fmt: skip
        for b, x, y in zip(used, xs, ys, strict=True):
            ax.annotate(f"{b['events']}/{b['forecasts']}", (x, y), textcoords="offset points",
                        xytext=(6, -3), fontsize=7)  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(floor * 0.8, 1.1)
        ax.set_ylim(floor * 0.8, 1.1)
        ax.set_xlabel("mean forecast probability (model output)")
        ax.set_ylabel("observed share with a host-forced exit")
        ax.set_title(f"{title}\n(labels: events/forecasts; an observed share of 0 is drawn at "
                     f"{floor:g})", fontsize=9)  # fmt: skip
        ax.legend(loc="upper left", frameon=False, fontsize=8, markerscale=0.5)
        return _svg(fig), rows
