"""Claim 16 (#29): the stabilization mandates were "championed by Western states".

Data flow: the confirmed mandate history (``LINKS``) and the impartiality coder's partial terms
(``impartiality_resolution``) select the partial ("stabilization") mandates and, as the
baseline, the other mission mandates of the same years; ``draft_sponsors`` (the ``Submitted
by`` column of the votes file, migration 0015) gives each adopted draft's sponsors;
``member_votes`` who voted against or abstained; the curated list of Western states
(``peaceops/registry/data/western_states.csv``, WEOG with the United States, plus EU and NATO
members from the year they joined; see ``SOURCES_western_states.md``) sorts both. Every figure
is computed from the store at run time; only the list of Western states is curated.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from importlib import resources
from statistics import mean

from peaceops.claims.base import (
    CONTRADICTED,
    INSUFFICIENT,
    LINKS,
    PARTLY,
    SUPPORTED,
    Evidence,
    Result,
    claim,
)
from peaceops.errors import RegistryError
from peaceops.store import Database

WESTERN_FILE = "western_states.csv"
#: "every or nearly every" partial mandate: at least this share has a Western sponsor.
NEARLY_ALL = 0.9
#: "most partial mandates have no Western sponsor": fewer than this share has one.
MOST = 0.5
#: Permutations (seeded) for the one-sided test of the difference in Western shares.
PERMUTATIONS = 10_000
SEED = 16


@cache
def western_states() -> dict[str, tuple[str, int | None]]:
    """ISO3 -> (group, first year counted) of the curated Western states.

    Raises:
        RegistryError: the file lacks a column, a row its citation, or ``since`` is no year.
    """
    text = (resources.files("peaceops.registry") / "data" / WESTERN_FILE).read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    states: dict[str, tuple[str, int | None]] = {}
    for line, row in enumerate(rows, 2):
        iso3, group, since = row.get("iso3"), row.get("group"), row.get("since") or ""
        if not iso3 or group not in ("WEOG", "EU/NATO") or not (row.get("citation") or "").strip():
            raise RegistryError(f"{WESTERN_FILE}, row {line}: needs iso3, group and a citation")
        if since and not since.isdigit():
            raise RegistryError(f"{WESTERN_FILE}, row {line}: since {since!r} is not a year")
        states[iso3] = (group, int(since) if since else None)
    return states


def is_western(iso3: str | None, year: int, *, weog_only: bool = False) -> bool:
    """Whether ``iso3`` counts as Western in ``year`` (WEOG alone with ``weog_only``)."""
    found = western_states().get(iso3 or "")
    if found is None or (weog_only and found[0] != "WEOG"):
        return False
    return found[1] is None or year >= found[1]


def _mandates(db: Database) -> list[dict]:
    """Every mission mandate with a coded text and a vote record: its sponsors and votes."""
    rows = db.rows(
        "SELECT r.number, r.year, list(DISTINCT mr.acronym ORDER BY mr.acronym) AS missions, "
        f"max(i.partial_terms) AS partial_terms FROM {LINKS} mr "
        "JOIN resolutions r ON r.number = mr.number "
        "JOIN impartiality_resolution i ON i.resolution = r.number "
        "WHERE r.number IN (SELECT resolution FROM drafts WHERE outcome = 'adopted' "
        "AND NOT coalesce(duplicate_set, false)) GROUP BY r.number, r.year ORDER BY r.number"
    )
    sponsors: dict[int, list[dict]] = defaultdict(list)
    for s in db.rows(
        "SELECT resolution, kind, sponsor, sponsor_iso3 FROM draft_sponsors "
        "WHERE resolution IS NOT NULL AND outcome = 'adopted' ORDER BY resolution, position"
    ):
        sponsors[s["resolution"]].append(s)
    raw = {
        n: (d, text)
        for n, d, text in db.tuples(
            "SELECT resolution, any_value(draft), any_value(submitted_by) FROM member_votes "
            "WHERE resolution IS NOT NULL GROUP BY resolution"
        )
    }
    against: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for n, member, vote in db.tuples(
        "SELECT DISTINCT resolution, member_iso3, vote FROM member_votes "
        "WHERE resolution IS NOT NULL AND vote IN ('no', 'abstain') ORDER BY 1, 2"
    ):
        against[n].append((member, vote))
    for row in rows:
        n, year = row["number"], row["year"]
        listed = sponsors.get(n, [])
        states = sorted({s["sponsor_iso3"] for s in listed if s["kind"] == "state"})
        row["draft"], row["submitted_by"] = raw.get(n, (None, None))
        row["attribution"] = (
            "states" if states
            else "president" if any(s["kind"] == "president" for s in listed)
            else "unrecorded"
        )  # fmt: skip
        row["sponsors"] = states
        for key, weog_only in (("western", False), ("weog", True)):
            row[key] = [c for c in states if is_western(c, year, weog_only=weog_only)]
            row[f"{key}_share"] = round(len(row[key]) / len(states), 3) if states else None
        row["unknown_names"] = [s["sponsor"] for s in listed if s["kind"] == "unknown"]
        row["against"] = [
            {"member": m, "vote": v, "western": is_western(m, year)} for m, v in against.get(n, [])
        ]
    return rows


#: The per-mandate fields shown in the figures.
_SHOWN = ("number", "year", "missions", "draft", "attribution", "sponsors", "western",
          "western_share", "against")  # fmt: skip


def _summary(rows: list[dict], key: str = "western") -> dict:
    """Counts and shares of one set of mandates (``key``: western, or weog alone)."""
    attributed = [r for r in rows if r["attribution"] == "states"]
    with_western = [r for r in attributed if r[key]]
    votes = [v for r in rows for v in r["against"]]
    return {
        "mandates": len(rows),
        "with_state_sponsors": len(attributed),
        "presidential_drafts": sum(r["attribution"] == "president" for r in rows),
        "no_sponsor_recorded": sum(r["attribution"] == "unrecorded" for r in rows),
        "with_western_sponsor": len(with_western),
        "share_with_western_sponsor": (
            round(len(with_western) / len(attributed), 3) if attributed else None
        ),
        "mean_western_share_of_sponsors": (
            round(mean(r[f"{key}_share"] for r in attributed), 3) if attributed else None
        ),
        "no_or_abstain_western": sum(v["western"] for v in votes),
        "no_or_abstain_non_western": sum(not v["western"] for v in votes),
    }


def _permutation_p(partial: list[float], baseline: list[float]) -> float | None:
    """One-sided p of mean(partial) - mean(baseline) under random relabelling (seeded)."""
    if not partial or not baseline:
        return None
    import numpy as np

    pooled = np.array(partial + baseline)
    observed = pooled[: len(partial)].mean() - pooled[len(partial) :].mean()
    rng = np.random.default_rng(SEED)
    hits = 0
    for _ in range(PERMUTATIONS):
        shuffled = rng.permutation(pooled)
        hits += shuffled[: len(partial)].mean() - shuffled[len(partial) :].mean() >= observed
    return round((hits + 1) / (PERMUTATIONS + 1), 4)


def _decide(partial: dict, baseline: dict) -> tuple[str, bool, bool]:
    share = partial["share_with_western_sponsor"]
    mine, theirs = (
        partial["mean_western_share_of_sponsors"],
        baseline["mean_western_share_of_sponsors"],
    )
    nearly_all = share is not None and share >= NEARLY_ALL
    at_least = theirs is not None and mine is not None and mine >= theirs
    if share is not None and share < MOST:
        return CONTRADICTED, nearly_all, at_least
    return (SUPPORTED if nearly_all and at_least else PARTLY), nearly_all, at_least


@claim(
    "claims.western_sponsors.v1",
    number=16,
    section="§4 Stabilization Missions",
    quote="The reason for collectivizing the military response was likely cost-sharing with UN "
    "stabilization mandates championed by Western states",
    tested="The Council's partial (stabilization) mandates were sponsored by Western states.",
    method="partial ('stabilization') mandates are the mission resolutions of the confirmed "
    "mandate history whose text the impartiality coder finds partial terms in "
    "(impartiality_resolution.partial_terms > 0, as claim 11 reads them); those with a vote "
    "record (sc_voting.xlsx, 1994-2025) are compared with the other mission mandates of the "
    "same years (no partial terms) as a baseline. For each: the sponsors of the adopted draft "
    "(its 'Submitted by' list, harmonised to ISO3), whether at least one is Western, and the "
    "Western share of its sponsors (averaged over mandates, so that long co-sponsor lists do "
    "not weigh more); and who voted against or abstained, Western or not. Western: a member "
    "of WEOG (the United States included) or of the EU or NATO from its accession year "
    "(registry/data/western_states.csv, cited); every figure is also given for WEOG alone. "
    "Presidential drafts and drafts without a sponsor list are attributed to no one and "
    "counted apart. The list of sponsors is mostly alphabetical: it says who put their name "
    "to a draft, not who held the pen, and no penholder is inferred. Supported when at least "
    f"{NEARLY_ALL:.0%} of the partial mandates with state sponsors have a Western sponsor and "
    "their Western share of sponsors is at least the baseline's; contradicted when fewer than "
    f"{MOST:.0%} have one; partly otherwise. The motive (cost-sharing) is not tested",
    would_change_if="partial mandates put forward by non-Western states alone (most of them "
    "without a Western sponsor) would contradict the claim; a Western share of sponsors below "
    "that of the other mission mandates of the same years would make it only partly supported "
    "(the West championing every mandate, not the stabilization ones in particular)",
    command='peaceops paper --claim 16 --json; peaceops sql "SELECT resolution, position, '
    'sponsor, sponsor_iso3, kind FROM draft_sponsors WHERE resolution IN (2098, 2100)"',
)
def western_sponsors(db: Database) -> Result:
    """Partial mandates have Western sponsors, at least as often as other mission mandates."""
    if not db.scalar("SELECT count(*) FROM draft_sponsors"):
        return Result(
            INSUFFICIENT,
            "no sponsors are recorded for any draft",
            missing=["draft_sponsors is empty: the 'Submitted by' column of votes/sc_voting.xlsx"],
        )
    rows = _mandates(db)
    partial = [r for r in rows if r["partial_terms"] > 0]
    years = {r["year"] for r in partial}
    baseline = [r for r in rows if r["partial_terms"] == 0 and r["year"] in years]
    figures: dict = {
        "partial": _summary(partial),
        "baseline_same_years": _summary(baseline),
        "weog_only": {
            "partial": _summary(partial, "weog"),
            "baseline_same_years": _summary(baseline, "weog"),
        },
        "years": sorted(years),
        "partial_mandates": [{key: r[key] for key in _SHOWN} for r in partial],
    }
    evidence = [
        Evidence(
            f"votes: Submitted by ({r['draft'] or 'no draft symbol'})",
            r["submitted_by"] or "(empty)",
            resolution=r["number"],
        )
        for r in partial
    ]
    missing = ["who held the pen on each draft: 'Submitted by' is mostly alphabetical"]
    missing.append("the motive (cost-sharing): no data on who pays for which mission")
    unrecorded = [r["number"] for r in partial if r["attribution"] == "unrecorded"]
    if unrecorded:
        missing.append(
            f"a readable sponsor list of S/RES/{', '.join(map(str, unrecorded))} "
            "(empty, '-none-' or an unrecognised name in the file)"
        )
    unknown = sorted({f"{n} (S/RES/{r['number']})" for r in partial for n in r["unknown_names"]})
    if unknown:
        missing.append(f"sponsor names not recognised: {', '.join(unknown)}")
    p, b = figures["partial"], figures["baseline_same_years"]
    if not p["with_state_sponsors"]:
        missing.append("a partial mandate with a recorded state sponsor")
        return Result(INSUFFICIENT, "no partial mandate has a recorded state sponsor",
                      figures, evidence, missing)  # fmt: skip
    verdict, nearly_all, at_least = _decide(p, b)
    if b["mean_western_share_of_sponsors"] is None:
        missing.append("a baseline mandate of the same years with a recorded state sponsor")
    weog = figures["weog_only"]
    figures["verdict_weog_only"] = _decide(weog["partial"], weog["baseline_same_years"])[0]
    shares = [
        [r["western_share"] for r in group if r["attribution"] == "states"]
        for group in (partial, baseline)
    ]
    figures["share_difference_p"] = _permutation_p(*shares)
    summary = (
        f"{p['with_western_sponsor']} of the {p['with_state_sponsors']} partial mandates with "
        f"state sponsors have a Western sponsor ({p['share_with_western_sponsor']:.0%}; "
        f"{'nearly all' if nearly_all else 'not nearly all'}); Western share of sponsors "
        f"{p['mean_western_share_of_sponsors']:.0%} against "
        + (
            f"{b['mean_western_share_of_sponsors']:.0%}"
            if b["mean_western_share_of_sponsors"] is not None
            else "no"
        )
        + f" on the {b['with_state_sponsors']} other mission mandates of the same years "
        f"({'at least' if at_least else 'below'} the baseline; one-sided permutation p = "
        f"{figures['share_difference_p']}), which have a Western sponsor in "
        f"{b['share_with_western_sponsor'] or 0:.0%} of cases; "
        f"{p['presidential_drafts']} presidential drafts and {p['no_sponsor_recorded']} without "
        f"a sponsor list of {p['mandates']} partial mandates with a vote record; votes against "
        f"or abstentions on them: {p['no_or_abstain_non_western']} non-Western, "
        f"{p['no_or_abstain_western']} Western; WEOG alone: {figures['verdict_weog_only']}"
    )
    return Result(verdict, summary, figures, evidence, missing)
