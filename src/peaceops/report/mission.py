"""The mission report: one self-contained HTML file about one mission.

Data flow: the report asks the lower layers for JSON-ready documents - the mission and its
mandate history (``store.queries.mission`` / ``mission_mandates``), its strength and votes
(``mission_strength`` / ``mission_votes``), the simulation's fan (``sim.run.fan``) - turns
them into figures (:mod:`peaceops.report.figures`) and fills ``templates/mission.html``.
Every figure carries its numbers as a table (its text alternative); every citation and
resolution used is numbered in the sources list. Styles and figures are inline: the file opens
offline, with no request to any server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from markupsafe import Markup, escape

from peaceops import __version__
from peaceops.coding.coder import CODER
from peaceops.coding.lockbox import quality_line
from peaceops.errors import ScenarioError
from peaceops.forecast.summary import backtest_summary, skill_line
from peaceops.report.render import environment, inline_svg
from peaceops.report.views import mission_drawn, mission_inputs
from peaceops.store import Database
from peaceops.store.outputs import write_output
from peaceops.store.queries import (
    compare_missions,
    mission,
    mission_mandates,
    mission_strength,
    mission_text_coverage,
    mission_votes,
    status,
)

TYPE_LABELS = {
    "pko": "peacekeeping operation",
    "spm": "special political mission",
    "regional": "regional or multinational force",
}


class _Sources:
    """Numbered sources, in order of first citation."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def cite(self, text: str | None) -> Markup:
        text = (text or "no citation recorded").strip()
        if text not in self.items:
            self.items.append(text)
        number = self.items.index(text) + 1
        return Markup(f'<a href="#src-{number}">{number}</a>')  # noqa: S704 - an int only


def _numbers(title: str, rows: Sequence[Sequence[object]], carried: int | None = None) -> Markup:
    """A figure's numbers as a collapsible table (every value escaped).

    Rows whose ``carried`` column is not ``coded`` are marked: they are not observations of
    that year.
    """
    head, *body = rows
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    lines = []
    for row in body:
        css = ' class="carried"' if carried is not None and row[carried] != "coded" else ""
        values = "".join(f"<td>{'' if v is None else escape(v)}</td>" for v in row)
        lines.append(f"<tr{css}>{values}</tr>")
    return Markup(  # noqa: S704 - every value above is escaped
        f"<details><summary>{escape(title)}</summary><div class='scroll'><table>"
        f"<tr>{cells}</tr>{''.join(lines)}</table></div></details>"
    )


