"""Claims of Peter (2023) about mandates and personnel.

Chapter VII after 1999, UNMISS's turn to protection, the share of peacekeepers with a
protection mandate, China in UNMISS.

Each function tests one claim against the knowledge base (see :mod:`peaceops.claims.base`).
"""

from __future__ import annotations

import re

from peaceops.claims.base import (
    CONTRADICTED,
    INSUFFICIENT,
    LINKS,
    PARTLY,
    SUPPORTED,
    Evidence,
    Result,
    acts_under_chapter_vii,
    chapter_vii_for,
    claim,
    code_evidence,
    evidence_in_text,
    graded,
    has_text,
)
from peaceops.store import Database

#: A peacekeeping mandate is multidimensional when its resolution gives at least this many
#: distinct coded tasks beyond monitoring a ceasefire (UN DPKO's "multidimensional": military,
#: police and civilian tasks together).
MULTIDIMENSIONAL_TASKS = 5
#: Tasks of support to state-building (institutions of a state, its economy and elections).
STATE_BUILDING = (
    "StateAuthority", "Democratization", "ElectAssist", "EcDevelop", "JusticeReform",
    "LegalReform", "CorrectionsReform", "MilitaryReform", "PoliceReform", "PolPartyAssist",
)  # fmt: skip


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


