"""Deployed strength per mission-year: IPI where IPI covers the year, Geo-PKO after (#28).

IPI's mission-month series (``personnel_mission_month``) ends in March 2017; Geo-PKO's yearly
deployment maps (``geopko_locations``) run to 2024. :func:`derive_strength` writes one row per
mission and year into ``deployed_strength_year``, from one source named in ``basis``:

- ``ipi_monthly``: the mean of the mission's IPI months in that year (``months`` of them).
  The mean, not December, because Geo-PKO's figure is itself a mean over the year's maps.
  Troops, police, observers and total as IPI counts them.
- ``geopko_yearly``: the sum, over the mission's deployment locations in that year, of
  ``ave_no_troops`` (Geo-PKO's mean of a location's troops over the year's maps; the raw
  ``no_troops`` repeats once per map and would count a location several times). Troops only:
  Geo-PKO codes police (``unpol``) and military observers (``unmo``) as present (1) or not (0)
  at a location, never as counts, so ``police``, ``observers`` and ``total`` stay NULL. Troop
  numbers on the maps are often standard unit sizes (a company 150, a battalion 650), so this
  is an estimate from maps, not a head count.

Which years: a mission-year is IPI's when IPI has months of it, unless IPI's file ends inside
that year while the mission still reports (2017, January to March) and Geo-PKO has the year.
Geo-PKO gives every other mission-year it maps (in practice the years after March 2017, and
UNAVEM III's 1995-1997, which IPI records under UNAVEM), within the years the registry gives
the mission (Geo-PKO maps MINUSMA's liquidation in 2024, after its end). ``geopko_troops``
carries Geo-PKO's figure on every mission-year it has, IPI's too, for :func:`agreement`.

Data flow::

    personnel_mission_month, geopko_locations, missions --derive_strength--> deployed_strength_year
    deployed_strength_year --agreement--> figures --strength_markdown--> docs/strength.md
"""

from __future__ import annotations

import math
import statistics

from peaceops.store.database import Database

__all__ = [
    "BASES",
    "SOURCES",
    "WITHIN",
    "agreement",
    "basis_label",
    "derive_strength",
    "strength_markdown",
]

#: The bases of a row, and how every output names them.
BASES = {
    "ipi_monthly": "IPI, mean of the year's monthly figures (troops, police, observers)",
    "geopko_yearly": "Geo-PKO, troops summed over deployment locations, yearly mean of the "
    "maps (troops only; an estimate, not monthly observations)",
}
#: The table each basis is read from.
SOURCES = {
    "ipi_monthly": "personnel_mission_month (IPI data_mission.csv)",
    "geopko_yearly": "geopko_locations (Geo-PKO v2.3 FrontMap, ave_no_troops)",
}
#: The agreement band: a Geo-PKO figure within this share of IPI's counts as agreeing.
WITHIN = 0.2

DERIVE_STRENGTH = """
INSERT INTO deployed_strength_year
WITH ipi_end AS (SELECT max(date) AS e FROM personnel_mission_month),
ipi AS (
    SELECT mission, year(date) AS year, count(*) AS months, max(date) AS last,
        round(avg(troops))::INTEGER AS troops, round(avg(police))::INTEGER AS police,
        round(avg(observers))::INTEGER AS observers, round(avg(total))::INTEGER AS total
    FROM personnel_mission_month GROUP BY mission, year(date)
),
ipi_cut AS (  -- cut: IPI's file ends inside this year while the mission still reports
    SELECT ipi.*, (ipi.last = ipi_end.e AND month(ipi_end.e) < 12) AS cut FROM ipi, ipi_end
),
places AS (  -- ave_no_troops repeats on each of a location's maps of the year: take it once
    SELECT mission, year, location, any_value(ave_no_troops) AS ave
    FROM geopko_locations GROUP BY mission, year, location
),
geo AS (
    SELECT p.mission, p.year, round(sum(p.ave))::INTEGER AS troops, count(*) AS locations
    FROM places p JOIN missions m ON m.acronym = p.mission
    WHERE (m."end" IS NULL OR p.year <= year(m."end"))
      AND (m.start IS NULL OR p.year >= year(m.start))
    GROUP BY p.mission, p.year
)
SELECT i.mission, i.year, i.troops, i.police, i.observers, i.total, 'ipi_monthly',
    i.months, NULL, g.troops, $ipi
FROM ipi_cut i LEFT JOIN geo g USING (mission, year)
WHERE NOT i.cut OR g.troops IS NULL
UNION ALL
SELECT g.mission, g.year, g.troops, NULL, NULL, NULL, 'geopko_yearly', NULL, g.locations,
    g.troops, $geo
FROM geo g
WHERE NOT EXISTS (SELECT 1 FROM ipi_cut i WHERE i.mission = g.mission AND i.year = g.year
                  AND NOT i.cut)
ORDER BY 1, 2
"""


