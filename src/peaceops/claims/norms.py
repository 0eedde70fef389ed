"""Claims of the paper first tested in #29: the R2P norm, and the hosts' denials of access.

Data flow: every stored resolution text -> :func:`peaceops.doctrine.explain.explain_all` (the
doctrine's R2P pillar rules, written from A/RES/60/1 and A/63/677, not from these claims) ->
the resolutions the pillar-three rule fires on -> a verdict with its evidence spans; the
curated ``events`` (each row cited) -> the hosts' denials of access per mission.
"""

from __future__ import annotations

from peaceops.claims.base import (
    CONTRADICTED,
    INSUFFICIENT,
    PARTLY,
    SUPPORTED,
    Evidence,
    Result,
    claim,
)
from peaceops.store import Database


@claim(
    "claims.r2p_pillar_three_only_libya.v1",
    number=14,
    section="§3 Human Protection and UN Peacekeeping",
    quote="The only third pillar R2P action—authorization by the UNSC without the consent of "
    "the host government—occurred in 2011, in response to atrocities perpetrated by the "
    "Gaddafi regime in Libya",
    tested="S/RES/1973 (2011, Libya) is the only authorisation of force to protect civilians "
    "without the host government's consent.",
    method="the doctrine's pillar-three rule (r2p.pillar_3.v1: an operative authorisation of "
    "Member States or a regional force to use 'all necessary measures' for a purpose that "
    "includes protecting civilians, with no consent, request or invitation of the host "
    "government in that paragraph or the preamble) applied to every stored text; the claim "
    "holds when it fires on the 2011 Libya resolutions and on nothing else. S/RES/1975 (2011, "
    "Côte d'Ivoire: UNOCI's 'all necessary means') is the paper's contrast: consent-based "
    "peacekeeping, not pillar three",
    would_change_if="a resolution outside Libya 2011 on which the pillar-three rule fires would "
    "make the claim partly supported (contradicted if none of Libya's does); texts after 2015 "
    "are mostly missing, so a later pillar-three action would go unseen",
    command="peaceops explain resolution 1973 --json",
)
def r2p_pillar_three_only_libya(db: Database) -> Result:
    """S/RES/1973 (2011) is the only pillar-three action."""
    from peaceops.doctrine.explain import explain_all

    explained = explain_all(db)
    fired = sorted(n for n, x in explained.items() if "pillar_3" in (x.get("r2p_pillars") or []))
    meta = {
        n: (y, t or "")
        for n, y, t in db.tuples("SELECT number, year, coalesce(title, '') FROM resolutions")
    }
    libya = [n for n in fired if meta[n][0] == 2011 and "libya" in meta[n][1].lower()]
    others = [n for n in fired if n not in libya]
    contrast = explained.get(1975, {}).get("r2p_pillars")
    texts = db.scalar("SELECT count(*) FROM resolutions WHERE has_text")
    figures = {
        "pillar_three": fired,
        "libya_2011": libya,
        "elsewhere": others,
        "texts_read": texts,
        "s_res_1975_pillars": contrast,
    }
    evidence = []
    for n in fired[:3]:
        for r in explained[n]["rules"]:
            if r["conclusion"] == "pillar_3":
                evidence += [
                    Evidence(f"S/RES/{n} ({meta[n][0]})", e["quote"], e["start"], e["end"],
                             None, n)
                    for e in r["evidence"][:3]
                ]  # fmt: skip
    later = db.scalar("SELECT count(*) FROM resolutions WHERE year > 2015 AND NOT has_text")
    missing = [f"texts of {later} resolutions after 2015 (a later pillar-three act is unseen)"]
    verdict = SUPPORTED if libya and not others else PARTLY if libya else CONTRADICTED
    summary = (
        f"the pillar-three rule fires on {len(fired)} of {texts:,} stored texts: "
        + (", ".join(f"S/RES/{n} ({meta[n][0]})" for n in fired) or "none")
        + f"; Libya 2011: {', '.join(f'S/RES/{n}' for n in libya) or 'none'}; elsewhere: "
        + (", ".join(f"S/RES/{n} ({meta[n][0]})" for n in others) or "none")
        + f"; S/RES/1975 (Côte d'Ivoire) reads as {', '.join(contrast or []) or 'no pillar'}"
    )
    return Result(verdict, summary, figures, evidence, missing)


_DENIERS = ("MONUSCO", "MINUSMA", "MINUSCA")


@claim(
    "claims.denials_of_access.v1",
    number=15,
    section="§4 Stabilization Missions",
    quote="MONUSCO, MINUSMA, and MINUSCA have all received a high number of so-called "
    "“denials of request,” with the host governments refusing UN peacekeepers access to sites "
    "where government forces could be implicated in civilian abuses",
    tested="The host governments of MONUSCO, MINUSMA and MINUSCA denied their peacekeepers access, "
    "more than other hosts did.",
    method="the curated events (each row cited): access denials by the host government "
    "(actor gov-*) for each of the three missions, with the date and the words of the record, "
    "and the same count for every other mission with recorded events as the comparison. The "
    "events are curated for some missions only and the UN's own counts of denials (the "
    "Secretary-General's reports) are not in the data: a mission with none recorded is "
    "'insufficient data' for that part, never evidence of absence",
    would_change_if="a recorded host denial of access for each of the three would make the "
    "claim supported (and none for any, with the Secretary-General's counts in the data, "
    "would contradict it); denials recorded as often for missions without stabilization "
    "mandates would weaken the link the paper draws",
    command='peaceops sql "SELECT mission, date, description, citation FROM events WHERE '
    "type = 'access_denial'\"",
)
def denials_of_access(db: Database) -> Result:
    """MONUSCO, MINUSMA and MINUSCA were denied access by their hosts."""
    rows = db.rows(
        "SELECT event_id, mission, date, description, citation FROM events "
        "WHERE type = 'access_denial' AND actor_id LIKE 'gov-%' ORDER BY date, event_id"
    )
    by_mission: dict[str, list[dict]] = {}
    for r in rows:
        by_mission.setdefault(r["mission"], []).append(r)
    counts = {m: len(by_mission.get(m, [])) for m in _DENIERS}
    others = {m: len(v) for m, v in by_mission.items() if m not in _DENIERS}
    recorded = [m for m in _DENIERS if counts[m]]
    figures = {"host_denials": counts, "other_missions": others}
    evidence = [
        Evidence(f"registry: events {r['event_id']}", r["citation"] or r["description"])
        for m in _DENIERS
        for r in by_mission.get(m, [])[:2]
    ]
    missing = [
        f"host denials of access to {m} (none in the curated events; the Secretary-General's "
        "counts are not in the data)"
        for m in _DENIERS
        if not counts[m]
    ]
    if not recorded:
        return Result(INSUFFICIENT, "no host denial of access is recorded for the three",
                      figures, evidence, missing)  # fmt: skip
    verdict = SUPPORTED if len(recorded) == len(_DENIERS) else PARTLY
    summary = (
        "host denials of access recorded: "
        + ", ".join(f"{m} {counts[m]}" for m in _DENIERS)
        + "; other missions: "
        + (", ".join(f"{m} {n}" for m, n in sorted(others.items())) or "none")
        + " (curated events: a count of zero is no evidence of absence)"
    )
    return Result(verdict, summary, figures, evidence, missing)