@claim(
    "claims.chapter_vii_after_1999.v2",
    number=2,
    section="§3 Human Protection and UN Peacekeeping",
    quote="Since 1999, the UNSC has mandated all multidimensional peacekeeping missions under "
    "Chapter VII",
    tested="Every multidimensional peacekeeping operation established since 1999 has a resolution "
    "acting for it under Chapter VII.",
    method=f"judged per mission (#29): peacekeeping operations established since 1999 with a "
    f"multidimensional mandate (at least {MULTIDIMENSIONAL_TASKS} distinct coded tasks in the "
    "establishing resolution); a mission counts when any resolution of its mandate history acts "
    "under Chapter VII for it (a paragraph in Chapter VII's scope that acts on its mandate or "
    "tasks it, not one that authorises another force); the per-resolution shares by period are "
    "context, with technical rollovers set aside (a text that says so, or that only extends "
    "the mandate by four months at most: no evidence either way); "
    "each mission never under Chapter VII is named with why",
    would_change_if="a single multidimensional operation established since 1999 whose history "
    "never acts under Chapter VII for it keeps the verdict at partly supported (UNMIT today); "
    "Chapter VII for every one would make it supported, and fewer than half would contradict it",
    command='peaceops sql "SELECT mr.acronym, mr.number, c.operative, c.paragraphs FROM '
    "mandate_history mr JOIN missions m USING (acronym) LEFT JOIN chapter_vii c ON "
    "c.resolution = mr.number WHERE mr.confirmed AND m.type = 'pko'\"",
)
def chapter_vii_after_1999(db: Database) -> Result:
    """Every multidimensional PKO established since 1999 is mandated under Chapter VII."""
    rows = db.rows(
        "SELECT mr.number, min(mr.year) AS year, count(DISTINCT c.task) AS tasks, "
        "bool_or(r.has_text) AS has_text, "
        # a technical rollover: the text says so, or it only extends, by four months at most
        "bool_and(list_has_all(['rollover'], coalesce(mr.acts, [])) AND len(mr.acts) = 1 "
        "OR (list_has_all(['renew', 'rollover'], coalesce(mr.acts, [])) AND len(mr.acts) > 0 "
        "AND date_diff('day', mr.date, mr.end_date) <= 122)) AS rollover "
        f"FROM {LINKS} mr "
        "JOIN missions m USING (acronym) JOIN resolutions r USING (number) "
        "LEFT JOIN codes c ON c.resolution = mr.number AND c.task <> 'Ceasefire' "
        "WHERE m.type = 'pko' AND mr.role IN ('establish', 'renew', 'change') "
        "GROUP BY mr.number ORDER BY mr.number"
    )
    rollovers = [r["number"] for r in rows if r["rollover"]]
    rows = [r for r in rows if not r["rollover"]]
    periods = {"1990-1998": (1990, 1998), "1999-2009": (1999, 2009), "2010-": (2010, 9999)}
    figures: dict = {"technical_rollovers_set_aside": rollovers}
    for name, (first, last) in periods.items():
        multi = [
            r for r in rows if first <= r["year"] <= last and r["tasks"] >= MULTIDIMENSIONAL_TASKS
        ]
        under = [r["number"] for r in multi if acts_under_chapter_vii(db, r["number"])]
        figures[name] = {
            "multidimensional_mandates": len(multi),
            "under_chapter_vii": len(under),
            "share": round(len(under) / len(multi), 3) if multi else None,
        }
    missing = [
        f"text of S/RES/{r['number']}" for r in rows if r["year"] >= 1999 and not r["has_text"]
    ]
    after = [figures["1999-2009"], figures["2010-"]]
    counted = sum(p["multidimensional_mandates"] for p in after)
    share = sum(p["under_chapter_vii"] for p in after) / counted if counted else None
    figures["share_since_1999"] = round(share, 3) if share is not None else None
    established = db.rows(
        f"SELECT mr.acronym, mr.number FROM {LINKS} mr JOIN missions m USING (acronym) "
        "WHERE m.type = 'pko' AND mr.role = 'establish' AND mr.year >= 1999 ORDER BY mr.number"
    )
    tasks = {r["number"]: r["tasks"] for r in rows}
    multi_missions = [r for r in established if tasks.get(r["number"], 0) >= MULTIDIMENSIONAL_TASKS]
    per_mission: dict[str, dict] = {}
    for r in multi_missions:
        numbers = [
            n
            for (n,) in db.tuples(
                f"SELECT number FROM {LINKS} WHERE acronym = ? ORDER BY number", [r["acronym"]]
            )
        ]
        own = [n for n in numbers if chapter_vii_for(db, n, r["acronym"])]
        other = [n for n in numbers if n not in own and acts_under_chapter_vii(db, n)]
        texts = sum(has_text(db, n) for n in numbers)
        why = None
        if not own:
            why = (
                f"none of its {len(numbers)} resolutions ({texts} with text) invokes Chapter VII"
                if not other
                else f"its resolutions invoke Chapter VII only for other forces or tasks "
                f"({', '.join(f'S/RES/{n}' for n in other)})"
            )
        per_mission[r["acronym"]] = {"first_under_chapter_vii": own[0] if own else None,
                                     "resolutions": len(numbers), "with_text": texts,
                                     "why_never": why}  # fmt: skip
    never = [m for m, v in per_mission.items() if v["first_under_chapter_vii"] is None]
    figures["missions"] = per_mission
    figures["missions_since_1999"] = len(multi_missions)
    figures["missions_never_under_chapter_vii"] = never
    around = r"[^;.]{0,80}Chapter VII[^;]{0,80}"
    evidence = [
        e
        for v in list(per_mission.values())[:3]
        if v["first_under_chapter_vii"]
        for e in evidence_in_text(db, v["first_under_chapter_vii"], around, limit=1)
    ]
    if share is None or not multi_missions:
        return Result(INSUFFICIENT, "no coded multidimensional mandate since 1999", figures,
                      missing=missing or ["coded mandates since 1999"])  # fmt: skip
    mission_share = 1 - len(never) / len(multi_missions)
    figures["mission_share"] = round(mission_share, 3)
    verdict = SUPPORTED if not never else PARTLY if mission_share >= 0.5 else CONTRADICTED
    summary = (
        f"{mission_share:.0%} of {len(multi_missions)} multidimensional peacekeeping operations "
        f"established since 1999 are mandated under Chapter VII by a resolution that acts for "
        f"them; never: "
        + ("; ".join(f"{m} ({per_mission[m]['why_never']})" for m in never) or "none")
        + f". Per resolution (context, {len(rollovers)} technical rollovers set aside): "
        f"{figures['share_since_1999']:.0%} of {counted} multidimensional mandates since 1999 "
        f"act under Chapter VII (1990-1998: {_share(figures['1990-1998']['share'])})"
        + (
            f"; {len(missing)} mandates since 1999 have no stored text and are not coded"
            if missing
            else ""
        )
    )
    return Result(verdict, summary, figures, evidence, missing)


_CEILING = r"(?:of\s+)?up\s+to\s+([\d,]+)\s+(?:military\s+personnel|troops)"


def _ceiling(db: Database, number: int) -> tuple[int | None, list[Evidence]]:
    """The military ceiling a resolution states ("up to 12,500 troops"), with its words."""
    found = evidence_in_text(db, number, _CEILING, limit=1)
    if not found:
        return None, []
    digits = re.search(_CEILING, found[0].quote, re.IGNORECASE).group(1)
    return int(digits.replace(",", "")), found


