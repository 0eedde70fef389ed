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
import threading
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt
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


@_serialised
def mandate_timeline(inheritance: list[dict], resolutions: list[dict]) -> tuple[str, list]:
    """Tasks (rows) in force after each resolution (columns), shaded by modality.

    Columns of resolutions without text are hatched and labelled "carried": their tasks are
    those of the last resolution with text.
    """
    order = [r["number"] for r in resolutions if r.get("date")]
    has_text = {r["number"]: bool(r.get("has_text")) for r in resolutions}
    state: dict[int, dict[str, str]] = {n: {} for n in order}
    for row in inheritance:
        if row["resolution"] in state and row["status"] != "dropped" and row["modality_after"]:
            state[row["resolution"]][row["task"]] = row["modality_after"]
    tasks = sorted({t for s in state.values() for t in s}, key=str.lower)
    rows = [
        [n, "text" if has_text[n] else "no text: carried", *(state[n].get(t, "") for t in tasks)]
        for n in order
    ]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(max(6, 0.32 * len(order) + 2), 0.22 * len(tasks) + 1.6))
        for x, number in enumerate(order):
            for y, task in enumerate(tasks):
                modality = state[number].get(task)
                if modality:
                    ax.add_patch(
                        plt.Rectangle(
                            (x, y), 0.92, 0.86, color=MODALITY_COLOURS[modality], linewidth=0
                        )
                    )
            if not has_text[number]:
                ax.add_patch(
                    plt.Rectangle(
                        (x, 0), 0.92, len(tasks), fill=False, hatch="////", edgecolor="#999999",
                        linewidth=0,
                    )
                )  # fmt: skip
        ax.set_xlim(0, max(1, len(order)))
        ax.set_ylim(0, max(1, len(tasks)))
        ax.set_xticks([x + 0.46 for x in range(len(order))])
        ax.set_xticklabels(
            [f"{n}" + ("" if has_text[n] else "*") for n in order], rotation=90, fontsize=7
        )
        ax.set_yticks([y + 0.43 for y in range(len(tasks))])
        ax.set_yticklabels(tasks, fontsize=7)
        ax.set_xlabel("resolution (* no text: tasks carried forward from the last text, hatched)")
        handles = [Patch(color=c, label=m) for m, c in MODALITY_COLOURS.items()]
        handles.append(Patch(facecolor="white", hatch="////", edgecolor="#999999",
                             label="carried forward (no text)"))  # fmt: skip
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        return _svg(fig), [["resolution", "basis", *tasks], *rows]


@_serialised
def impartiality(years: list[dict], events: list[dict]) -> tuple[str, list]:
    """The impartiality index per year, with the recorded events of the causal chain.

    Coded years are filled points on a solid line; carried-forward years hollow points on a
    dashed line; years without codes are gaps.
    """
    rows = [["year", "index", "basis", "note"]] + [
        [y["year"], y["index"], y["basis"], y["basis_note"]] for y in years
    ]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 3.2))
        xs = [date(y["year"], 12, 31) for y in years]
        values = [y["index"] for y in years]
        ax.plot(xs, values, color="#08306b", linestyle="--", linewidth=1)
        coded = [(x, v) for x, v, y in zip(xs, values, years, strict=True) if y["basis"] == "coded"]
        carried = [
            (x, v)
            for x, v, y in zip(xs, values, years, strict=True)
            if y["basis"] == "carried_forward"
        ]
        if coded:
            ax.plot(*zip(*coded, strict=True), "o", color="#08306b", label="coded text in force",
                    gid="marks-coded")  # fmt: skip
        if carried:
            ax.plot(*zip(*carried, strict=True), "o", markerfacecolor="white", color="#08306b",
                    label="no text: codes carried forward", gid="marks-carried")  # fmt: skip
        for event in events:
            ax.axvline(_day(event["date"]), color="#cb181d", alpha=0.35, linewidth=0.8)
        if events:
            ax.plot([], [], color="#cb181d", alpha=0.35, label="recorded event (see list)")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("impartiality index (0 partial - 1 even-handed)")
        ax.legend(loc="lower left", frameon=False, fontsize=8)
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
        ax.set_title(
            f"SIMULATED: {document['seeds']} runs, seeds {document['base_seed']}.."
            f"{document['base_seed'] + document['seeds'] - 1} ({document['model_version']})",
            fontsize=8,
            loc="left",
        )
        ax.legend(loc="lower left", frameon=False, fontsize=8)
        return _svg(fig), rows


@_serialised
def comparison(missions: list[dict]) -> tuple[str, list]:
    """The impartiality index of several missions by year on one axis (carried years hollow)."""
    rows = [["mission", "year", "index", "partial terms", "basis"]] + [
        [m["mission"], y["year"], y["index"], y["partial_terms"], y["basis"]]
        for m in missions
        for y in m["impartiality"]
    ]
    colours = ["#08306b", "#d94801", "#238b45", "#6a51a3", "#cb181d", "#525252"]
    with plt.rc_context(_STYLE):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
        for k, m in enumerate(missions):
            colour = colours[k % len(colours)]
            size = max(3.0, 7.5 - 1.5 * k)  # concentric markers: equal values stay visible
            years = m["impartiality"]
            xs = [y["year"] for y in years]
            top.plot(xs, [y["index"] for y in years], color=colour, linestyle="--", linewidth=1)
            coded = [(y["year"], y["index"]) for y in years if y["basis"] == "coded"]
            carried = [(y["year"], y["index"]) for y in years if y["basis"] == "carried_forward"]
            if coded:
                top.plot(*zip(*coded, strict=True), "o", color=colour, markersize=size,
                         label=m["mission"], gid=f"marks-{m['mission']}-coded")  # fmt: skip
            else:
                top.plot([], [], "o", color=colour, label=m["mission"])
            if carried:
                top.plot(*zip(*carried, strict=True), "o", color=colour, markerfacecolor="white",
                         markersize=size, gid=f"marks-{m['mission']}-carried")  # fmt: skip
            # a year without codes has no count of partial terms: a gap, not a zero
            partial = [None if y["basis"] == "no_codes" else y["partial_terms"] for y in years]
            bottom.step(xs, partial, where="mid", color=colour, linewidth=max(1.0, 3 - 0.6 * k))
        top.plot([], [], "o", color="#777777", markerfacecolor="white",
                 label="hollow: no text, codes carried forward")  # fmt: skip
        top.set_ylim(0, 1.02)
        top.set_ylabel("impartiality index")
        top.legend(loc="lower left", frameon=False, fontsize=8, ncol=2)
        bottom.set_ylabel("partial terms in force")
        bottom.set_xlabel("year (end of year)")
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
