"""``peaceops status``: counts, missing sources, text coverage, mandate links, strength (#28).

Moved out of :mod:`peaceops.cli.kb` to keep both under 500 lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peaceops.cli.common import (
    DbOption,
    ForceOption,
    JsonOption,
    app,
    check_output,
    err,
    errors,
    line,
    open_db,
    out,
    plain,
    print_json,
    write_file,
)


@app.command(rich_help_panel="Knowledge base")
def status(
    db: DbOption = None,
    as_json: JsonOption = False,
    links_markdown: Annotated[
        Path | None,
        typer.Option(
            "--links-markdown",
            help="Also write the mandate links' reconciliation (docs/mandate-links.md).",
        ),
    ] = None,
    strength_markdown: Annotated[
        Path | None,
        typer.Option(
            "--strength-markdown",
            help="Also write the deployed-strength series' sources and the agreement of "
            "Geo-PKO with IPI (docs/strength.md).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Counts per table, missing sources, and which resolutions (and mandates) have no text."""
    from peaceops.store.queries import status as status_query
    from peaceops.store.strength import agreement
    from peaceops.store.strength import strength_markdown as strength_page

    with errors():
        check_output(links_markdown, force=force, db=db)  # before the work (#27)
        check_output(strength_markdown, force=force, db=db)
        with open_db(db) as database:
            document = status_query(database)
            if "deployed_strength_year" in database.tables():
                document["strength"] = agreement(database)
            if strength_markdown is not None:
                write_file(strength_markdown, strength_page(database), force=force, db=db)
                err.print(f"wrote {strength_markdown}")
            if links_markdown is not None:
                from peaceops.coding.links import links_markdown as render

                write_file(links_markdown, render(database), force=force, db=db)
                err.print(f"wrote {links_markdown}")
    if as_json:
        print_json(document)
        return
    res = document["resolutions"]
    out.print(line((document["database"], "bold"), f" built {document['built_at']}"))
    out.print(
        f"resolutions: {res['total']:,} ({res['with_text']:,} with text, "
        f"{len(res['without_text']):,} without: {_ranges(res['without_text'])})"
    )
    out.print(
        f"votes: {document['votes']['member_votes']:,} member votes on "
        f"{document['votes']['drafts']:,} drafts"
    )
    m = document["missions"]
    out.print(
        f"missions: {m['pko']} peacekeeping, {m['spm']} special political, {m['regional']} regional"
    )
    out.print(
        f"actors: {document['actors']}, events: {document['events']}, "
        f"data issues repaired or flagged: {document['data_issues']}"
    )
    missing = document["missing_sources"]
    out.print(f"missing sources: {', '.join(missing) if missing else 'none'}")
    added = document["resolutions"]["added_texts"]
    if added:
        out.print(f"texts added with `peaceops add` ({len(added)}): "
                  + ", ".join(f"S/RES/{a['number']}" for a in added))  # fmt: skip
    coding = document["coding"]
    failed = ", ".join(f"S/RES/{f['resolution']} ({f['reason']})" for f in coding["unsegmentable"])
    out.print(
        f"coded: {coding['coded']:,} resolutions, {coding['codes']:,} codes; "
        f"texts not segmentable: {failed or 'none'}"
    )
    links = document["mandate_links"]
    out.print(
        f"mandate links: {links['derived']:,} read from the texts (mandate_acts), "
        f"{links['curated']:,} curated, {links['both']:,} both; "
        f"{links['curated_with_text_not_derived']:,} curated links to a text the reader finds "
        "no act in"
    )
    if "history" in links:
        out.print(
            f"mandate history (what the measures read): {links['history']:,} links of "
            f"{links['missions']:,} missions, {links['history_without_text']:,} linked without "
            f"text; {links['candidates']:,} agenda-item candidates for a human to confirm and "
            f"{links['not_read']:,} text links outside their mission's years, not read"
        )
    if "strength" in document:
        _render_strength(document["strength"])
    table = Table("table", "rows")
    for name, count in sorted(document["tables"].items()):
        table.add_row(name, f"{count:,}")
    out.print(table)
    _render_coverage(document["coverage"])