@claim(
    "claims.unmiss_protection_turn.v2",
    number=3,
    section="§3 Human Protection and UN Peacekeeping",
    quote="In 2013, after the outbreak of civil war in South Sudan, the UNSC overhauled the "
    "mandate of the UN Mission in South Sudan (UNMISS) into a POC mission",
    tested="In 2013-2014 the Council made protection of civilians, irrespective of the source of "
    "violence, the first task of UNMISS and raised its stated troop ceiling.",
    method="the military ceilings as the resolutions state them (S/RES/1996: 'up to 7,000 "
    "military personnel'; S/RES/2132: 'up to 12,500 troops') and the deployed troops (IPI, "
    "December 2013 and 2014), each labelled; S/RES/2155 (2014): protection of civilians kept "
    "or strengthened and the state-building tasks in force before and after (the mandate "
    "inheritance table); and the paper's even-handedness point in 2155's own words: protection "
    "'irrespective of the source of such violence'",
    would_change_if="S/RES/2155 keeping the state-building tasks in force, weakening the "
    "protection of civilians, or protecting them only against one side's violence would "
    "contradict the overhaul; a ceiling in S/RES/2132 no higher than S/RES/1996's would make it "
    "partly supported",
    command="peaceops show mission UNMISS --mandates",
)
def unmiss_protection_turn(db: Database) -> Result:
    """UNMISS: S/RES/2132 raises the ceiling, S/RES/2155 refocuses on PoC, drops state-building."""
    if not (has_text(db, 2132) and has_text(db, 2155)):
        absent = [f"text of S/RES/{n}" for n in (2132, 2155) if not has_text(db, n)]
        return Result(INSUFFICIENT, "the texts of S/RES/2132 or S/RES/2155 are missing",
                      missing=absent)  # fmt: skip
    before, before_words = _ceiling(db, 1996)
    after, after_words = _ceiling(db, 2132)
    raise_words = evidence_in_text(
        db, 2132, r"increase the overall force levels[^;]{0,40}", limit=1
    )
    evenhanded = evidence_in_text(db, 2155, r"irrespective of the source of such violence", limit=1)
    deployed = {
        int(r["year"]): int(r["troops"])
        for r in db.rows(
            "SELECT year(date) AS year, troops FROM personnel_mission_month WHERE mission = "
            "'UNMISS' AND month(date) = 12 AND year(date) IN (2013, 2014) AND troops IS NOT NULL"
        )
    }
    rows = db.rows(
        "SELECT task, status FROM mandate_inheritance WHERE mission = 'UNMISS' "
        "AND resolution = 2155"
    )
    status = {r["task"]: r["status"] for r in rows}
    in_force_after = {t for t, s in status.items() if s != "dropped"}
    in_force_before = {t for t, s in status.items() if s not in ("added",)}
    state_before = sorted(in_force_before & set(STATE_BUILDING))
    state_after = sorted(in_force_after & set(STATE_BUILDING))
    figures = {
        "ceiling_s_res_1996": before,
        "ceiling_s_res_2132": after,
        "ceiling_basis": "as the resolutions state them",
        "deployed_troops_december": deployed,
        "deployed_basis": "IPI monthly (observed)",
        "s_res_2155_civprotect": status.get("CivProtect"),
        "s_res_2155_irrespective_of_source": bool(evenhanded),
        "state_building_before": state_before,
        "state_building_after": state_after,
        "dropped_by_2155": sorted(t for t, s in status.items() if s == "dropped"),
    }
    checks = [
        before is not None and after is not None and after > before,
        status.get("CivProtect") in ("kept", "strengthened", "carried"),
        len(state_after) < len(state_before),
        bool(evenhanded),
    ]
    missing = [] if before is not None else ["the ceiling S/RES/1996 states"]
    missing += [] if deployed else ["UNMISS's deployed troops in December 2013 and 2014 (IPI)"]
    verdict = graded(checks)
    summary = (
        f"military ceiling as the resolutions state it: {before or '?':,} (S/RES/1996) -> "
        f"{after or '?':,} (S/RES/2132); deployed troops (IPI, December): "
        + (", ".join(f"{y}: {t:,}" for y, t in sorted(deployed.items())) or "not in the data")
        + f"; S/RES/2155: protection of civilians {figures['s_res_2155_civprotect'] or 'not coded'}"
        f"{', irrespective of the source of such violence' if evenhanded else ''}, "
        f"state-building tasks {len(state_before)} -> {len(state_after)} (dropped: "
        f"{', '.join(t for t in figures['dropped_by_2155'] if t in STATE_BUILDING) or 'none'}; "
        f"in force after: {', '.join(state_after) or 'none'})"
    )
    evidence = (
        before_words + after_words + raise_words + evenhanded
        + code_evidence(db, 2155, "CivProtect")[:1]
    )  # fmt: skip
    return Result(verdict, summary, figures, evidence, missing)