def mission_figures(
    db: Database,
    acronym: str,
    *,
    seeds: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """What the mission report shows, as data and SVG figures (the web explorer shows it too).

    Args:
        db: the knowledge base.
        acronym: a registry acronym (any case).
        seeds: runs of the simulation's fan chart (0: leave the simulation out).
        progress: called as ``progress(runs done, seeds)`` while simulating.

    Returns:
        ``mission`` (``store.queries.mission``), ``type_label``, ``coverage`` (what each
        mission-year rests on), ``text_coverage`` (its mandating resolutions with and without
        text, ``store.queries.mission_text_coverage``, see #17), ``forecast`` (the 12-month
        probability of a host-forced exit, ``forecast.backtest.mission_outlook``, see #18),
        ``timeline``, ``index``
        (and ``strength_fig``, ``fan_fig`` when there is data) as ``{svg, rows}`` with the
        numbers behind each figure, ``events``, ``strength``, ``votes``, ``fan`` and
        ``fan_missing`` (why there is no fan chart).

    Raises:
        NotFound: an unknown mission.
    """
    base = mission(db, acronym)
    mandates = mission_mandates(db, base["acronym"])
    strength = mission_strength(db, base["acronym"])
    fan_document, fan_missing = None, "The simulation was left out (--seeds 0)."
    if seeds:
        # Mesa only when a fan is drawn: the explorer starts without it (#30)
        from peaceops.sim.run import fan

        try:
            fan_document = fan(db, base["acronym"], seeds=seeds, progress=progress)
        except ScenarioError as exc:
            fan_missing = f"No simulation: {exc}"
    drawn = mission_drawn(db, base["acronym"], mission_inputs(base, mandates, strength))
    context = {
        "mission": base,
        "type_label": TYPE_LABELS.get(base["type"], base["type"]),
        "coverage": mandates["coverage"],
        "text_coverage": mission_text_coverage(db, base["acronym"]),
        "forecast": drawn.pop("outlook"),
        "forecast_skill": skill_line(backtest_summary()),  # beside every forecast (#31)
        **{name: {"svg": inline_svg(f["svg"]), "rows": f["rows"]} for name, f in drawn.items()},
        "events": base["events"],
        "strength": strength,
        "votes": mission_votes(db, base["acronym"]),
        "fan": fan_document,
        "fan_missing": fan_missing,
    }
    if fan_document is not None:
        from peaceops.report import figures  # matplotlib only when drawing (#30: start-up)

        svg, rows = figures.fan_chart(fan_document)
        context["fan_fig"] = {"svg": inline_svg(svg), "rows": rows}
    return context


def mission_report(
    db: Database,
    acronym: str,
    *,
    seeds: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The HTML of the mission report (see :func:`mission_figures` for the arguments).

    Raises:
        NotFound: an unknown mission.
    """
    context = mission_figures(db, acronym, seeds=seeds, progress=progress)
    base = context["mission"]
    sources = _Sources()
    context |= {
        "version": __version__,
        "built_at": status(db)["built_at"],
        "coder": CODER,
        "coder_quality": quality_line(CODER),
        "cite": sources.cite,
        "numbers": _numbers,
    }
    for r in base["resolutions"]:  # every resolution used, cited even if no table row names it
        if not r["confirmed"]:
            continue  # a candidate is no resolution the report uses (#28)
        sources.cite(f"S/RES/{r['number']}")
    html = environment().get_template("mission.html").render(**context)
    texts = {r["number"]: r for r in base["resolutions"]}
    described = [_describe(item, texts) for item in sources.items]
    return _replace_sources(html, described)


def _describe(item: str, texts: dict[int, dict]) -> str:
    if item.startswith("S/RES/") and item[6:].isdigit():
        r = texts.get(int(item[6:]))
        if r is not None:
            text = (
                "text in the knowledge base"
                if r.get("has_text")
                else "no text in the data directory"
            )
            adopted = r["date"] or "n/a"
            return f"S/RES/{r['number']} ({r['year']}), {r['role']}, adopted {adopted}: {text}"
    return item


def _replace_sources(html: str, described: list[str]) -> str:
    """Fill the sources list, known only once the whole template has been rendered."""
    head, _, tail = html.partition('<ol class="sources">')
    _, _, rest = tail.partition("</ol>")
    lines = "".join(
        f'<li id="src-{i}">{escape(text)}</li>\n' for i, text in enumerate(described, start=1)
    )
    return f'{head}<ol class="sources">\n{lines}</ol>{rest}'


def write_report(html: str, output: Path, *, force: bool = False, db: Path | None = None) -> Path:
    """Write ``html`` to ``output`` (folders created); an existing file needs ``force``.

    The knowledge base ``db`` (and every other protected file) is never replaced, whatever
    ``force`` says (:mod:`peaceops.store.outputs`, #27).

    Raises:
        UsageError: the file exists (without ``force``), is protected, is a folder, or cannot
            be written.
    """
    return write_output(output, html, force=force, db=db)


def comparison_report(db: Database, acronyms: list[str]) -> str:
    """The HTML of the comparison of several missions (impartiality, partial tasks, consent).

    Raises:
        NotFound: an unknown mission.
        UsageError: no mission named.
    """
    document = compare_missions(db, acronyms)
    from peaceops.report import figures

    svg, rows = figures.comparison(document["missions"])
    return (
        environment()
        .get_template("compare.html")
        .render(
            version=__version__,
            built_at=status(db)["built_at"],
            names=[m["mission"] for m in document["missions"]],
            missions=document["missions"],
            types=document["consent_event_types"],
            figure={"svg": inline_svg(svg), "rows": rows},
            numbers=_numbers,
        )
    )
