"""Claims of the paper about the human-protection norm, tested against the texts (#29).

Data flow: every stored resolution text -> :func:`peaceops.doctrine.explain.explain_all` (the
doctrine's R2P pillar rules, written from A/RES/60/1 and A/63/677, not from these claims) ->
the resolutions the pillar-three rule fires on -> a verdict with its evidence spans.
"""

from __future__ import annotations

from peaceops.claims.base import (
    CONTRADICTED,
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