@claim(
    "claims.poc_share_of_peacekeepers.v1",
    number=6,
    section="§3 Human Protection and UN Peacekeeping",
    quote="Today, more than 95% of peacekeepers are mandated to protect civilians",
    tested="In the latest year the data cover, more than 95% of peacekeeping operations' uniformed "
    "personnel serve in missions with a protection-of-civilians task in force.",
    method="uniformed personnel of peacekeeping operations only (not political missions, not "
    "UNSOS) each December (IPI series, to 2016), then Geo-PKO's yearly troops (troops only, "
    "labelled), joined with the mandate in force then (a protection-of-civilians task in the "
    "inheritance table); the share per year, its basis, and which years the series covers",
    would_change_if="a latest year in which more than 95% of peacekeeping operations' personnel "
    "serve in missions with a protection-of-civilians task in force would make the claim "
    "supported; "
    "a share below 80% would contradict it",
    command='peaceops sql "SELECT mission, date, total FROM personnel_mission_month WHERE '
    'month(date) = 12"',
)
def poc_share_of_peacekeepers(db: Database) -> Result:
    """More than 95% of peacekeepers serve in missions with a protection-of-civilians mandate."""
    # peacekeeping operations' uniformed personnel only (#28): not political missions' guard
    # units, not UNSOS; after IPI's last December, Geo-PKO's yearly troops (troops only)
    rows = db.rows(
        "WITH ipi AS (SELECT p.mission, p.date, p.total, 'ipi_monthly' AS basis "
        "FROM personnel_mission_month p JOIN missions m ON m.acronym = p.mission "
        "AND m.type = 'pko' WHERE month(p.date) = 12 AND p.total > 0), "
        "geo AS (SELECT s.mission, make_date(s.year, 12, 31) AS date, s.troops AS total, "
        "s.basis FROM deployed_strength_year s JOIN missions m ON m.acronym = s.mission "
        "AND m.type = 'pko' WHERE s.basis = 'geopko_yearly' AND s.troops > 0 "
        "AND s.year > (SELECT max(year(date)) FROM ipi)), "
        "dec AS (SELECT * FROM ipi UNION ALL SELECT * FROM geo), "
        "poc AS (SELECT d.mission, d.date, (SELECT i.status FROM mandate_inheritance i WHERE "
        "i.mission = d.mission AND i.task = 'CivProtect' AND i.date <= d.date "
        "ORDER BY i.date DESC, i.resolution DESC LIMIT 1) AS status FROM dec d) "
        "SELECT year(d.date) AS year, min(d.basis) AS basis, sum(d.total) AS total, "
        "sum(d.total) FILTER (WHERE p.status IS NOT NULL AND p.status <> 'dropped') AS with_poc "
        "FROM dec d JOIN poc p USING (mission, date) GROUP BY 1 ORDER BY 1"
    )
    last_month = db.scalar("SELECT max(date) FROM personnel_mission_month")
    series = [
        {"year": r["year"], "total": int(r["total"]), "with_poc": int(r["with_poc"] or 0),
         "share": round((r["with_poc"] or 0) / r["total"], 4), "basis": r["basis"]}
        for r in rows
    ]  # fmt: skip
    if not series:
        return Result(INSUFFICIENT, "no personnel series",
                      missing=["personnel per mission and month (IPI)"])  # fmt: skip
    latest = series[-1]
    figures = {"years": [s["year"] for s in series], "latest": latest,
               "series_ends": str(last_month), "share_by_year": series}  # fmt: skip
    geo = [s["year"] for s in series if s["basis"] == "geopko_yearly"]
    missing = (
        []
        if geo and geo[-1] >= 2023
        else [f"personnel per mission after {last_month} (the paper's 'today' is 2023)"]
    )
    verdict = (
        SUPPORTED if latest["share"] > 0.95 else PARTLY if latest["share"] > 0.8 else CONTRADICTED
    )
    first_above = next((s["year"] for s in series if s["share"] > 0.95), None)
    who = (
        "troops of peacekeeping operations (Geo-PKO yearly, troops only)"
        if latest["basis"] == "geopko_yearly"
        else "uniformed peacekeepers of peacekeeping operations"
    )
    ipi_end = max((s["year"] for s in series if s["basis"] == "ipi_monthly"), default=None)
    summary = (
        f"{latest['share']:.1%} of {latest['total']:,} {who} served in missions with a "
        f"protection-of-civilians task in {latest['year']} (series {series[0]['year']}-"
        f"{latest['year']}: IPI uniformed personnel each December to {ipi_end}"
        + (f", Geo-PKO's yearly troops {geo[0]}-{geo[-1]}" if geo else "")
        + f"); first year above 95%: {first_above or 'none'}"
    )
    return Result(verdict, summary, figures, [], missing)