def derive_strength(db: Database) -> int:
    """Fill ``deployed_strength_year`` (emptied first); return its row count."""

    def write(conn) -> None:
        conn.execute("DELETE FROM deployed_strength_year")
        conn.execute(
            DERIVE_STRENGTH, {"ipi": SOURCES["ipi_monthly"], "geo": SOURCES["geopko_yearly"]}
        )

    db.execute_write_fn(write)
    return int(db.scalar("SELECT count(*) FROM deployed_strength_year"))


def basis_label(basis: str | None) -> str:
    """The words every output puts beside a figure of ``basis``."""
    return BASES.get(basis or "", "no figure")


def _summary(pairs: list[tuple[int, int]]) -> dict:
    """Median ratio, share within :data:`WITHIN`, correlation of (IPI, Geo-PKO) troop pairs."""
    ratios = [g / i for i, g in pairs if i > 0]
    within = [abs(r - 1) <= WITHIN for r in ratios]
    out = {
        "pairs": len(pairs),
        "ratio_pairs": len(ratios),
        "median_ratio": round(statistics.median(ratios), 3) if ratios else None,
        "within_share": round(sum(within) / len(within), 3) if within else None,
        "correlation": None,
    }
    if len(pairs) >= 3:
        xs, ys = zip(*pairs, strict=True)
        if len(set(xs)) > 1 and len(set(ys)) > 1:
            out["correlation"] = round(statistics.correlation(xs, ys), 3)
    return out


