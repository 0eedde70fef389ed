"""Claims of Peter (2023) about fragmentation: who the alternative security partners are.

Claim 12 (fragmentation amplified the costs of stabilization, now that "the West" is no longer
the only credible security provider) and claim 17 (hosts swap one partial actor for another).
Both read the curated registry (each row cited): ``actors.provider`` (migration 0016) says
whether a partner is Western, a non-Western state's force (Wagner, Africa Corps, Russian
instructors, Rwanda's, Burundi's and Uganda's bilateral forces) or a regional force;
``partner_presence`` says where and when it was present; ``events`` says what the hosts did.

Data flow: missions (hosts, dates) x partner_presence (joined to the partners' provider) ->
mission-years classed by the partners present on 1 July -> host restrictions and all recorded
events per mission-year (claim 12); the partners' arrivals and departures per host -> swaps
from a Western to a non-Western partner -> host restrictions in equal windows before and after
(claim 17). The events are curated for some missions only and unevenly: every figure comes with
the number of events recorded, and a count of zero is no evidence of absence.
"""

from __future__ import annotations

import calendar
from datetime import date

from peaceops.claims.base import (
    CONTRADICTED,
    INSUFFICIENT,
    PARTLY,
    SUPPORTED,
    Evidence,
    Result,
    claim,
    graded,
)
from peaceops.store import Database

#: Restrictions a host government puts on a mission (the registry's event types).
RESTRICTIONS = ("access_denial", "consent_restriction", "sofa_violation", "expulsion")
#: Claim 17's resistance of a host: its restrictions and its demand that the mission leave.
RESISTANCE = (*RESTRICTIONS, "withdrawal_request")
#: A Western partner's presence ending within this many months of a non-Western partner's
#: arrival (before or after it) is a swap; the windows compared around it are as long.
SWAP_MONTHS = 24
#: Classes of a mission-year by the partners present on 1 July, strongest first.
CLASSES = ("non_western", "western", "regional", "none")