#: Geo-PKO's names of the permanent members (its yearly contributor lists, by location).
_P5 = {"China": "CHN", "France": "FRA", "Russia": "RUS", "United Kingdom": "GBR",
       "United States": "USA"}  # fmt: skip
_P5_SQL = ", ".join(repr(v) for v in _P5.values())
_LISTED = re.compile(r"([^,()]+?) \((\d+|size unknown)\)")
#: S/RES/2155 (27 May 2014) turned UNMISS to protection; Geo-PKO years are yearly maps, so
#: the year before it (2013) is "before", 2014 is set aside, and 2015-2017 are "after".
_BEFORE, _AFTER = 2013, (2015, 2016, 2017)


def _geopko_p5(db: Database, mission: str | None) -> dict[int, dict[str, dict]]:
    """Per year, each permanent member's troops on Geo-PKO's maps: stated sizes, unknown sizes."""
    where = "WHERE mission = ?" if mission else ""
    years: dict[int, dict[str, dict]] = {}
    for row in db.rows(f"SELECT year, year_overview FROM geopko_tcc {where}",
                       [mission] if mission else []):  # fmt: skip
        for name, size in _LISTED.findall(row["year_overview"] or ""):
            iso3 = _P5.get(name.strip())
            if iso3:
                entry = years.setdefault(row["year"], {}).setdefault(
                    iso3, {"stated": 0, "unknown_sizes": 0}
                )
                if size == "size unknown":
                    entry["unknown_sizes"] += 1
                else:
                    entry["stated"] += int(size)
    return years


