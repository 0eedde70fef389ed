"""Claims of Peter (2023) about the Council's record: resolutions, mandates, missions.

Each function tests one claim against the knowledge base (see :mod:`peaceops.claims.base`).
Quotes are the paper's words; everything else is read from the data when the claim runs.
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

_POC_TITLES = (
    "(lower(title) LIKE '%civilians in armed conflict%' "
    "OR lower(title) LIKE '%protection of civilians%')"
)


@claim(
    "claims.poc_firsts.v2",
    number=1,
    section="§3 Human Protection and UN Peacekeeping",
    quote="In 1999, the UNSC adopted two seminal resolutions: Resolution 1265 on the POC [...] "
    "and Resolution 1270, which authorized the UN peacekeeping mission in Sierra Leone with the "
    "first explicit mandate to protect civilians",
    tested="S/RES/1265 (1999) is the Council's first resolution on the protection of civilians, "
    "and S/RES/1270 (1999) para 14 the first mission paragraph that mandates the physical "
    "protection of civilians under Chapter VII.",
    method="two parts. The earliest resolution titled on civilians in armed conflict. The "
    "earliest explicit mandate to protect civilians: the first paragraph of a mission resolution "
    "that the coder reads as physical protection of civilians (CivProtect, modality Security: "
    "words naming civilians, never safe areas alone, so S/RES/836's 'deter attacks against the "
    "safe areas' is no such mandate) and that acts under Chapter VII. Earlier paragraphs that "
    "name the protection of civilians without Chapter VII (S/RES/918 para 3(a) for UNAMIR, 1994) "
    "are listed as precursors, not counted as the first",
    would_change_if="a mission paragraph before S/RES/1270 (1999) mandating the physical "
    "protection of civilians under Chapter VII would take its place as the first (partly "
    "supported); S/RES/1270's protection paragraph read without Chapter VII, or a thematic "
    "resolution on civilians before S/RES/1265, would lower the verdict a step each",
    command='peaceops sql "SELECT number, title FROM resolutions WHERE lower(title) LIKE '
    "'%civilians in armed conflict%' ORDER BY number LIMIT 1\"; peaceops show resolution 1270 "
    "--codes",
)
def poc_firsts(db: Database) -> Result:
    """S/RES/1265 first thematic PoC resolution; S/RES/1270 first explicit PoC mandate."""
    thematic = db.rows(
        f"SELECT number, year, title FROM resolutions WHERE {_POC_TITLES} ORDER BY number LIMIT 1"
    )
    physical = db.rows(
        "SELECT DISTINCT c.resolution AS number, c.paragraph, mr.acronym AS mission "
        f"FROM codes c JOIN {LINKS} mr ON mr.number = c.resolution "
        "WHERE c.task = 'CivProtect' AND c.modality = 'Security' AND mr.role <> 'terminate' "
        "ORDER BY c.resolution, c.paragraph, mr.acronym"
    )
    explicit = [r for r in physical if acts_under_chapter_vii(db, r["number"], r["paragraph"])]
    first = explicit[0] if explicit else None
    precursors = sorted(
        {
            (r["number"], r["mission"])
            for r in physical
            if first is None or r["number"] < first["number"]
        }
        - {(r["number"], r["mission"]) for r in explicit}
    )
    weaker = db.rows(
        f"SELECT DISTINCT c.resolution AS number FROM codes c JOIN {LINKS} mr ON "
        "mr.number = c.resolution WHERE c.task = 'CivProtect' AND c.modality <> 'Security' "
        "AND c.resolution < 1270 ORDER BY 1"
    )
    earlier_without_text = [
        n
        for (n,) in db.tuples(
            f"SELECT DISTINCT mr.number FROM {LINKS} mr JOIN resolutions r "
            "USING (number) WHERE mr.number < 1270 AND NOT r.has_text ORDER BY 1"
        )
    ]
    figures = {
        "first_thematic_poc_resolution": thematic[0]["number"] if thematic else None,
        "first_explicit_poc_mandate": first["number"] if first else None,
        "its_mission": first["mission"] if first else None,
        "its_paragraph": first["paragraph"] if first else None,
        "precursors_without_chapter_vii": [{"resolution": n, "mission": m} for n, m in precursors],
        "earlier_mission_resolutions_with_assist_or_monitor_poc": [r["number"] for r in weaker],
        "mission_resolutions_before_1270_without_text": len(earlier_without_text),
    }
    checks = [figures["first_thematic_poc_resolution"] == 1265,
              figures["first_explicit_poc_mandate"] == 1270]  # fmt: skip
    evidence = code_evidence(db, 1270, "CivProtect")[:2] + evidence_in_text(
        db, 1270, r"Acting under Chapter VII[^,;]*", limit=1
    )
    evidence += evidence_in_text(db, 1265, r"protection of civilians", limit=1)
    for number, _ in precursors[:2]:  # the precursors' own words
        evidence += code_evidence(db, number, "CivProtect")[:1]
    if first and first["number"] != 1270:  # what the record names instead
        evidence = code_evidence(db, first["number"], "CivProtect")[:2] + evidence
    missing = [f"text of S/RES/{n}" for n in earlier_without_text]
    if not has_text(db, 1270) or not has_text(db, 1265):
        return Result(INSUFFICIENT, "the texts of S/RES/1265 or S/RES/1270 are missing", figures,
                      evidence, ["text of S/RES/1265", "text of S/RES/1270"])  # fmt: skip
    before = (
        "; precursors without Chapter VII: " + ", ".join(f"S/RES/{n} ({m})" for n, m in precursors)
        if precursors
        else ""
    )
    first_words = (
        f"S/RES/{first['number']} ({first['mission']}) para {first['paragraph']}"
        if first
        else "none"
    )
    summary = (
        f"first resolution titled on civilians in armed conflict: "
        f"S/RES/{figures['first_thematic_poc_resolution']}; first mission paragraph mandating "
        f"physical protection of civilians under Chapter VII: {first_words}{before}"
    )
    if missing:
        summary += f" ({len(missing)} mission resolutions before 1999 have no stored text)"
    return Result(graded(checks), summary, figures, evidence, missing)


@claim(
    "claims.intervention_brigade.v1",
    number=4,
    section="§4 Stabilization Missions",
    quote="MONUSCO was enhanced with a Force Intervention Brigade (FIB)",
    tested="S/RES/2098 (2013) gave MONUSCO an Intervention Brigade, tasked under Chapter VII to "
    "neutralize named armed groups.",
    method="S/RES/2098 (2013): the words 'Intervention Brigade', a coded task to neutralize "
    "armed groups (NeutralizeGroups or OffensOper), named armed groups targeted, Chapter VII",
    would_change_if="S/RES/2098 without the words 'Intervention Brigade', without a coded task to "
    "neutralize armed groups, or without Chapter VII would lower the verdict, one step for "
    "each part that fails",
    command="peaceops show resolution 2098 --codes",
)
def intervention_brigade(db: Database) -> Result:
    """S/RES/2098 creates the Intervention Brigade to neutralize armed groups, Chapter VII."""
    if not has_text(db, 2098):
        return Result(INSUFFICIENT, "no text of S/RES/2098", missing=["text of S/RES/2098"])
    brigade = evidence_in_text(db, 2098, r"intervention brigade", limit=1)
    neutralize = code_evidence(db, 2098, "NeutralizeGroups") + code_evidence(db, 2098, "OffensOper")
    targets = [g for (g,) in db.tuples(
        "SELECT DISTINCT actor_id FROM targets WHERE resolution = 2098 AND relation = 'target' "
        "AND actor_id IS NOT NULL ORDER BY 1")]  # fmt: skip
    chapter = acts_under_chapter_vii(db, 2098)
    figures = {"intervention_brigade_mentioned": bool(brigade),
               "neutralize_codes": len(neutralize), "targeted_groups": targets,
               "chapter_vii": chapter}  # fmt: skip
    checks = [bool(brigade), bool(neutralize), chapter]
    verdict = graded(checks)
    summary = (
        f"S/RES/2098: Intervention Brigade {'named' if brigade else 'not named'}; "
        f"{len(neutralize)} coded task(s) to neutralize armed groups; groups targeted: "
        f"{', '.join(targets) or 'none'}; Chapter VII: {'yes' if chapter else 'no'}"
    )
    return Result(verdict, summary, figures, brigade + neutralize[:3])


@claim(
    "claims.minusma_span.v2",
    number=5,
    section="§4 Stabilization Missions",
    quote="MINUSMA has now been asked to withdraw, with the UN deployment set to end on "
    "31 December 2023",
    tested="Mali asked MINUSMA to leave before the Council ended its mandate, and its deployment "
    "was to end on 31 December 2023.",
    method="one end-date convention (#28): the mandate's end (mission_ends.end_date) and the "
    "end of the deployment (withdrawal_completed) kept apart. The claim holds when the host's "
    "request to withdraw is recorded (Mali, S/PV.9350, 16 June 2023) before the resolution "
    "that terminates the mandate in MINUSMA's history (S/RES/2690), the establishing "
    "resolution is S/RES/2100, and the deployment ends on 31 December 2023",
    would_change_if="no recorded host request, a request dated after the terminating "
    "resolution (a Council-initiated exit), another terminating resolution, or a deployment "
    "ending on another day than 31 December 2023 would lower the verdict",
    command="peaceops show mission MINUSMA --json",
)
def minusma_span(db: Database) -> Result:
    """Mali asked MINUSMA to leave; S/RES/2690 ended the mandate; the deployment ended 2023."""
    history = db.rows(
        f"SELECT number, role, date, citation FROM {LINKS} WHERE acronym = 'MINUSMA' "
        "AND role IN ('establish', 'terminate') ORDER BY date, number"
    )
    roles = {r["number"]: r["role"] for r in history}
    ends = db.rows("SELECT * FROM mission_ends WHERE acronym = 'MINUSMA'")
    end = ends[0] if ends else {}
    request, mandate_end = end.get("host_request_date"), end.get("end_date")
    deployed_to = end.get("withdrawal_completed")
    terminating = [r for r in history if r["role"] == "terminate"]
    evidence = evidence_in_text(db, 2100, r"(?:decides|establish)[^.;]{0,80}MINUSMA", limit=1)
    evidence += evidence_in_text(db, 2690, r"terminate[^.;]{0,80}", limit=1)
    evidence += [Evidence("registry: mandate_history", r["citation"]) for r in terminating]
    if end.get("citation"):
        evidence.append(Evidence("registry: mission_ends", end["citation"]))
    missing = [f"text of S/RES/{n}" for n in (2100, 2690) if not has_text(db, n)]
    if request is None:
        missing.append("the host's request to withdraw (mission_ends.host_request_date)")
    figures = {
        "s_res_2100_role": roles.get(2100),
        "terminating": [r["number"] for r in terminating],
        "host_request_date": str(request)[:10] if request else None,
        "mandate_end": str(mandate_end)[:10] if mandate_end else None,
        "deployment_end": str(deployed_to)[:10] if deployed_to else None,
    }
    last = terminating[-1] if terminating else None
    checks = [
        roles.get(2100) == "establish",
        last is not None and last["number"] == 2690,
        request is not None and last is not None and last["date"] is not None
        and request <= last["date"],
        deployed_to is not None and str(deployed_to)[:10] == "2023-12-31",
    ]  # fmt: skip
    verdict = graded(checks)
    summary = (
        f"Mali's request {figures['host_request_date'] or 'not recorded'}; terminating "
        f"resolution {', '.join(f'S/RES/{n}' for n in figures['terminating']) or 'none linked'}"
        f" (mandate to {figures['mandate_end']}); deployment to {figures['deployment_end']}; "
        f"S/RES/2100: {roles.get(2100) or 'not linked'}"
        + (
            "; S/RES/2690's text is not in the data, its role is the registry's (cited)"
            if "text of S/RES/2690" in missing
            else ""
        )
    )
    return Result(verdict, summary, figures, evidence, missing)


@claim(
    "claims.spm_afghanistan_iraq.v1",
    number=8,
    section="§4 Stabilization Missions",
    quote="The United Nations Assistance Mission in Afghanistan (UNAMA) and the United Nations "
    "Assistance Mission for Iraq [...] are both special political missions (SPMs). SPMs are "
    "Chapter VI collective instruments. [...] the mission continued operating in Afghanistan "
    "even after the Taliban returned to power",
    tested="UNAMA and UNAMI are special political missions whose own mandates never act under "
    "Chapter VII, and UNAMA stayed in Afghanistan after the Taliban's return in 2021.",
    method="the registry's type of UNAMA and UNAMI; Chapter VII in any of their resolutions "
    "(texts stored) counted for the mission only where a paragraph under Chapter VII acts for "
    "it (an act on its mandate read from the text, or a task the coder addressed to it): "
    "S/RES/1546 acts under Chapter VII for the multinational force; UNAMA's recorded change "
    "of regime and its end",
    would_change_if="a resolution acting under Chapter VII for UNAMA or UNAMI, a registry type "
    "other than 'spm', or UNAMA ending before the 2021 change of regime would lower the verdict",
    command="peaceops show mission UNAMA --json; peaceops show mission UNAMI --json",
)
def spm_afghanistan_iraq(db: Database) -> Result:
    """UNAMA and UNAMI are SPMs without Chapter VII; UNAMA survived the 2021 change of regime."""
    figures: dict = {}
    missing: list[str] = []
    evidence: list[Evidence] = []
    checks = []
    for acronym in ("UNAMA", "UNAMI"):
        kind = db.scalar("SELECT type FROM missions WHERE acronym = ?", [acronym])
        numbers = [
            n
            for (n,) in db.tuples(
                # not a resolution that only gives it tasks (role 'tasks': the Taliban
                # sanctions of S/RES/1988 ask UNAMA to help; their Chapter VII is not its)
                f"SELECT number FROM {LINKS} WHERE acronym = ? AND role <> 'tasks' ORDER BY number",
                [acronym],
            )
        ]
        textless = [n for n in numbers if not has_text(db, n)]
        # a Chapter VII paragraph counts only where it acts for this mission (#29): S/RES/1546
        # acts under Chapter VII for the multinational force, not for UNAMI
        chapter = [n for n in numbers if chapter_vii_for(db, n, acronym)]
        figures_ch7_any = [n for n in numbers if acts_under_chapter_vii(db, n)]
        figures[acronym] = {"type": kind, "resolutions": len(numbers),
                            "without_text": len(textless), "chapter_vii": chapter,
                            "chapter_vii_for_others": sorted(set(figures_ch7_any) - set(chapter))
                            }  # fmt: skip
        missing += [f"text of S/RES/{n} ({acronym})" for n in textless]
        checks += [kind == "spm", not chapter]
        for n in chapter:
            evidence += evidence_in_text(db, n, r"Acting under Chapter VII[^,;]*", limit=1)
    regime = db.rows(
        "SELECT event_id, date, citation FROM events WHERE mission = 'UNAMA' AND "
        "type = 'regime_change' ORDER BY date"
    )
    end = db.scalar("SELECT \"end\" FROM missions WHERE acronym = 'UNAMA'")
    survived = bool(regime) and (end is None or end > regime[-1]["date"])
    figures["UNAMA"] |= {"regime_change": str(regime[-1]["date"]) if regime else None,
                         "end": str(end) if end else None, "survived": survived}  # fmt: skip
    evidence += [Evidence(f"registry: events {r['event_id']}", r["citation"]) for r in regime]
    checks.append(survived)
    if not regime:
        missing.append("a recorded change of regime for UNAMA (events)")
    verdict = graded(checks)
    if not regime and not all(checks[:4]):
        verdict = INSUFFICIENT
    summary = (
        f"UNAMA: {figures['UNAMA']['type']}, Chapter VII in "
        f"{len(figures['UNAMA']['chapter_vii'])} of {figures['UNAMA']['resolutions']} "
        f"resolutions, {'still deployed after' if survived else 'not shown to survive'} the "
        f"{figures['UNAMA']['regime_change'] or 'unrecorded'} change of regime; UNAMI: "
        f"{figures['UNAMI']['type']}, Chapter VII in {len(figures['UNAMI']['chapter_vii'])} of "
        f"{figures['UNAMI']['resolutions']}"
        + "".join(
            f"; {a}'s resolutions acting under Chapter VII for another force: "
            + ", ".join(f"S/RES/{n}" for n in figures[a]["chapter_vii_for_others"])
            for a in ("UNAMA", "UNAMI")
            if figures[a]["chapter_vii_for_others"]
        )
        + (
            f"; {len(missing)} texts missing, so Chapter VII is checked on the others"
            if missing
            else ""
        )
    )
    return Result(verdict, summary, figures, evidence, missing)


#: The three missions the paper names (§4), in its order.
_NAMED = ("MINUSMA", "MONUSCO", "MINUSCA")
#: Stabilization words in a paragraph (not "destabilize", not "stability").
_STABILIZ = re.compile(r"(?<![a-z])stabili[sz](?:e|es|ed|ing|ation)\b", re.IGNORECASE)


def _stabilization_words(db: Database, acronym: str) -> list[Evidence]:
    """Operative paragraphs of a mission's confirmed resolutions that name it and use the word.

    The mission's own name ("Stabilization Mission") is not the word: it is cut out first.
    """
    found: list[Evidence] = []
    rows = db.rows(
        'SELECT r.number, r.year, r.text, p.label, p.start, p."end" FROM '
        f"{LINKS} h JOIN resolutions r USING (number) JOIN paragraphs p ON "
        "p.resolution = r.number AND p.kind = 'operative' AND p.depth = 0 "
        "WHERE h.acronym = ? AND r.has_text ORDER BY r.number, p.start",
        [acronym],
    )
    for row in rows:
        words = row["text"][row["start"] : row["end"]]
        if acronym not in words:
            continue
        for match in _STABILIZ.finditer(words):
            if re.match(r"\s+Mission\b", words[match.end() :]):  # the mission's own name
                continue
            start = row["start"] + match.start()
            source, quote = f"S/RES/{row['number']} ({row['year']})", match.group(0)
            end = start + len(quote)
            found.append(Evidence(source, quote, start, end, row["label"], row["number"]))
            break
    return found


@claim(
    "claims.stabilization_names.v2",
    number=9,
    section="§4 Stabilization Missions",
    quote="The UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA), the UN "
    "Stabilization Mission in the Democratic Republic of Congo, and the UN Multidimensional "
    "Integrated Stabilization Mission in the Central African Republic (MINUSCA) all have "
    "stabilization in their name and their mandate",
    tested="MINUSMA, MONUSCO and MINUSCA each have 'stabilization' in their registry name and a "
    "stabilization task in their mandate texts.",
    method="the three missions the paper names (MINUSMA, MONUSCO, MINUSCA), each judged on its "
    "own: its registry name has 'stabilization'; its mandate has it, read two ways from its "
    "confirmed resolutions with text: strictly, a coded Stabilization task (stabilize key "
    "population centres or areas, stabilization activities or strategies, stabilize the "
    "country, addressed to the mission), or in words only, an operative paragraph that names "
    "the mission and uses 'stabilize'/'stabilization' outside the mission's name. Preambles "
    "do not count: S/RES/2149's 'to stabilize the country' is in its preamble, the CAR's "
    "request for a peacekeeping operation, not a task of MINUSCA. MINUSTAH (2004), also named "
    "so, is shown but not judged (the paper does not name it)",
    would_change_if="a coded Stabilization task for each of the three would make it supported; "
    "a mission with neither the task nor the word in an operative paragraph, or without "
    "'stabilization' in its name, lowers it to partly supported; none of the three with it, "
    "contradicted",
    command='peaceops sql "SELECT c.resolution, c.paragraph, c.quote FROM codes c WHERE '
    "c.task = 'Stabilization' AND c.mission IN ('MINUSMA', 'MONUSCO', 'MINUSCA')\"",
)
def stabilization_names(db: Database) -> Result:
    """MINUSMA, MONUSCO and MINUSCA have stabilization in their name and their mandate."""
    from peaceops.coding.records import designator

    marks = ", ".join(repr(a) for a in (*_NAMED, "MINUSTAH"))
    names = dict(db.tuples(f"SELECT acronym, name FROM missions WHERE acronym IN ({marks})"))
    missions: dict = {}
    evidence: list[Evidence] = []
    missing: list[str] = []
    for acronym in (*_NAMED, "MINUSTAH"):
        coded = [n for (n,) in db.tuples(
            f"SELECT DISTINCT c.resolution FROM codes c JOIN {LINKS} h ON h.number = c.resolution "
            "WHERE h.acronym = ? AND c.task = 'Stabilization' AND (c.mission IS NULL OR "
            "c.mission = ?) ORDER BY 1", [acronym, designator(acronym)])]  # fmt: skip
        words = _stabilization_words(db, acronym)
        name = names.get(acronym) or ""
        missions[acronym] = {
            "named_by_paper": acronym in _NAMED,
            "name": name,
            "stabilization_in_name": bool(re.search(r"stabili[sz]", name, re.IGNORECASE)),
            "stabilization_task_first": coded[0] if coded else None,
            "stabilization_word_first": words[0].resolution if words else None,
        }
        if acronym not in _NAMED:
            continue
        if coded:
            evidence += code_evidence(db, coded[0], "Stabilization")[:1]
        evidence += words[:1]
        if not coded:
            textless = [n for (n,) in db.tuples(
                f"SELECT number FROM {LINKS} h JOIN resolutions r USING (number) "
                "WHERE h.acronym = ? AND NOT r.has_text", [acronym])]  # fmt: skip
            missing += [f"text of S/RES/{n} ({acronym})" for n in textless]
    preamble = evidence_in_text(db, 2149, r"to stabilize the country", limit=1)
    evidence += preamble
    judged = [missions[a] for a in _NAMED]
    strict = [m["stabilization_in_name"] and m["stabilization_task_first"] for m in judged]
    loose = [m["stabilization_in_name"] and (m["stabilization_task_first"] or
             m["stabilization_word_first"]) for m in judged]  # fmt: skip
    verdict = SUPPORTED if all(strict) else PARTLY if any(loose) else CONTRADICTED
    if not names:
        return Result(INSUFFICIENT, "none of the three missions is in the registry", {},
                      missing=["MINUSMA, MONUSCO and MINUSCA in the mission registry"])  # fmt: skip

    def said(a: str) -> str:
        m = missions[a]
        if m["stabilization_task_first"]:
            return f"{a}: task from S/RES/{m['stabilization_task_first']}"
        if m["stabilization_word_first"]:
            return f"{a}: the word only (S/RES/{m['stabilization_word_first']}), no coded task"
        return f"{a}: neither in its stored texts"

    summary = (
        "'stabilization' in the name: "
        + ", ".join(a for a in _NAMED if missions[a]["stabilization_in_name"])
        + "; in the mandate: " + "; ".join(said(a) for a in _NAMED)
        + (f"; S/RES/2149's 'to stabilize the country' is preambular (para {preamble[0].paragraph})"
           if preamble else "")
    )  # fmt: skip
    figures = {"missions": missions, "s_res_2149_stabilize_the_country_paragraph":
               preamble[0].paragraph if preamble else None}  # fmt: skip
    return Result(verdict, summary, figures, evidence, missing)