def _render_strength(doc: dict) -> None:
    """Where the strength series switches to Geo-PKO, and how Geo-PKO agrees with IPI (#28)."""
    o = doc["overall"]
    if not o["pairs"]:
        return
    band = f"±{doc['within']:.0%}"
    out.print(
        f"deployed strength: IPI monthly to {doc['ipi_ends']}, then Geo-PKO yearly troops by "
        f"location (basis geopko_yearly, troops only) for {len(doc['geopko_used'])} missions. "
        f"Geo-PKO vs IPI troops on {o['pairs']} mission-years both cover: median ratio "
        f"{o['median_ratio']}, {o['within_share']:.0%} within {band}, correlation "
        f"{o['correlation']} (docs/strength.md)",
        soft_wrap=True,
    )
    agree = {m["mission"]: m for m in doc["missions"]}
    table = Table(
        "mission",
        "Geo-PKO",
        "both",
        "median",
        band,
        "r",
        "last both",
        title="Strength from Geo-PKO after IPI: Geo-PKO / IPI troops in the years both cover "
        "(median ratio, share within the band, correlation, the last such year's ratio)",
        title_justify="left",
    )
    for used in doc["geopko_used"]:
        m = agree.get(used["mission"], {})
        table.add_row(
            plain(used["mission"]),
            f"{used['first']}-{used['last']}",
            str(m.get("years", 0)),
            _num(m.get("median_ratio"), "{:.2f}"),
            _num(m.get("within_share"), "{:.0%}"),
            _num(m.get("correlation"), "{:.2f}"),
            f"{m['last_year']}: {_num(m.get('last_ratio'), '{:.2f}')}" if m else "-",
        )
    out.print(table)


def _num(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


#: Periods of the coverage summary; texts run to 2015, so the last period is the thin one.
_PERIODS = ((1946, 1989), (1990, 1999), (2000, 2009), (2010, 2015), (2016, None))
#: Missions active after this year are the ones whose mandates may rest on missing texts.
_TEXTS_END = 2015


def _render_coverage(coverage: dict) -> None:
    """Texts by period, then the missions active after 2015 whose mandates lack text (#17)."""
    periods = Table(
        "period",
        "with text",
        "resolutions",
        "share",
        title="Text coverage by period",
        title_justify="left",
    )
    for label, with_text, total in _coverage_periods(coverage["by_year"]):
        share = with_text / total if total else 0.0
        periods.add_row(
            label,
            f"{with_text:,}",
            f"{total:,}",
            f"{share:.1%}",
            style="yellow" if share < 1 else None,
        )
    out.print(periods)
    lacking = [
        m
        for m in coverage["by_mission"]
        if m["missing"] and (m["end"] is None or int(m["end"][:4]) > _TEXTS_END)
    ]
    if not lacking:
        return
    missions = Table(
        "mission",
        "mandating",
        "with text",
        "last text",
        "missing texts (S/RES/)",
        title=f"Missions active after {_TEXTS_END} with mandating resolutions that lack text",
        title_justify="left",
    )
    for m in lacking:
        last = f"{m['last_text']} ({m['last_text_year']})" if m["last_text"] else "none"
        missions.add_row(
            plain(m["mission"]),
            str(m["mandating"]),
            str(m["with_text"]),
            last,
            plain(_ranges(m["missing"])),
        )
    out.print(missions)
    out.print(
        line(
            (
                f"{len(lacking)} missions: codes after the last text are carried forward; "
                "a resolution without text is not read, its mandate is assumed unchanged",
                "bold yellow",
            ),
            " (per year: peaceops show mission ACRONYM --mandates)",
        ),
        soft_wrap=True,
    )


def _coverage_periods(by_year: list[dict]) -> list[tuple[str, int, int]]:
    """``(label, with text, resolutions)`` per period of :data:`_PERIODS` that has resolutions."""
    rows = []
    for first, last in _PERIODS:
        years = [y for y in by_year if y["year"] >= first and (last is None or y["year"] <= last)]
        if not years:
            continue
        end = last if last is not None else max(y["year"] for y in years)
        rows.append(
            (
                f"{first}-{end}",
                sum(y["with_text"] for y in years),
                sum(y["resolutions"] for y in years),
            )
        )
    return rows


def _ranges(numbers: list[int]) -> str:
    """Compress ``[1, 2, 3, 7]`` to ``1-3, 7``."""
    parts: list[tuple[int, int]] = []
    for n in numbers:
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in parts) or "none"