def _shift(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the day clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _record_end(db: Database) -> date:
    """The last day the curated events reach: the end of an active mission's record."""
    return db.scalar("SELECT max(date) FROM events") or date.today()


def _partners(db: Database) -> list[dict]:
    """Every presence of an alternative partner, with its provider, in date order."""
    rows = db.rows(
        'SELECT p.actor_id, a.name, a.provider, p.iso3, p.start, p."end", p.role, p.citation '
        "FROM partner_presence p JOIN actors a USING (actor_id) "
        "WHERE a.kind = 'alternative_partner' ORDER BY p.start, p.actor_id"
    )
    for r in rows:  # a presence may name several countries ("TCD;CAF")
        r["hosts"] = {c.strip() for c in r["iso3"].split(";") if c.strip()}
    return rows


def _presence_evidence(row: dict) -> Evidence:
    until = row["end"] or "on"
    return Evidence(
        "registry: partner_presence",
        f"{row['actor_id']} ({row['provider']}) in {row['iso3']} {row['start']} to {until}: "
        f"{row['role']} ({row['citation']})",
    )


def _classify(present: list[dict]) -> str:
    """The strongest class of the partners present: a non-Western one outranks Western ones."""
    providers = {p["provider"] for p in present}
    ranked = (
        ("non_western_state", "non_western"),
        ("western", "western"),
        ("regional", "regional"),
    )
    return next((label for provider, label in ranked if provider in providers), "none")


def _mission_years(db: Database, partners: list[dict]) -> list[dict]:
    """Per peacekeeping mission with recorded events and year: partners, restrictions, events."""
    end = _record_end(db)
    missions = db.rows(
        "SELECT acronym, host_iso3, start, \"end\" FROM missions WHERE type = 'pko' AND start "
        "IS NOT NULL AND acronym IN (SELECT DISTINCT mission FROM events) ORDER BY acronym"
    )
    counts: dict[tuple[str, int], list[int]] = {}
    marks = set(RESTRICTIONS)
    for mission, day, kind in db.tuples("SELECT mission, date, type FROM events"):
        tally = counts.setdefault((mission, day.year), [0, 0])
        tally[0] += kind in marks
        tally[1] += 1
    years = []
    for m in missions:
        hosts = set(m["host_iso3"])
        for year in range(m["start"].year, (m["end"] or end).year + 1):
            mid = date(year, 7, 1)
            present = [p for p in partners if p["hosts"] & hosts and p["provider"]
                       and p["start"] <= mid and (p["end"] is None or p["end"] >= mid)]  # fmt: skip
            restrictions, events = counts.get((m["acronym"], year), [0, 0])
            years.append({
                "mission": m["acronym"], "year": year, "class": _classify(present),
                "partners": sorted({p["actor_id"] for p in present}),
                "restrictions": restrictions, "events": events,
            })  # fmt: skip
    return years


def _stats(rows: list[dict]) -> dict:
    n, restrictions = len(rows), sum(r["restrictions"] for r in rows)
    events = sum(r["events"] for r in rows)
    return {
        "mission_years": n,
        "restrictions": restrictions,
        "events": events,
        "restrictions_per_year": round(restrictions / n, 3) if n else None,
        "events_per_year": round(events / n, 3) if n else None,
        "share_of_events": round(restrictions / events, 3) if events else None,
    }


def _higher(a: dict, b: dict) -> bool:
    """Restrictions more frequent in ``a`` than ``b``: per year and as a share of the record."""
    if a["restrictions_per_year"] is None or b["restrictions_per_year"] is None:
        return False
    rate = a["restrictions_per_year"] > b["restrictions_per_year"]
    if a["share_of_events"] is None or b["share_of_events"] is None:
        return rate  # nothing recorded on one side: the rate alone decides
    return rate and a["share_of_events"] > b["share_of_events"]


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _council(db: Database) -> tuple[dict, bool | None]:
    series = db.rows(
        "SELECT year, vetoed, non_unanimous, adopted FROM fragmentation_year WHERE scope = 'all' "
        "AND year BETWEEN 2003 AND 2022 ORDER BY year"
    )
    early = [r for r in series if r["year"] <= 2012]
    late = [r for r in series if r["year"] >= 2013]
    if not (early and late):
        return {}, None
    figures = {
        "vetoes_per_year": {
            label: round(sum(r["vetoed"] for r in part) / len(part), 3)
            for label, part in (("2003-2012", early), ("2013-2022", late))
        },
        "split_share": {
            label: round(sum(r["non_unanimous"] for r in part)
                         / max(1, sum(r["adopted"] for r in part)), 3)
            for label, part in (("2003-2012", early), ("2013-2022", late))
        },
    }  # fmt: skip
    vetoes, split = figures["vetoes_per_year"], figures["split_share"]
    holds = vetoes["2013-2022"] > vetoes["2003-2012"] and split["2013-2022"] > split["2003-2012"]
    return figures, holds


@claim(
    "claims.fragmentation.v2",
    number=12,
    section="§4 Stabilization Missions",
    quote="These negative externalities have been amplified because of the global "
    "fragmentation, where “the West” is no longer the only credible security provider alongside "
    "a UN mission",
    tested="The Council divided more in 2013-2022 than in 2003-2012, and hosts restricted missions "
    "more where a non-Western partner was present than where only Western ones were.",
    method="two halves. Council: vetoed drafts and adoptions with a vote against or an "
    "abstention per year (fragmentation series), 2013-2022 against 2003-2012. Partners: every "
    "year of a peacekeeping mission with curated events is classed by the alternative partners "
    "present in its host on 1 July (actors.provider, #29): a non-Western partner (Wagner, Africa "
    "Corps, Russian instructors, Rwandan, Burundian or Ugandan bilateral forces), Western "
    "partners only (Serval, Barkhane, Takuba, Sangaris; regional forces may be there too), "
    "regional forces only, or none; host restrictions (access denials, restrictions, SOFA "
    "violations, expulsions) are counted per mission-year and as a share of all events recorded "
    "in those years (the recording effort), pooled and within each mission that has both "
    "non-Western and Western-only years (MINUSMA 2013-2021 against 2022-2023; MINUSCA with "
    "Sangaris against Russian instructors, Wagner and the RDF). The partner half holds only if "
    "restrictions are more frequent with a non-Western partner, per year and as a share of the "
    "record, in every such mission and pooled",
    would_change_if="fewer vetoes and divided votes per year in 2013-2022 than in 2003-2012, or, "
    "within MINUSMA or MINUSCA, host restrictions recorded as often (per year or per recorded "
    "event) in the years with Western partners only as in the years with Wagner or the "
    "Russian instructors, would make the claim partly supported, and both would contradict it",
    command='peaceops paper --only 12 --json; peaceops sql "SELECT actor_id, provider FROM '
    "actors WHERE kind = 'alternative_partner'\"",
)
def fragmentation(db: Database) -> Result:
    """Vetoes and split votes rise; hosts with a non-Western partner restrict missions more."""
    figures, council = _council(db)
    partners = _partners(db)
    years = _mission_years(db, partners)
    pooled = {c: _stats([r for r in years if r["class"] == c]) for c in CLASSES}
    by_mission: dict[str, dict] = {}
    for r in years:
        by_mission.setdefault(r["mission"], []).append(r)
    within, record, missing = {}, {}, []
    for mission, rows in by_mission.items():
        classes = {c: _stats([r for r in rows if r["class"] == c]) for c in CLASSES}
        empty = sum(1 for r in rows if not r["events"])
        record[mission] = {"mission_years": len(rows), "events": sum(r["events"] for r in rows),
                           "years_without_events": empty}  # fmt: skip
        if empty * 2 > len(rows):
            missing.append(f"events of {mission}: {empty} of its {len(rows)} mission-years have "
                           "none recorded (thin record)")  # fmt: skip
        if classes["non_western"]["mission_years"] and classes["western"]["mission_years"]:
            within[mission] = {
                "non_western": classes["non_western"],
                "western": classes["western"],
                "higher_with_non_western": _higher(classes["non_western"], classes["western"]),
                "recorded_times_as_densely": _ratio(
                    classes["non_western"]["events_per_year"], classes["western"]["events_per_year"]
                ),
                "years": [{k: r[k] for k in ("year", "class", "partners", "restrictions",
                                              "events")} for r in rows],
            }  # fmt: skip
    missing += [
        f"host restrictions of {m} in its years with a non-Western partner: the comparison rests "
        f"on {w['non_western']['restrictions']} recorded restriction(s)"
        for m, w in within.items()
        if w["non_western"]["restrictions"] <= 1
    ]
    figures |= {"restrictions_by_class": pooled, "within_mission": within,
                "recording_effort": record}  # fmt: skip
    unclassed = sorted({p["actor_id"] for p in partners if not p["provider"]})
    missing += [f"the provider of alternative partner {a} (actors.provider)" for a in unclassed]
    if council is None:
        missing.append("the fragmentation series for 2003-2022")
    if not within:
        missing.append("a mission with both years with a non-Western partner and years with "
                       "Western partners only (partner_presence, actors.provider)")  # fmt: skip
    if council is None or not within:
        return Result(INSUFFICIENT, "the data cannot compare the periods or the partners",
                      figures, missing=missing)  # fmt: skip
    pooled_higher = _higher(pooled["non_western"], pooled["western"])
    hosts = pooled_higher and all(w["higher_with_non_western"] for w in within.values())
    figures["partner_half"] = {"pooled_higher": pooled_higher, "holds": hosts}
    figures["council_half"] = council
    evidence = [
        _presence_evidence(p)
        for p in partners
        if p["provider"] in ("non_western_state", "western")
        and any(p["actor_id"] in r["partners"] for w in within.values() for r in w["years"])
    ]
    marks = ", ".join("?" * len(RESTRICTIONS))
    evidence += [
        Evidence(f"registry: events {e}", c or d)
        for e, c, d in db.tuples(
            f"SELECT event_id, citation, description FROM events WHERE type IN ({marks}) "
            "AND mission IN (SELECT unnest(?::VARCHAR[])) ORDER BY date, event_id",
            [*RESTRICTIONS, sorted(within)],
        )
    ]
    vetoes, split = figures["vetoes_per_year"], figures["split_share"]
    nw, w = pooled["non_western"], pooled["western"]
    summary = (
        f"vetoes per year {vetoes['2003-2012']:.1f} (2003-2012) -> {vetoes['2013-2022']:.1f} "
        f"(2013-2022); adoptions with a vote against or abstention {split['2003-2012']:.1%} -> "
        f"{split['2013-2022']:.1%}. Host restrictions per mission-year, pooled: "
        f"{nw['restrictions_per_year']} with a non-Western partner ({nw['mission_years']} "
        f"mission-years, {nw['events_per_year']} events recorded per year), "
        f"{w['restrictions_per_year']} with Western partners only ({w['mission_years']}; "
        f"{w['events_per_year']}), {pooled['none']['restrictions_per_year']} with none "
        f"({pooled['none']['mission_years']}). Within missions: "
        + "; ".join(
            f"{m} {v['non_western']['restrictions']} restrictions in "
            f"{v['non_western']['mission_years']} years with a non-Western partner (of "
            f"{v['non_western']['events']} events recorded: {v['non_western']['share_of_events']}"
            f") vs {v['western']['restrictions']} in {v['western']['mission_years']} with "
            f"Western partners only (of {v['western']['events']}: "
            f"{v['western']['share_of_events']})"
            for m, v in within.items()
        )
        + ". Recording effort: events recorded per year with a non-Western partner, as a "
        "multiple of the Western-only years: "
        + ", ".join(f"{m} {v['recorded_times_as_densely']}x" for m, v in within.items())
    )
    return Result(graded([council, hosts]), summary, figures, evidence, missing)


def _swap(partners: list[dict], host: str, start: date, stop: date) -> dict | None:
    """The first non-Western arrival in ``host`` between ``start`` and ``stop``, if a swap."""
    here = [p for p in partners if host in p["hosts"]]
    arrivals = [p for p in here if p["provider"] == "non_western_state"
                and start <= p["start"] <= stop]  # fmt: skip
    if not arrivals:
        return None
    pivot = min(p["start"] for p in arrivals)
    lo, hi = _shift(pivot, -SWAP_MONTHS), _shift(pivot, SWAP_MONTHS)
    ending = [p for p in here if p["provider"] == "western" and p["end"] is not None
              and p["end"] >= start and lo <= p["end"] <= hi]  # fmt: skip
    return {
        "pivot": pivot,
        "arriving": [p for p in arrivals if p["start"] == pivot],
        "ending": ending,
    }


@claim(
    "claims.swapping_partners.v1",
    number=17,
    section="§5 Conclusions",
    quote="Global fragmentation is facilitating the resistance against UN missions, as host "
    "governments can maintain that they are swapping one partial actor with another. But at "
    "least the second partial actor is supporting them in their fight against non-state "
    "threats; Mali today is a case in point",
    tested="Hosts swapped a Western security partner for a non-Western one, and resisted the UN "
    "mission more after the swap than before it.",
    method=f"for every mission with curated events and each of its host countries, the first "
    f"non-Western partner to arrive while the mission was there (partner_presence, "
    f"actors.provider) is a swap when a Western partner's presence ended within "
    f"{SWAP_MONTHS} months of that arrival, before or after it "
    f"(Mali: Barkhane and Takuba -> Wagner; the CAR: Sangaris -> Russian instructors and "
    f"Wagner). The host government's restrictions, access denials, expulsions and withdrawal "
    f"requests (curated events) are counted in the {SWAP_MONTHS} months from the arrival and "
    f"in an equal window before it (both shortened equally to fit the mission's life), with "
    f"all events recorded in each window as the recording effort. Supported if Mali shows the "
    f"swap and a rise and every other swap a rise too; partly if Mali's swap shows no rise or "
    f"another swap shows none; contradicted if Mali shows no swap",
    would_change_if="no Western partner leaving Mali within two years of Wagner's arrival would "
    "contradict the claim; as many host restrictions recorded in the two years before Wagner "
    "arrived as after it would make it partly supported, and a rise after the CAR's swap "
    "(none is recorded there) would make it supported",
    command='peaceops paper --only 17 --json; peaceops sql "SELECT p.*, a.provider FROM '
    'partner_presence p JOIN actors a USING (actor_id) ORDER BY iso3, start"',
)
def swapping_partners(db: Database) -> Result:
    """Hosts swap a Western partner for a non-Western one, then resist the mission more."""
    partners = _partners(db)
    end = _record_end(db)
    missions = db.rows(
        'SELECT acronym, host_iso3, start, "end" FROM missions WHERE start IS NOT NULL AND '
        "acronym IN (SELECT DISTINCT mission FROM events) ORDER BY start, acronym"
    )
    events = db.rows(
        "SELECT e.event_id, e.mission, e.date, e.type, e.citation, e.description, "
        "a.kind = 'host_government' AS by_host FROM events e LEFT JOIN actors a USING "
        "(actor_id) ORDER BY e.date, e.event_id"
    )
    swaps, evidence, missing = [], [], []
    for m in missions:
        stop = m["end"] or end
        for host in m["host_iso3"]:
            found = _swap(partners, host, m["start"], stop)
            if not found or not found["ending"]:
                continue
            pivot = found["pivot"]
            days = min((pivot - _shift(pivot, -SWAP_MONTHS)).days, (pivot - m["start"]).days,
                       (stop - pivot).days)  # fmt: skip
            before = [e for e in events if e["mission"] == m["acronym"]
                      and 0 < (pivot - e["date"]).days <= days]  # fmt: skip
            after = [e for e in events if e["mission"] == m["acronym"]
                     and 0 <= (e["date"] - pivot).days < days]  # fmt: skip
            resisting = [[e for e in part if e["by_host"] and e["type"] in RESISTANCE]
                         for part in (before, after)]  # fmt: skip
            swaps.append({
                "mission": m["acronym"], "host": host, "arrival": str(pivot),
                "arriving": [p["actor_id"] for p in found["arriving"]],
                "ending": {p["actor_id"]: str(p["end"]) for p in found["ending"]},
                "window_days": days,
                "host_resistance": {"before": len(resisting[0]), "after": len(resisting[1])},
                "events_recorded": {"before": len(before), "after": len(after)},
                "rise": len(resisting[1]) > len(resisting[0]),
            })  # fmt: skip
            evidence += [_presence_evidence(p) for p in found["ending"] + found["arriving"]]
            evidence += [Evidence(f"registry: events {e['event_id']}",
                                  e["citation"] or e["description"])
                         for e in resisting[0] + resisting[1]]  # fmt: skip
            if not resisting[0] and not resisting[1]:
                missing.append(
                    f"host restrictions of {m['acronym']} around the swap of {pivot:%Y-%m}: none "
                    f"recorded in either window ({len(before)} and {len(after)} events of any "
                    "kind; the Secretary-General's counts of SOFA violations are not in the data)"
                )
    mali = [s for s in swaps if s["host"] == "MLI"]
    others = [s for s in swaps if s["host"] != "MLI"]
    figures = {"swap_months": SWAP_MONTHS, "swaps": swaps}
    if not any("MLI" in p["hosts"] for p in partners):
        return Result(INSUFFICIENT, "no alternative partner is recorded in Mali", figures,
                      missing=["partner_presence rows for Mali (MLI)"])  # fmt: skip
    if not mali:
        elsewhere = "".join(
            f"; swap in {s['host']} ({s['mission']}) {s['arrival']}" for s in others
        )
        summary = (
            "no Western partner left Mali within two years of a non-Western partner's arrival "
            f"while a mission was there{elsewhere}"
        )
        return Result(CONTRADICTED, summary, figures, evidence, missing)
    if not any(s["events_recorded"]["before"] + s["events_recorded"]["after"] for s in mali):
        missing.append("events of MINUSMA around Wagner's arrival")
        return Result(INSUFFICIENT, "no events are recorded around Mali's swap", figures,
                      evidence, missing)  # fmt: skip
    mali_rise = all(s["rise"] for s in mali)
    verdict = SUPPORTED if mali_rise and all(s["rise"] for s in others) else PARTLY
    summary = "; ".join(
        f"{s['host']} ({s['mission']}): {', '.join(s['ending'])} ending "
        f"({', '.join(s['ending'].values())}) and {', '.join(s['arriving'])} arriving "
        f"{s['arrival']}; host restrictions and withdrawal requests "
        f"{s['host_resistance']['before']} in the {s['window_days']} days before -> "
        f"{s['host_resistance']['after']} after ({s['events_recorded']['before']} and "
        f"{s['events_recorded']['after']} events recorded)"
        for s in swaps
    )
    return Result(verdict, summary, figures, evidence, missing)