@claim(
    "claims.china_unmiss.v2",
    number=7,
    section="§3 Human Protection and UN Peacekeeping",
    quote="After the change of mandate, China more than doubled its peacekeeping troops in the "
    "mission and is now the biggest troop contributor of all permanent UNSC members",
    tested="China's troops in UNMISS more than doubled after S/RES/2155 (May 2014), and China is "
    "the largest troop contributor among the permanent members there.",
    method="two sources, kept apart and labelled. Exact: IPI's monthly troops by contributor "
    "and mission, which end in February 2014, before S/RES/2155 (May 2014): China's troops in "
    "UNMISS and its rank among the permanent members then. Approximate: Geo-PKO's yearly "
    "deployment maps (2011-2024), whose troop figures are standard unit sizes (a company 150, "
    "a battalion 650-800) and sometimes 'size unknown' (counted as a lower bound): China's "
    "troops in UNMISS in 2013 (before) against the largest of 2015-2017 (after; 2014 is set "
    "aside, the map's month is unknown), and the permanent members' troops in UNMISS in the "
    "latest year. Supported needs the doubling on exact counts; on map unit sizes alone it is "
    "partly supported",
    would_change_if="China's troops in UNMISS after 2014 not above twice those of 2013 on "
    "Geo-PKO's maps, or another permanent member with more troops than China there in the "
    "latest year, would lower the verdict a step each; an exact monthly series after May 2014 "
    "(UN contributions by mission) showing the doubling would make it supported",
    command='peaceops sql "SELECT year, location, year_overview FROM geopko_tcc WHERE '
    "mission = 'UNMISS' AND year_overview LIKE '%China%' ORDER BY year\"",
)
def china_unmiss(db: Database) -> Result:
    """China more than doubled its troops in UNMISS after the change of mandate."""
    rows = db.rows(
        "SELECT date, contributor_iso3 AS iso3, troops FROM personnel_contributor_mission_month "
        f"WHERE mission = 'UNMISS' AND contributor_iso3 IN ({_P5_SQL}) ORDER BY date"
    )
    everywhere = db.rows(
        "SELECT contributor_iso3 AS iso3, troops FROM personnel_contributor_month WHERE date = "
        f"(SELECT max(date) FROM personnel_contributor_month) AND contributor_iso3 IN ({_P5_SQL})"
    )
    china = [r for r in rows if r["iso3"] == "CHN"]
    exact_after = [r for r in china if str(r["date"]) >= "2014-05-27"]
    last = china[-1] if china else None
    at_last = {r["iso3"]: r["troops"] or 0 for r in rows if last and r["date"] == last["date"]}
    maps = _geopko_p5(db, "UNMISS")
    chn = {year: p5["CHN"] for year, p5 in maps.items() if "CHN" in p5}
    before = chn.get(_BEFORE)
    after = max((chn[y]["stated"] for y in _AFTER if y in chn), default=None)
    latest = max(maps) if maps else None
    figures: dict = {
        "exact_ipi": {
            "series": f"{china[0]['date']} to {last['date']}" if china else None,
            "china_last_month": last["troops"] if last else None,
            "p5_troops_last_month": at_last,
            "months_after_s_res_2155": len(exact_after),
            "p5_troops_all_missions_last_month": {r["iso3"]: r["troops"] for r in everywhere},
        },
        "approximate_geopko": {
            "basis": "Geo-PKO yearly maps: standard unit sizes; 'size unknown' left out "
            "(a lower bound)",
            "china_by_year": {y: chn[y] for y in sorted(chn)},
            "before": {"year": _BEFORE, **before} if before else None,
            "after_max_stated": after,
            "after_years": list(_AFTER),
            "latest_year": latest,
            "p5_in_latest_year": maps.get(latest, {}) if latest else {},
        },
    }
    ipi, geopko = "personnel_contributor_mission_month (IPI, exact)", "geopko_tcc (approximate)"
    evidence = []
    if last:
        evidence.append(Evidence(ipi, f"{last['date']}: China {last['troops']} troops in UNMISS"))
    for year in (_BEFORE, *_AFTER):
        if year in chn:
            quote = f"{year}: China {chn[year]['stated']} troops stated"
            evidence.append(Evidence(geopko, f"{quote}, {chn[year]['unknown_sizes']} unknown"))
    missing = ["China's exact troops in UNMISS after February 2014 (IPI's contributor-by-mission "
               "series ends then; Geo-PKO's maps give unit sizes, not counts)"]  # fmt: skip
    if not before or after is None:
        return Result(INSUFFICIENT, "no Geo-PKO map of China's troops in UNMISS before and after "
                      "S/RES/2155, and the exact series ends in February 2014", figures, evidence,
                      missing)  # fmt: skip
    ratio = after / max(1, before["stated"] + 0)
    figures["approximate_geopko"]["ratio"] = round(ratio, 2)
    p5_latest = figures["approximate_geopko"]["p5_in_latest_year"]
    biggest = bool(p5_latest) and max(p5_latest, key=lambda k: p5_latest[k]["stated"]) == "CHN"
    figures["china_biggest_p5_in_unmiss_latest_year"] = biggest
    doubled_exactly = bool(exact_after) and max(r["troops"] or 0 for r in exact_after) > 2 * (
        [r for r in china if str(r["date"]) < "2014-05-27"][-1]["troops"] or 0
    )
    if doubled_exactly and biggest:
        verdict = SUPPORTED
    elif ratio > 2 or biggest:
        verdict = PARTLY
    else:
        verdict = CONTRADICTED
    summary = (
        f"exact (IPI): China had {last['troops'] if last else '?'} troops in UNMISS in "
        f"{last['date'] if last else '?'}, the most of the permanent members "
        f"({', '.join(f'{k} {v}' for k, v in sorted(at_last.items()))}); the series ends "
        "before S/RES/2155. Approximate (Geo-PKO map unit sizes): "
        f"{before['stated']} in {_BEFORE} -> up to {after} in {_AFTER[0]}-{_AFTER[-1]} "
        f"({ratio:.1f}x); in {latest} China is "
        f"{'the biggest' if biggest else 'not the biggest'} permanent-member contributor in UNMISS"
        " on the maps. The doubling rests on unit sizes, not counts"
    )
    return Result(verdict, summary, figures, evidence, missing)
