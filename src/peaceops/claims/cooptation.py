"""Claim 10 of Peter (2023): stabilization mandates and the co-optation into counter-terrorism.

The paper's claim has two parts, and each is tested on its own:

* **Stabilization mandates, once introduced, stay.** For each stabilization mission (MONUC and
  MONUSCO as one lineage, MINUSMA, MINUSCA, MINUSTAH), its first partial mandate (a resolution
  with partial terms, :mod:`peaceops.measures`) and the share of its *later* coded mandates that
  are partial again, against the same share for the other peacekeeping operations' coded
  mandates of the same years. The first partial mandate itself is never counted, so the
  comparison is not true by construction: a Council that returned to even-handed mandates after
  one partial resolution would contradict it.
* **Co-optation into counter-terrorism.** Operative paragraphs that name a stabilization
  mission and (a) name countering, combating or
  deterring terrorism, (b) ask of it a robust or proactive
  posture, or (c) have it support a counter-terrorism force (the G5 Sahel joint force). Their
  first resolution and year are reported; the texts that would decide a missing part are named
  (S/RES/2295 of 2016, MINUSMA's "more proactive and robust posture"; S/RES/2391 of 2017, its
  support to the G5 Sahel joint force, are not in the data).
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
    claim,
)
from peaceops.store import Database

#: Stabilization missions, as lineages (a successor keeps its predecessor's history).
LINEAGES = {
    "MONUC-MONUSCO": ("MONUC", "MONUSCO"),
    "MINUSMA": ("MINUSMA",),
    "MINUSCA": ("MINUSCA",),
    "MINUSTAH": ("MINUSTAH",),
}
#: The paper's "last decade" (it was written in 2023).
DECADE = (2013, 2023)
#: Markers of co-optation into counter-terrorism, read in operative paragraphs naming the
#: mission. A heading that trails a paragraph in the stored text ("Force conjointe du G5
#: Sahel") is not a marker: (c) needs the word "support" next to the force's name.
MARKERS = {
    "counter_terrorism": re.compile(
        r"\b(?:combat|fight|deter|prevent|neutrali[sz]e|counter)\w*"
        r"\s+(?:against\s+)?(?:the\s+)?(?:\w+\s+){0,3}?terroris\w*",
        re.IGNORECASE,
    ),
    "robust_posture": re.compile(
        r"\b(?:robust|proactive)\b[^;.]{0,40}?\b(?:posture|manner|"
        r"approach|steps|action)",
        re.IGNORECASE,
    ),
    "support_to_ct_force": re.compile(
        r"\bsupport\w*[^;.]{0,80}?(?:FC-G5S|G5 Sahel joint force|Joint Force of the Group of "
        r"Five)",
        re.IGNORECASE,
    ),
}
#: Resolutions that would decide the co-optation markers where the data lack their texts.
DECIDING = {2295: "MINUSMA, 2016: 'more proactive and robust posture'",
            2364: "MINUSMA, 2017: mandate renewal", 2391: "MINUSMA, 2017: support to the G5 "
            "Sahel joint force", 2531: "MINUSMA, 2020: support to the joint force renewed",
            2277: "MONUSCO, 2016: Intervention Brigade renewed", 2301: "MINUSCA, 2016: "
            "robust posture"}  # fmt: skip


def _coded_mandates(db: Database, missions: tuple[str, ...]) -> list[dict]:
    marks = ", ".join("?" * len(missions))
    return db.rows(
        "SELECT DISTINCT r.number, r.year, i.partial_terms FROM "
        f"{LINKS} h JOIN resolutions r USING (number) JOIN impartiality_resolution i "
        f"ON i.resolution = r.number WHERE h.acronym IN ({marks}) AND r.has_text "
        "AND h.role NOT IN ('terminate', 'tasks') ORDER BY r.number",
        list(missions),
    )


def _markers(db: Database, missions: tuple[str, ...]) -> dict[str, tuple[int, Evidence]]:
    """Per marker, the first operative paragraph naming one of ``missions`` with it.

    Each is given as its resolution's year and the marker's words.
    """
    marks = ", ".join("?" * len(missions))
    rows = db.rows(
        'SELECT DISTINCT r.number, r.year, r.text, p.label, p.start, p."end" FROM '
        f"{LINKS} h JOIN resolutions r USING (number) JOIN paragraphs p ON p.resolution = "
        "r.number AND p.kind = 'operative' AND p.depth = 0 "
        f"WHERE h.acronym IN ({marks}) AND r.has_text ORDER BY r.number, p.start",
        list(missions),
    )
    found: dict[str, tuple[int, Evidence]] = {}
    for row in rows:
        words = row["text"][row["start"] : row["end"]]
        if not any(m in words for m in missions):
            continue
        for name, pattern in MARKERS.items():
            match = pattern.search(words)
            if match and name not in found:
                start = row["start"] + match.start()
                found[name] = (row["year"], Evidence(
                    f"S/RES/{row['number']} ({row['year']})", match.group(0), start,
                    start + len(match.group(0)), row["label"], row["number"]))  # fmt: skip
    return found


@claim(
    "claims.partial_mandates.v2",
    number=10,
    section="§4 Stabilization Missions",
    quote="the co-optation of UN peacekeeping into the counter-terrorism efforts and "
    "introduction of stabilization mandates [...] over the last decade has undermined the "
    "principled nature of the instrument of peacekeeping itself",
    tested="Once a stabilization mission received a partial mandate, its later mandates stayed "
    "partial more often than other peacekeeping mandates, and from 2013 its mandates tied "
    "it to counter-terrorism.",
    method="two parts. Persistence: for each stabilization mission (MONUC and MONUSCO as one "
    "lineage, MINUSMA, MINUSCA, MINUSTAH), its first partial mandate (a resolution with partial "
    "terms) and the share of its later coded mandates (the first never counted) that are "
    "partial again, pooled, against the same share for the other peacekeeping operations' "
    "coded mandates of the same years. Co-optation: operative paragraphs naming a stabilization "
    "mission that name countering, combating or deterring terrorism (not the word alone: "
    "MINUSMA documenting abuses in counterterrorism operations is no such task), ask a robust "
    "or proactive posture of it, or "
    "have it support a counter-terrorism force (the G5 Sahel joint force), from 2013 on; the "
    "resolutions whose texts would decide a part and are missing are named",
    would_change_if="later mandates of the stabilization missions no more often partial than "
    "other peacekeeping operations' mandates of the same years (the Council returning to "
    "even-handed mandates), or no operative paragraph from 2013 on tying a stabilization "
    "mission to counter-terrorism, would lower the verdict a step each",
    command='peaceops sql "SELECT h.acronym, r.number, i.partial_terms FROM mandate_history h '
    "JOIN resolutions r USING (number) JOIN impartiality_resolution i ON i.resolution = r.number "
    "WHERE h.confirmed AND h.acronym IN ('MONUC', 'MONUSCO', 'MINUSMA', 'MINUSCA')\"",
)
def partial_mandates(db: Database) -> Result:
    """Stabilization mandates, once introduced, stay; and the missions were tied to CT."""
    lineages: dict = {}
    later_partial = later_total = 0
    years: set[int] = set()
    evidence: list[Evidence] = []
    for name, missions in LINEAGES.items():
        rows = _coded_mandates(db, missions)
        first = next((r for r in rows if r["partial_terms"] > 0), None)
        later = [r for r in rows if first and r["number"] > first["number"]]
        lineages[name] = {
            "first_partial_mandate": first["number"] if first else None,
            "year": first["year"] if first else None,
            "founding_was_partial": bool(first and rows and rows[0]["number"] == first["number"]),
            "later_coded": len(later),
            "later_partial": sum(r["partial_terms"] > 0 for r in later),
        }
        later_partial += lineages[name]["later_partial"]
        later_total += len(later)
        years |= {r["year"] for r in later}
    stabilization = {m for ms in LINEAGES.values() for m in ms}
    others = db.rows(
        "SELECT DISTINCT r.number, i.partial_terms FROM "
        f"{LINKS} h JOIN resolutions r USING (number) JOIN impartiality_resolution i ON "
        "i.resolution = r.number JOIN missions m ON m.acronym = h.acronym WHERE m.type = 'pko' "
        f"AND h.acronym NOT IN ({', '.join(repr(m) for m in sorted(stabilization))}) "
        "AND h.role NOT IN ('terminate', 'tasks') AND r.has_text AND r.year BETWEEN ? AND ?",
        [min(years, default=0), max(years, default=0)],
    )
    share = later_partial / later_total if later_total else None
    baseline = sum(r["partial_terms"] > 0 for r in others) / len(others) if others else None
    markers: dict[str, dict] = {}
    for missions in LINEAGES.values():
        for marker, (year, span) in _markers(db, missions).items():
            if marker not in markers or span.resolution < markers[marker]["resolution"]:
                markers[marker] = {"resolution": span.resolution, "year": year,
                                   "paragraph": span.paragraph, "span": span}  # fmt: skip
    in_decade = {k: v for k, v in markers.items() if DECADE[0] <= v["year"] <= DECADE[1]}
    evidence += [v["span"] for v in markers.values()]
    textless = {n for (n,) in db.tuples(
        "SELECT number FROM resolutions WHERE NOT has_text AND number IN "
        f"({', '.join(str(n) for n in DECIDING)})")}  # fmt: skip
    figures = {
        "lineages": lineages,
        "later_mandates_partial_share": round(share, 3) if share is not None else None,
        "later_mandates": later_total,
        "other_pko_mandates_partial_share": round(baseline, 3) if baseline is not None else None,
        "other_pko_mandates": len(others),
        "years_compared": [min(years), max(years)] if years else None,
        "cooptation_markers": {
            k: {"resolution": v["resolution"], "paragraph": v["paragraph"]}
            for k, v in markers.items()
        },
        "cooptation_markers_2013_2023": sorted(in_decade),
    }
    missing = [f"text of S/RES/{n} ({DECIDING[n]})" for n in sorted(textless)]
    if share is None or baseline is None:
        return Result(INSUFFICIENT, "no coded mandate after a stabilization mission's first "
                      "partial one, or none of other peacekeeping operations to compare",
                      figures, evidence, missing or ["coded mandates of the missions"])  # fmt: skip
    persists = share > baseline
    coopted = bool(in_decade)
    verdict = SUPPORTED if persists and coopted else PARTLY if persists or coopted else CONTRADICTED
    firsts = ", ".join(
        f"{k} S/RES/{v['first_partial_mandate']} ({v['year']}"
        + (", founding" if v["founding_was_partial"] else "") + ")"
        for k, v in lineages.items() if v["first_partial_mandate"]
    )  # fmt: skip
    summary = (
        f"first partial mandates: {firsts}; later coded mandates partial again: "
        f"{later_partial} of {later_total} ({share:.0%}) against {baseline:.0%} of "
        f"{len(others)} other peacekeeping mandates of {min(years)}-{max(years)}; co-optation "
        "markers from 2013: "
        + (
            ", ".join(
                f"{k.replace('_', ' ')} (S/RES/{v['resolution']})"
                for k, v in sorted(in_decade.items())
            )
            or "none"
        )
        + (f"; {len(missing)} deciding texts missing" if missing else "")
    )
    return Result(verdict, summary, figures, evidence, missing)
