"""Claims of Peter (2023) about the mechanism.

Partial mandates came before the loss of consent; and, simulated, MINUSMA's forced exit needs
the partner and the stabilization tasks (claim 10, partial mandates and counter-terrorism, is
in :mod:`peaceops.claims.cooptation`; fragmentation, claims 12 and 17, in
:mod:`peaceops.claims.partners`). Each function tests one claim
against the knowledge base (see :mod:`peaceops.claims.base`); claim 13 runs the simulation,
and its figures are marked simulated.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from peaceops.claims.base import (
    CONTRADICTED,
    ILLUSTRATIVE,
    INSUFFICIENT,
    LINKS,
    PARTLY,
    SUPPORTED,
    Evidence,
    Result,
    claim,
)
from peaceops.store import Database

#: Recorded events that are a loss of host or party consent (the registry's event types).
CONSENT_LOSS = (
    "access_denial", "consent_restriction", "sofa_violation", "talks_exit", "protest",
    "expulsion", "withdrawal_request",
)  # fmt: skip
#: Runs per scenario of claim 13 (paired seeds 0..SEEDS-1).
SEEDS = 100


_ENDING = ", ending in a withdrawal request"


def _first_partial_mandate(db: Database, mission: str) -> tuple[int, str] | None:
    rows = db.rows(
        "SELECT r.number, r.date FROM impartiality_resolution i JOIN resolutions r ON "
        f"r.number = i.resolution JOIN {LINKS} mr ON mr.number = r.number "
        "WHERE mr.acronym = ? AND i.partial_terms > 0 ORDER BY r.date LIMIT 1",
        [mission],
    )
    return (rows[0]["number"], str(rows[0]["date"])) if rows else None


#: Missions whose mandates the paper calls partial, as lineages (a successor keeps its
#: predecessor's history: MONUC -> MONUSCO), and comparison missions the coder finds no
#: partial mandate for (UNMISS as a protection-first mission, UNAMA as a political mission).
_TREATED = {"MINUSMA": ("MINUSMA",), "MONUC-MONUSCO": ("MONUC", "MONUSCO")}
_COMPARISON = ("UNMISS", "UNAMA")
_YEAR = 365.25


def _lineage_losses(db: Database, missions: tuple[str, ...]) -> list[dict]:
    marks = ", ".join("?" * len(missions))
    kinds = ", ".join("?" * len(CONSENT_LOSS))
    return db.rows(
        f"SELECT event_id, mission, date, type, actor_id, citation FROM events WHERE mission IN "
        f"({marks}) AND type IN ({kinds}) ORDER BY date, event_id",
        [*missions, *CONSENT_LOSS],
    )


def _span(db: Database, missions: tuple[str, ...]) -> tuple[date, date]:
    rows = db.rows(
        'SELECT min(start) AS start, max(coalesce("end", (SELECT max(date) FROM resolutions))) '
        "AS stop FROM missions WHERE acronym IN (SELECT unnest(?::VARCHAR[]))",
        [list(missions)],
    )
    return rows[0]["start"], rows[0]["stop"]


@claim(
    "claims.causal_chain.v2",
    number=11,
    section="§4 Stabilization Missions",
    quote="By using the instrument of peacekeeping for enforcement measures against non-state "
    "actors and labelling these actors as the ones to neutralize, the missions abandoned the "
    "principle of impartiality",
    tested="Hosts and parties withdrew consent from a mission more after its first partial mandate "
    "than before it, and more than from missions without partial mandates.",
    method="two designs that can fail (#29). Within a mission's lineage (a successor keeps its "
    "predecessor's history: MONUC -> MONUSCO): recorded losses of consent (access denials, "
    "restrictions, SOFA violations, groups leaving talks, protests, expulsions, withdrawal "
    "requests) in equal windows before and after its first partial mandate (the window is the "
    "shorter of the two spans; a first partial mandate that is the founding resolution, "
    "MINUSMA's S/RES/2100, leaves no window before and is said so). Across missions: losses "
    "per mission-year after the first partial mandate against missions the coder finds no "
    "partial mandate for (UNMISS, UNAMA) over their whole lives. The events are curated, more "
    "densely for some missions than others (MINUSMA 2022 above all): the rates compare "
    "recording effort as well as consent",
    would_change_if="as many losses of consent before a lineage's first partial mandate as "
    "after it in equal windows, or comparison missions without partial mandates losing consent "
    "as often per year, would contradict the ordering the paper argues",
    command="peaceops show mission MONUSCO --json; peaceops show mission UNMISS --json",
)
def causal_chain(db: Database) -> Result:
    """A partial mandate first, then more recorded losses of consent than before or elsewhere."""
    figures: dict = {"treated": {}, "comparison": {}}
    evidence: list[Evidence] = []
    missing: list[str] = []
    within: list[str] = []
    after_rates: list[float] = []
    for name, lineage in _TREATED.items():
        firsts = [f for f in (_first_partial_mandate(db, m) for m in lineage) if f is not None]
        start, stop = _span(db, lineage)
        losses = _lineage_losses(db, lineage)
        if not firsts or start is None:
            missing.append(f"a coded partial mandate of {name}")
            continue
        number, day = min(firsts, key=lambda f: f[1])
        first = date.fromisoformat(day[:10])
        window = min((first - start).days, (stop - first).days)
        before = [e for e in losses if first - timedelta(days=window) <= e["date"] < first]
        after = [e for e in losses if first <= e["date"] < first + timedelta(days=window)]
        years_after = max((stop - first).days / _YEAR, 0.5)
        rate = sum(e["date"] >= first for e in losses) / years_after
        after_rates.append(rate)
        if window <= 0:
            side = "no window before: the first partial mandate founded the mission"
        elif not before and not after:
            side = "none recorded in either window"
        else:
            side = "after" if len(after) > len(before) else "before or equal"
            within.append(side)
        figures["treated"][name] = {
            "first_partial_mandate": f"S/RES/{number} ({first})",
            "window_days": max(window, 0),
            "losses_before": len(before),
            "losses_after": len(after),
            "within": side,
            "losses_per_year_after": round(rate, 2),
        }
        evidence += [Evidence(f"registry: events {e['event_id']}", e["citation"])
                     for e in after[:2]]  # fmt: skip
    for mission in _COMPARISON:
        if _first_partial_mandate(db, mission) is not None:
            figures["comparison"][mission] = {"excluded": "the coder finds a partial mandate"}
            continue
        start, stop = _span(db, (mission,))
        if start is None:
            continue
        losses = _lineage_losses(db, (mission,))
        years = max((stop - start).days / _YEAR, 0.5)
        per_year = round(len(losses) / years, 2)
        figures["comparison"][mission] = {"losses": len(losses), "losses_per_year": per_year}
    m23 = db.rows(
        "SELECT event_id, date, citation FROM events WHERE actor_id = 'm23' AND type = "
        "'talks_exit' AND date >= DATE '2013-03-28' ORDER BY date LIMIT 1"
    )
    figures["m23_left_talks_after_2098"] = str(m23[0]["date"]) if m23 else None
    if m23:
        evidence.append(Evidence(f"registry: events {m23[0]['event_id']}", m23[0]["citation"]))
    else:
        missing.append("M23 leaving the Kampala talks after S/RES/2098 (not in the events)")
    rates = [v["losses_per_year"] for v in figures["comparison"].values() if "losses" in v]
    parts = []
    if within:
        parts.append(all(side == "after" for side in within))
    if rates and after_rates:
        parts.append(min(after_rates) > max(rates))
    if not parts:
        missing.append("a window before a first partial mandate, or comparison missions")
        return Result(INSUFFICIENT, "neither design can be run on the data", figures,
                      evidence, missing)  # fmt: skip
    # supported only when both designs run and agree: one design alone is partial evidence
    if all(parts):
        verdict = SUPPORTED if len(parts) == 2 else PARTLY
    else:
        verdict = PARTLY if any(parts) else CONTRADICTED
    if len(parts) < 2:
        missing.append("losses of consent in a window before a first partial mandate")
    summary = "; ".join(
        f"{m}: first partial mandate {f['first_partial_mandate']}, in equal windows "
        f"{f['losses_before']} losses of consent before and {f['losses_after']} after "
        f"({f['within']}), {f['losses_per_year_after']}/year after"
        for m, f in figures["treated"].items()
    ) + "; without partial mandates: " + (
        ", ".join(f"{m} {v['losses_per_year']}/year" for m, v in figures["comparison"].items()
                  if "losses" in v) or "none"
    )  # fmt: skip
    return Result(verdict, summary, figures, evidence, missing)


def _wilson(p: float, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a proportion ``p`` of ``n`` runs."""
    z = 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)


