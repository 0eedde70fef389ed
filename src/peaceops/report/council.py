"""The Council report: one self-contained HTML file about the Security Council as a whole.

For researchers of Council fragmentation: unanimity, vetoes and abstentions per year, each
member's votes per year, vetoes by topic and the vetoed drafts, and what the records cannot
tell (source changes, years without membership, records that contradict each other).

Data flow: ``store.council.council`` (one JSON-ready document for a range of years) ->
figures (:mod:`peaceops.report.council_figures`, each with the numbers behind it) ->
``templates/council.html``. Every figure is followed by its numbers as a table (its text
alternative); the source files are numbered and cited by section. Styles and figures are
inline: the file opens offline, with no request to any server.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from peaceops import __version__
from peaceops.report.render import environment, inline_svg
from peaceops.report.views import COUNCIL_KEY, as_json, kept
from peaceops.store import Database
from peaceops.store.council import council

#: Data issues that make a year's vote records doubtful (marked "!" in figures and tables);
#: the spurious duplicates are left out of the counts, so they mark nothing.
MARKING_ISSUES = ("outside_membership", "contradicts_outcome", "double_vote")
#: A year with this share or more of its vote records in one marking issue is hatched in the
#: member figure and left out of its colour scale (in the data, 1995: half its records are
#: of states not on the Council).
UNRELIABLE_SHARE = 0.25


def _numbers(
    title: str,
    rows: Sequence[Sequence[object]],
    flagged: int | None = None,
    *,
    opened: bool = False,
) -> Markup:
    """A table of numbers in a collapsible block (every value escaped).

    The style of the mission report's numbers. Rows whose ``flagged`` column is not empty are
    marked: their records contradict each other or the membership.
    """
    head, *body = rows
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    lines = []
    for row in body:
        css = ' class="flagged"' if flagged is not None and row[flagged] else ""
        values = "".join(f"<td>{'' if v is None else escape(v)}</td>" for v in row)
        lines.append(f"<tr{css}>{values}</tr>")
    state = " open" if opened else ""
    return Markup(  # noqa: S704 - every value above is escaped
        f"<details{state}><summary>{escape(title)}</summary><div class='scroll'><table>"
        f"<tr>{cells}</tr>{''.join(lines)}</table></div></details>"
    )


def _member_table(member_years: list[dict], marked: set[int]) -> list[list]:
    """Every member's votes per year, with what is known of its seat ("!": doubtful)."""
    seated = {True: "yes", False: "no, per the membership file", None: "unknown"}
    head = ["year", "ISO3", "member", "seat", "on the Council", "ballots", "yes", "no",
            "abstain", "not voting", "non-yes share", "data issues"]  # fmt: skip
    rows: list[list] = [head]
    for r in member_years:
        doubtful = r["year"] in marked or r["on_council"] is False
        rows.append(
            [r["year"], r["member_iso3"], r["member"], r["seat"] or "", seated[r["on_council"]],
             r["ballots"], r["yes"], r["no"], r["abstain"], r["not_voting"],
             "" if r["non_yes_share"] is None else f"{r['non_yes_share']:.3f}",
             "!" if doubtful else ""]
        )  # fmt: skip
    return rows


def _issue_rows(document: dict) -> list[dict]:
    """Data issues per year, one row per year with a count per kind."""
    years: dict[int, dict] = {}
    for issue in document["data_issues"]:
        years.setdefault(issue["year"], {"year": issue["year"]})[issue["issue"]] = issue["count"]
    return [years[y] for y in sorted(years)]


def _worst(issue_rows: list[dict]) -> dict | None:
    """The year with the most records of non-members or contradicting outcomes, if any."""
    kinds = ("outside_membership", "contradicts_outcome")
    scored = [(sum(r.get(k, 0) for k in kinds), r) for r in issue_rows]
    scored = [(n, r) for n, r in scored if n]
    return max(scored, key=lambda item: (item[0], -item[1]["year"]))[1] if scored else None


def _unreliable(document: dict) -> set[int]:
    """Years with ``UNRELIABLE_SHARE`` or more of their vote records in one marking issue."""
    records = {b["year"]: b["records"] for b in document["ballots"]}
    return {
        i["year"]
        for i in document["data_issues"]
        if i["issue"] in MARKING_ISSUES and i["count"] >= UNRELIABLE_SHARE * records[i["year"]]
    }


def council_figures_context(
    db: Database, year_from: int | None = None, year_to: int | None = None
) -> dict:
    """What the Council report shows, as data and SVG figures (the web explorer shows it too).

    Returns:
        ``doc`` (``store.council.council``), ``marked`` (doubtful years), ``issue_rows``,
        ``worst``, ``src``, ``partial``, ``disagreements``, ``member_table``, and
        ``fragmentation_fig``, ``p5_fig``, ``topic_fig`` as ``{svg, rows}`` when there is data.

    Raises:
        UsageError: a range that runs backwards, or years outside the Council data.
    """
    document = council(db, year_from, year_to)
    marked = marked_years(document)
    issue_rows = _issue_rows(document)
    numbered = {s["label"]: n for n, s in enumerate(document["sources"], start=1)}
    context: dict = {
        "doc": document,
        "marked": sorted(marked),
        "issue_rows": issue_rows,
        "worst": _worst(issue_rows),
        "src": numbered,
        "partial": [t for t in document["tallies"] if t["with_tally"] < t["adopted"]],
        "disagreements": [r for r in document["veto_check"] if r["series"] != r["veto_list"]],
        "member_table": _member_table(document["member_years"], marked),
    }
    if year_from is None and year_to is None:  # all years: drawn by the build (#30)
        drawn = kept(db, COUNCIL_KEY, lambda: draw_council(document))
    else:
        drawn = as_json(draw_council(document))
    for name, figure in drawn.items():
        context[name] = {"svg": inline_svg(figure["svg"]), "rows": figure["rows"]}
    return context


def marked_years(document: dict) -> set[int]:
    """The years whose votes the data issues make doubtful (drawn hollow, marked in tables)."""
    return {i["year"] for i in document["data_issues"] if i["issue"] in MARKING_ISSUES}


def draw_council(document: dict) -> dict[str, dict]:
    """The figures of a ``store.council.council`` document, ``{name: {"svg", "rows"}}``.

    Only the figures with data are drawn.
    """
    from peaceops.report import council_figures  # matplotlib only when drawing (#30)

    marked = marked_years(document)
    drawn = {}
    if document["fragmentation"]:
        drawn["fragmentation_fig"] = council_figures.fragmentation(
            document["fragmentation"],
            document["scopes"],
            marked,
            document["tallies"],
            document["vetoes"],
        )
    if document["member_years"]:
        drawn["p5_fig"] = council_figures.p5_votes(
            document["member_years"], document["p5"], marked, _unreliable(document)
        )
    if document["vetoes_by_topic"]:
        drawn["topic_fig"] = council_figures.vetoes_by_topic(document["vetoes_by_topic"])
    return {name: {"svg": svg, "rows": rows} for name, (svg, rows) in drawn.items()}


def council_report(db: Database, year_from: int | None = None, year_to: int | None = None) -> str:
    """The HTML of the Council report for ``year_from`` to ``year_to`` (default: all years).

    Raises:
        UsageError: a range that runs backwards, or years outside the Council data.
    """
    context = council_figures_context(db, year_from, year_to)
    context |= {"version": __version__, "numbers": _numbers}
    return environment().get_template("council.html").render(**context)