def agreement(db: Database) -> dict:
    """How Geo-PKO's troops agree with IPI's where both cover a mission-year (computed).

    Compares IPI's yearly mean of monthly troops with Geo-PKO's troops summed over locations,
    on the ``ipi_monthly`` rows that also carry ``geopko_troops``. ``ratio`` is Geo-PKO / IPI
    (mission-years with IPI troops 0 have no ratio). Returns ``overall`` and ``missions`` (per
    mission, most mission-years first), the band (``within``), and where Geo-PKO is used.
    """
    rows = db.rows(
        "SELECT mission, year, troops, geopko_troops FROM deployed_strength_year "
        "WHERE basis = 'ipi_monthly' AND geopko_troops IS NOT NULL ORDER BY mission, year"
    )
    by_mission: dict[str, list[tuple[int, int]]] = {}
    for r in rows:
        by_mission.setdefault(r["mission"], []).append((r["troops"], r["geopko_troops"]))
    last = {r["mission"]: r for r in rows}  # the last year both cover: the size of the seam
    missions = [
        {
            "mission": m,
            "years": len(p),
            **_summary(p),
            "last_year": last[m]["year"],
            "last_ratio": round(p[-1][1] / p[-1][0], 3) if p[-1][0] else None,
        }
        for m, p in sorted(by_mission.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    used = db.rows(
        "SELECT mission, min(year) AS first, max(year) AS last, count(*) AS years "
        "FROM deployed_strength_year WHERE basis = 'geopko_yearly' GROUP BY mission ORDER BY 1"
    )
    ipi_end = db.scalar("SELECT max(date) FROM personnel_mission_month")
    return {
        "compared": "troops: IPI mean of monthly figures vs Geo-PKO sum of ave_no_troops",
        "within": WITHIN,
        "ipi_ends": None if ipi_end is None else str(ipi_end)[:7],
        "overall": _summary([(r["troops"], r["geopko_troops"]) for r in rows]),
        "missions": missions,
        "geopko_used": used,
        "bases": BASES,
    }


def _fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return (
        "-"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (pattern.format(value))
    )


def strength_markdown(db: Database) -> str:
    """``docs/strength.md``: the spliced series, how it is built, and the agreement table."""
    doc = agreement(db)
    o = doc["overall"]
    band = f"±{doc['within']:.0%}"
    lines = [
        "# Deployed strength per mission-year: IPI, then Geo-PKO",
        "",
        "Generated by `peaceops status --strength-markdown docs/strength.md --force` from the "
        "knowledge base (table `deployed_strength_year`, `peaceops.store.strength`). Do not "
        "edit by hand.",
        "",
        f"IPI's monthly series of deployed personnel ends in {doc['ipi_ends']}. After it, the "
        "strength of a mission-year comes from Geo-PKO's yearly deployment maps. Every row "
        "names its basis:",
        "",
        *[f"- `{k}`: {v}." for k, v in doc["bases"].items()],
        "",
        "A mission-year is IPI's when IPI has months of it, except a year IPI's file ends in "
        "while the mission still reports (2017: January to March), which Geo-PKO gives when it "
        "has the mission; Geo-PKO gives the mission-years IPI lacks, within the years the "
        "registry gives the mission. Geo-PKO's troops are the sum over the year's locations of "
        "`ave_no_troops` (each location's mean over the year's maps; `no_troops` repeats per "
        "map). Geo-PKO has no counts of police or observers (`unpol` and `unmo` mark presence "
        "only): its rows are troops only, so a chart or feature that splices them onto IPI's "
        "uniformed totals drops the police. Before 2017 Geo-PKO fills only UNAVEM III "
        "(1995-1997), which IPI counts under UNAVEM: a sum over missions would count it twice.",
        "",
        "## Agreement where both sources cover a mission-year",
        "",
        f"Compared: {doc['compared']}. Ratio = Geo-PKO / IPI; agreeing = within {band}.",
        "",
        f"All {o['pairs']} mission-years ({o['ratio_pairs']} with IPI troops above 0): median "
        f"ratio {_fmt(o['median_ratio'])}, {_fmt(o['within_share'], '{:.0%}')} within {band}, "
        f"correlation {_fmt(o['correlation'], '{:.3f}')}.",
        "",
        f"| mission | mission-years | median ratio | within {band} | correlation | "
        "last year both | its ratio |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {m['mission']} | {m['years']} | {_fmt(m['median_ratio'])} | "
            f"{_fmt(m['within_share'], '{:.0%}')} | {_fmt(m['correlation'], '{:.3f}')} | "
            f"{m['last_year']} | {_fmt(m['last_ratio'])} |"
            for m in doc["missions"]
        ],
        "",
        "A median ratio of 0 is a mission IPI counts a few troops in (a medical or guard unit) "
        "and Geo-PKO maps none; `-` is no ratio (IPI troops 0) or too few years. The last "
        "year both cover shows the step a spliced series takes where IPI stops: Geo-PKO's maps "
        "use standard unit sizes and count some units IPI does not, so a ratio well above 1 "
        "(MINUSMA's) means the Geo-PKO years overstate troops against IPI's counts. The "
        "figures are kept as the sources give them, not rescaled.",
        "",
        "## Where Geo-PKO is used",
        "",
        "| mission | first year | last year | years |",
        "|---|---|---|---|",
        *[
            f"| {u['mission']} | {u['first']} | {u['last']} | {u['years']} |"
            for u in doc["geopko_used"]
        ],
        "",
    ]
    return "\n".join(lines)