@claim(
    "claims.counterfactual_minusma.v1",
    number=13,
    section="§4 Stabilization Missions",
    quote="By incorporating military stabilization components within UN peacekeeping, human "
    "protection, even if imperfectly practiced, became undermined",
    tested="In the simulated mechanism, MINUSMA is forced out less often without the alternative "
    "partner or without stabilization tasks (a pattern of the model, not evidence).",
    method=f"SIMULATED: MINUSMA over {SEEDS} paired seeds, as recorded and without the "
    "alternative partner, and without stabilization tasks: the share of runs forced out, with "
    "95% Wilson intervals (peaceops.sim, default parameters)",
    would_change_if="a simulation in which MINUSMA is rarely forced out as recorded, or is forced "
    "out as often without the alternative partner or without stabilization tasks, would contradict "
    "the mechanism as modelled; a simulation calibrated on MINUSMA never supports a claim "
    "about MINUSMA, so the best verdict is 'illustrative (simulated)'",
    command=f"peaceops simulate MINUSMA --seeds {SEEDS} --counterfactual no-alternative-partner",
)
def counterfactual_minusma(db: Database) -> Result:
    """Simulated: without the partner or the stabilization tasks, MINUSMA's forced exit is rare."""
    from peaceops.sim.run import simulate

    figures: dict = {"simulated": True, "seeds": SEEDS}
    for name in (None, "no-alternative-partner", "no-stabilization"):
        p = simulate(db, "MINUSMA", seeds=SEEDS, counterfactual=name)["p_forced_exit"]
        figures[name or "record"] = {"p_forced_exit": p, "interval_95": _wilson(p, SEEDS)}
    record = figures["record"]
    rare = [
        figures[c]["interval_95"][1] < record["interval_95"][0]
        and figures[c]["p_forced_exit"] <= 0.2
        for c in ("no-alternative-partner", "no-stabilization")
    ]
    # calibrated on MINUSMA, the model can illustrate the mechanism, never support a claim
    # about MINUSMA (#29): the pattern it shows is 'illustrative (simulated)' at best
    if record["p_forced_exit"] < 0.5:
        verdict = CONTRADICTED
    else:
        verdict = ILLUSTRATIVE if all(rare) else PARTLY if any(rare) else CONTRADICTED
    summary = (
        f"SIMULATED, {SEEDS} paired seeds: MINUSMA forced out in "
        f"{record['p_forced_exit']:.0%} of runs {record['interval_95']} as recorded, "
        f"{figures['no-alternative-partner']['p_forced_exit']:.0%} "
        f"{figures['no-alternative-partner']['interval_95']} without the alternative partner, "
        f"{figures['no-stabilization']['p_forced_exit']:.0%} "
        f"{figures['no-stabilization']['interval_95']} without stabilization tasks"
    )
    return Result(verdict, summary, figures, [], [])
