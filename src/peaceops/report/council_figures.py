"""Figures of the Council report, drawn with matplotlib into SVG text that the HTML embeds.

Every function takes parts of the document of :func:`peaceops.store.council.council` and
returns ``(svg, rows)``: the figure, and the numbers behind it as table rows (a header row
first), which the report prints under the figure as its text alternative. Nothing here computes
a figure of its own, and nothing missing is drawn as zero: a year without records is a gap, a
share that cannot be known is a grey cell, and years whose records contradict each other
(``data_issues``) are marked with "!".

Output is deterministic (fixed hash salt, no date) and, like :mod:`peaceops.report.figures`,
drawn one figure at a time, because pyplot is not thread-safe.
DOCS: docs/adr/004-report-figures.md
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from peaceops.report.figures import _STYLE, _serialised, _svg  # the house style and lock

#: One colour per member casting vetoes (the USSR in a lighter shade of Russia's).
VETO_COLOURS = {
    "CHN": "#cb181d",
    "FRA": "#2171b5",
    "GBR": "#6a51a3",
    "RUS": "#8c510a",
    "SUN": "#d8b365",
    "USA": "#238b45",
}
VETO_LABELS = {"SUN": "USSR"}
#: The bar segment of drafts vetoed by two or more members together (one draft, one unit).
JOINT = "joint"
JOINT_COLOUR = "#969696"
SCOPE_STYLES = {
    "all": {"color": "#08306b", "linewidth": 1.6, "marker": "o", "markersize": 3},
    "paper_missions": {"color": "#d94801", "linewidth": 1.0, "marker": "s", "markersize": 2.5},
}
SCOPE_LABELS = {
    "all": "all drafts",
    "paper_missions": "drafts on the paper's mission hosts",
}
#: Topics drawn by name in the topic figure; the rest share one row.
TOP_TOPICS = 14


def _year_ticks(ax, years: list[int]) -> None:
    """Label every year on a short axis, every fifth on a long one."""
    step = 1 if len(years) <= 16 else 5
    ticks = [y for y in years if y % step == 0] or years[:1]
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(y) for y in ticks], rotation=90 if step == 1 else 0, fontsize=7)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


@_serialised
def fragmentation(
    rows: list[dict],
    scopes: list[str],
    marked: Iterable[int] = (),
    tallies: Iterable[dict] = (),
    vetoes: Iterable[dict] = (),
) -> tuple[str, list]:
    """Unanimity share per year (one line per scope) over vetoed drafts per year.

    The bars count vetoed drafts, the document's ``vetoes`` (the veto record), one unit per
    draft, coloured by the member that vetoed it, or grey when two or more vetoed it together;
    so a year's bar is its ``vetoed`` figure (#28: the bars counted vetoes cast, and disagreed
    with the table in 15 years). The table keeps the vetoes cast by each member.

    ``rows`` are the document's ``fragmentation`` rows, ``tallies`` its ``tallies``: a year
    whose share rests on only part of its adoptions (the others have no tally in the meeting
    tables) is a hollow point. ``marked`` years, whose records contradict each other, are
    ringed and carry "!". A dotted line marks where the source changes; a year without drafts
    is a gap.
    """
    marked = sorted(set(marked))
    tallied = {t["year"]: t["with_tally"] for t in tallies}
    years = sorted({r["year"] for r in rows})
    drawn: dict[tuple[int, str], int] = {}  # (year, member or JOINT) -> vetoed drafts
    for veto in vetoes:
        members = [m for m in (veto["vetoed_by"] or "").split(",") if m]
        key = (int(veto["date"][:4]), members[0] if len(members) == 1 else JOINT)
        drawn[key] = drawn.get(key, 0) + 1
    heights = {y: sum(n for (year, _), n in drawn.items() if year == y) for y in years}
    table = [["year", "scope", "source", "drafts", "adopted", "adopted with a tally", "vetoed",
              "failed", "non-unanimous", "unanimity share", "abstentions", "P5 abstentions",
              *(f"vetoes {VETO_LABELS.get(m, m)}" for m in VETO_COLOURS), "vetoed drafts drawn",
              "data issues"]] + [
        [r["year"], r["scope"], r["source"], r["drafts"], r["adopted"],
         tallied.get(r["year"], "") if r["scope"] == "all" else "", r["vetoed"], r["failed"],
         r["non_unanimous"], _share(r["unanimity_share"]), r["abstentions"], r["p5_abstentions"],
         *(r[f"vetoes_{m.lower()}"] for m in VETO_COLOURS),
         heights[r["year"]] if r["scope"] == "all" else "", "!" if r["year"] in marked else ""]
        for r in rows
    ]  # fmt: skip
    span = list(range(years[0], years[-1] + 1)) if years else []
    with plt.rc_context(_STYLE):
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(9, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
        )
        for scope in scopes:
            style = SCOPE_STYLES.get(scope, {})
            by_year = {r["year"]: r for r in rows if r["scope"] == scope}
            values = [(by_year.get(y) or {}).get("unanimity_share") for y in span]
            top.plot(span, values, color=style.get("color"), linewidth=style.get("linewidth"))
            partial = {
                y
                for y, r in by_year.items()
                if scope == "all" and tallied.get(y, 1e9) < r["adopted"]
            }
            full = [None if y in partial else v for y, v in zip(span, values, strict=True)]
            part = [v if y in partial else None for y, v in zip(span, values, strict=True)]
            top.plot(span, full, linestyle="none", marker=style.get("marker"),
                     markersize=style.get("markersize"), color=style.get("color"),
                     label=SCOPE_LABELS.get(scope, scope))  # fmt: skip
            if any(v is not None for v in part):
                top.plot(span, part, linestyle="none", marker=style.get("marker"),
                         markersize=style.get("markersize", 3) + 1.5, color=style.get("color"),
                         markerfacecolor="white",
                         label="hollow: share of the adoptions with a tally only")  # fmt: skip
        flagged = [
            (r["year"], r["unanimity_share"])
            for r in rows
            if r["scope"] == "all" and r["year"] in marked and r["unanimity_share"] is not None
        ]
        if flagged:
            top.plot(*zip(*flagged, strict=True), "o", markersize=9, markerfacecolor="none",
                     markeredgecolor="#cb181d",
                     label="! records contradict each other")  # fmt: skip
            for year, _ in flagged:
                top.text(year, 1.07, "!", color="#cb181d", ha="center", va="bottom",
                         fontweight="bold", fontsize=8)  # fmt: skip
        top.set_ylim(0, 1.14)
        top.set_yticks([0, 0.25, 0.5, 0.75, 1])
        top.set_ylabel("unanimity share\n(adopted without a no or abstention)")
        top.legend(loc="lower left", bbox_to_anchor=(0, 1.06), frameon=False, fontsize=8, ncol=2)
        stack = [0] * len(span)
        for member, colour in (*VETO_COLOURS.items(), (JOINT, JOINT_COLOUR)):
            counts = [drawn.get((y, member), 0) for y in span]
            if any(counts):
                label = (
                    "two or more members" if member == JOINT else VETO_LABELS.get(member, member)
                )
                bars = bottom.bar(span, counts, bottom=stack, color=colour, width=0.8,
                                  linewidth=0, label=label)  # fmt: skip
                for year, count, rect in zip(span, counts, bars.patches, strict=True):
                    rect.set_gid(f"bar-{member}-{year}" if count else None)  # read by tests
                stack = [a + b for a, b in zip(stack, counts, strict=True)]
        bottom.set_ylabel("vetoed drafts\n(by vetoing member)")
        bottom.yaxis.get_major_locator().set_params(integer=True)
        if any(stack):
            bottom.legend(loc="upper left", frameon=False, fontsize=8, ncol=7)
            bottom.set_ylim(0, max(stack) * 1.4)
        sources = {r["year"]: r["source"] for r in rows if r["scope"] == "all"}
        for year in span:
            if year - 1 in sources and sources.get(year) not in (None, sources[year - 1]):
                for ax in (top, bottom):
                    ax.axvline(year - 0.5, color="#777777", linestyle=":", linewidth=1)
                for text, side, dx in (
                    (sources[year - 1], "right", -3),
                    (sources[year], "left", 3),
                ):
                    top.annotate(text, (year - 0.5, 0.02), xycoords=top.get_xaxis_transform(),
                                 xytext=(dx, 0), textcoords="offset points", ha=side,
                                 va="bottom", fontsize=7, color="#555555")  # fmt: skip
        _year_ticks(bottom, span)
        bottom.set_xlabel("year")
        return _svg(fig), table


@_serialised
def p5_votes(
    member_years: list[dict],
    p5: list[str],
    marked: Iterable[int] = (),
    unreliable: Iterable[int] = (),
) -> tuple[str, list]:
    """The share of ballots each permanent member did not vote yes on, per year (a heat map).

    The share is (no + abstain + not voting) / ballots of the year; each cell gives it in
    percent. Years whose records contradict each other carry "!"; ``unreliable`` years (a
    quarter or more of their records doubtful) are hatched and left out of the colour scale,
    so that they do not wash out the other years.
    """
    marked, unreliable = set(marked), set(unreliable)
    rows = [r for r in member_years if r["member_iso3"] in p5]
    years = sorted({r["year"] for r in rows})
    table = [["member", "year", "ballots", "yes", "no", "abstain", "not voting",
              "non-yes share", "data issues"]] + [
        [r["member_iso3"], r["year"], r["ballots"], r["yes"], r["no"], r["abstain"],
         r["not_voting"], _share(r["non_yes_share"]), "!" if r["year"] in marked else ""]
        for r in sorted(rows, key=lambda r: (p5.index(r["member_iso3"]), r["year"]))
    ]  # fmt: skip
    cells = {(r["member_iso3"], r["year"]): r["non_yes_share"] for r in rows}
    top = max([v for (_, y), v in cells.items() if v is not None and y not in unreliable] + [0.2])
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(max(4.5, 0.3 * len(years) + 1.6), 2.3))
        grid = [[cells.get((m, y)) for y in years] for m in p5]
        masked = [[float("nan") if v is None else v for v in line] for line in grid]
        image = ax.imshow(masked, aspect="auto", cmap="Reds", vmin=0, vmax=top,
                          interpolation="nearest")  # fmt: skip
        ax.set_facecolor("#d9d9d9")  # a year without a share shows grey, not white (zero)
        for i, line in enumerate(grid):
            for j, value in enumerate(line):
                if value is not None:
                    ax.text(j, i, f"{100 * value:.0f}", ha="center", va="center", fontsize=7,
                            color="white" if value > 0.6 * top else "#1a1a1a")  # fmt: skip
        for j, year in enumerate(years):
            if year in unreliable:
                ax.add_patch(Rectangle((j - 0.5, -0.5), 1, len(p5), fill=False, hatch="////",
                                       edgecolor="#555555", linewidth=0))  # fmt: skip
        ax.set_yticks(range(len(p5)))
        ax.set_yticklabels(p5, fontsize=8)
        ax.set_ylabel("permanent member")
        ax.set_xticks(range(len(years)))
        ax.set_xticklabels(
            [f"{y}!" if y in marked else str(y) for y in years], rotation=90, fontsize=7
        )
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
        bar = fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01, extend="max")
        bar.set_label("share not voting yes", fontsize=7)
        bar.ax.tick_params(labelsize=7)
        label = "year (cells: % of the year's ballots; ! = records contradict each other"
        if unreliable & set(years):
            label += ";\nhatched: a quarter or more of the year's vote records are doubtful"
        ax.set_xlabel(label + ")")
        return _svg(fig), table


@_serialised
def vetoes_by_topic(rows: list[dict]) -> tuple[str, list]:
    """Vetoed drafts per topic and year: one row per topic, a dot per year sized by count.

    Topics are the sources' own labels (not harmonised); the topics with the most vetoes are
    drawn by name, the rest share one row.
    """
    table = [["year", "topic", "vetoed drafts", "vetoed by", "source"]] + [
        [r["year"], r["topic"], r["vetoes"], r["vetoed_by"], r["source"]] for r in rows
    ]
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["topic"]] = totals.get(r["topic"], 0) + r["vetoes"]
    named = sorted(totals, key=lambda t: (-totals[t], t))[:TOP_TOPICS]
    others = len(totals) - len(named)
    labels = [*named, *([f"{others} other topics"] if others else [])]
    points: dict[tuple[int, int], int] = {}
    for r in rows:
        y = named.index(r["topic"]) if r["topic"] in named else len(named)
        points[(r["year"], y)] = points.get((r["year"], y), 0) + r["vetoes"]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(9, 0.26 * len(labels) + 1.2))
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(
                xs,
                ys,
                s=[22 * n for n in points.values()],
                color="#08306b",
                alpha=0.75,
                linewidths=0,
            )
            for n in (1, 3):
                ax.scatter(
                    [],
                    [],
                    s=22 * n,
                    color="#08306b",
                    alpha=0.75,
                    linewidths=0,
                    label=f"{n} vetoed draft{'s' if n > 1 else ''}",
                )
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
            lo, hi = min(xs), max(xs)
            ax.set_xlim(lo - 1, hi + 1)
            ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels([t if len(t) <= 48 else t[:47] + "…" for t in labels], fontsize=7)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel("year")
        ax.set_ylabel("topic (the sources' labels)")
        return _svg(fig), table
