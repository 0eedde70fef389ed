"""Instrument rules: which collective-security instrument a resolution uses.

Each rule below is one instrument of the Charter's toolbox as the paper (Peter 2023, section 2)
and the doctrine it cites describe it: peaceful settlement under Chapter VI; peacekeeping, the
"Chapter Six and a half" of the Charter, in its traditional and robust forms; stabilization and
enforcement; the authorisation of Member States or regional forces to use force; sanctions
under Article 41; special political missions; peacebuilding.

Data flow: every rule takes one :class:`~peaceops.doctrine.rules.ResolutionFacts` - the text,
its paragraphs, the mandate coder's task codes (``codes``), the Chapter VII basis
(``chapter_vii``), the targeted armed groups (``targets``) and the missions the resolution
mandates (registry, or a renewal read from the text) - and returns
:class:`~peaceops.doctrine.rules.Finding` records with the evidence spans they rest on. A
resolution may carry several instruments. The rules never look at a resolution's number: the
known cases (``tests/test_doctrine.py``) check the definitions, they do not shape them.

``docs/doctrine.md`` states every rule in prose, with its limits. The module runs over 500
lines on purpose: it is one rule set, read and versioned as a whole, and splitting the rules
across files would hide how they exclude each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from peaceops.doctrine.rules import (
    Evidence,
    Finding,
    ParagraphRef,
    ResolutionFacts,
    code_evidence,
    first_match,
    opening_verb,
    rule,
    unique,
)

#: instruments in the order explanations list them
INSTRUMENTS = (
    "chapter_vi",
    "traditional_peacekeeping",
    "robust_peacekeeping",
    "stabilization_enforcement",
    "authorization_member_states",
    "sanctions",
    "special_political_mission",
    "peacebuilding",
)
#: instruments that deploy, or authorise, a presence in the field
MISSION_INSTRUMENTS = frozenset(
    {
        "traditional_peacekeeping",
        "robust_peacekeeping",
        "stabilization_enforcement",
        "authorization_member_states",
        "special_political_mission",
    }
)

# --- Chapter VI -------------------------------------------------------------------------------

# Article 33(1): "negotiation, enquiry, mediation, conciliation, arbitration, judicial
# settlement, resort to regional agencies or arrangements, or other peaceful means"
_SETTLEMENT = re.compile(
    r"\bpeaceful\s+(?:means|settlement|solution|resolution)\b"
    r"|\b(?:negotiated|political|diplomatic)\s+(?:\w+\s+){0,2}?(?:settlement|solution)\b"
    r"|\bgood\s+offices\b|\bmediat(?:ion|ors?|e|ing)\b|\bnegotiat(?:e|ions?|ing)\b"
    r"|\bconciliation\b|\barbitration\b|\bjudicial\s+settlement\b"
    r"|\b(?:settle|resolve)\w*\s+(?:\w+\s+){0,3}?(?:disputes?|differences)\b",
    re.IGNORECASE,
)
# the Council calls upon, recommends or asks: Articles 33(2), 36(1), 37(2), 38
_RECOMMENDING = frozenset(
    {"calls", "urges", "recommends", "requests", "invites", "encourages", "appeals", "exhorts"}
    | {"asks", "decides", "call", "urge", "request", "invite", "encourage", "appeal"}
)


@rule(
    rule_id="instrument.chapter_vi_peaceful_settlement.v1",
    conclusion="chapter_vi",
    source="Charter Ch. VI, Arts 33-38",
)
def chapter_vi_peaceful_settlement(facts: ResolutionFacts) -> list[Finding]:
    """Chapter VI: the Council recommends the peaceful settlement of a dispute.

    Fires when an operative paragraph that is *not* adopted under Chapter VII calls upon,
    urges, requests, invites, encourages or recommends (or decides on) a means of peaceful
    settlement: negotiation, mediation, good offices, conciliation, arbitration, judicial
    settlement, a peaceful, negotiated or political settlement or solution.

    Source: Charter Ch. VI, Arts 33-38 (Art. 33(2): the Council "shall, when it deems
    necessary, call upon the parties to settle their dispute by such means"; Art. 36:
    "recommend appropriate procedures or methods of adjustment"; Art. 37: terms of settlement).

    Evidence: the settlement words, one span per paragraph.
    """
    evidence = []
    for paragraph in facts.top_level():
        if facts.under_chapter_vii(paragraph.label):
            continue
        if opening_verb(facts.paragraph_text(paragraph)) not in _RECOMMENDING:
            continue
        evidence.append(first_match(_SETTLEMENT, facts, paragraph.start, paragraph.end))
    found = unique(evidence)
    return [Finding(_id("chapter_vi_peaceful_settlement"), "chapter_vi", found)] if found else []


# --- Peacekeeping -----------------------------------------------------------------------------

_SELF_DEFENCE = re.compile(r"\bin\s+self-?\s*defen[cs]e", re.IGNORECASE)  # not "beyond"
_OFFENSIVE_TASKS = ("OffensOper", "NeutralizeGroups", "Stabilization", "SupportHostForces")
_DOING = ("Security", "Assist")  # the mission does it, or helps others do it


def _force_beyond_self_defence(facts: ResolutionFacts) -> list:
    """Codes that give a mission force beyond self-defence, or offensive tasks."""
    force = [
        c
        for c in facts.codes_for(["UseOfForce"], ["Security"])
        if not _SELF_DEFENCE.search(c.quote)
    ]
    return force + facts.codes_for(["OffensOper", "NeutralizeGroups"], ["Security"])


def _under_chapter_vii(facts: ResolutionFacts, rows: list) -> list:
    """The codes or targets whose paragraph is adopted under Chapter VII."""
    return [r for r in rows if facts.under_chapter_vii(r.paragraph)]


def _link_evidence(link) -> tuple[Evidence, ...]:
    return (link.evidence,) if link.evidence is not None else ()


def _per_mission(
    name: str,
    links: Iterable,
    evidence: tuple[Evidence, ...] = (),
    *,
    conclusion: str | None = None,
) -> list[Finding]:
    """One finding of rule ``name`` per linked mission: the rule's evidence and the link's."""
    return [
        Finding(_id(name), conclusion or name, unique(evidence + _link_evidence(m)), m.acronym)
        for m in links
    ]


@rule(
    rule_id="instrument.traditional_peacekeeping.v1",
    conclusion="traditional_peacekeeping",
    source="Capstone Doctrine 2008",
)
def traditional_peacekeeping(facts: ResolutionFacts) -> list[Finding]:
    """Traditional peacekeeping ("Chapter VI½"): a UN peacekeeping mandate without Chapter VII.

    Fires, per UN peacekeeping operation (registry type ``pko``) that the resolution
    establishes, renews or changes, when the resolution acts under Chapter VII nowhere and
    gives the mission no force beyond self-defence: no ``UseOfForce`` code in the Security
    modality ("all necessary means", "use force") other than one about self-defence, and no
    ``OffensOper`` or ``NeutralizeGroups`` code in the Security modality.

    Source: Capstone Doctrine 2008 (United Nations Peacekeeping Operations: Principles and
    Guidelines, ch. 3: consent of the parties, impartiality, non-use of force except in
    self-defence and defence of the mandate); Hammarskjöld's "Chapter Six and a half", as the
    paper recalls it (Peter 2023, section 2); Brahimi Report A/55/305-S/2000/809, para. 48.

    Evidence: where the text names the mission. The absence of Chapter VII and of force has no
    span; ``chapter_vii`` and ``codes`` are empty for it.
    """
    if facts.acts_under_chapter_vii or _force_beyond_self_defence(facts):
        return []
    return _per_mission("traditional_peacekeeping", facts.mission_links(types=["pko"]))


@rule(
    rule_id="instrument.robust_peacekeeping.v1",
    conclusion="robust_peacekeeping",
    source="Brahimi Report A/55/305",
)
def robust_peacekeeping(facts: ResolutionFacts) -> list[Finding]:
    """Robust multidimensional peacekeeping: Chapter VII, a UN mission, protection of civilians.

    Fires, per UN peacekeeping operation the resolution establishes, renews or changes, when
    the coder found a ``CivProtect`` task in the Security modality (the mission itself
    protects civilians, not only supports others in doing so) in a paragraph adopted under
    Chapter VII (the whole operative part, or that paragraph).

    Source: Brahimi Report A/55/305-S/2000/809 (2000), paras 48-55 (robust doctrine and
    rules of engagement) and 62-63 (peacekeepers who witness violence against civilians
    should be presumed to be authorized to stop it, "within their means"); S/RES/1265 (1999)
    and S/RES/1270 (1999), the first explicit POC mandate; Capstone Doctrine 2008, ch. 3
    ("robust" peacekeeping with the consent of the host); Peter 2023, section 3: "Since
    1999, the UNSC has mandated all multidimensional peacekeeping missions under Chapter VII".

    Evidence: the Chapter VII invocation, the protection-of-civilians codes (and the
    "all necessary means" code when there is one), the mission's name.
    """
    protect = _under_chapter_vii(facts, facts.codes_for(["CivProtect"], ["Security"]))
    if not protect:
        return []
    force = _under_chapter_vii(facts, facts.codes_for(["UseOfForce"], ["Security"]))[:1]
    base = facts.chapter_vii_evidence() + code_evidence(protect + force)
    return _per_mission("robust_peacekeeping", facts.mission_links(types=["pko"]), base)


@rule(
    rule_id="instrument.stabilization_enforcement.v1",
    conclusion="stabilization_enforcement",
    source="HIPPO report S/2015/446",
)
def stabilization_enforcement(facts: ResolutionFacts) -> list[Finding]:
    """Stabilization and enforcement: a Chapter VII UN mission given sides to take.

    Fires, per UN peacekeeping operation the resolution establishes, renews or changes, when
    a paragraph adopted under Chapter VII gives the mission (Security or Assist modality) an
    offensive or partial task - ``OffensOper``, ``NeutralizeGroups``, ``Stabilization``,
    ``SupportHostForces`` - or targets a named armed group (``targets`` with relation
    ``target``, named, not inferred).

    Source: HIPPO report S/2015/446 (2015), the High-Level Independent Panel on Peace
    Operations, on the use of force, "stabilization" mandates and enforcement tasks given to
    peacekeeping operations (UN missions "are not suited" to military counter-terrorism
    operations); Peter 2023, section 4 (MONUSCO's Force Intervention Brigade, "tasked with
    neutralizing a defined list of armed groups", S/RES/2098 (2013); MINUSMA, MINUSCA);
    Brahimi Report A/55/305, para. 50 on impartiality.

    Evidence: the Chapter VII invocation, the task codes and the named targets.
    """
    tasks = _under_chapter_vii(facts, facts.codes_for(_OFFENSIVE_TASKS, _DOING))
    named = [
        Evidence(t.start, t.end, t.quote)
        for t in _under_chapter_vii(facts, facts.targets)
        if t.relation == "target" and not t.inferred and t.actor_id
    ]
    if not tasks and not named:
        return []
    base = facts.chapter_vii_evidence() + code_evidence(tasks) + tuple(named)
    return _per_mission("stabilization_enforcement", facts.mission_links(types=["pko"]), base)


# --- Authorisation of Member States and regional forces ----------------------------------------

_ALL_NECESSARY = re.compile(r"\ball\s+(?:the\s+)?necessary\s+(?:means|measures)\b", re.IGNORECASE)
_AUTHORIZING = re.compile(r"\bauthori[sz]\w*|\bdecides\s+that\b", re.IGNORECASE)
_MAY = re.compile(r"\bmay\b")
_NON_UN = re.compile(
    r"\b(?:Member\s+)?States\b|\bregional\s+(?:organi[sz]ations|arrangements)\b"
    r"|\bAfrican\s+Union\b|\bAU\b|\bECOWAS\b|\bEuropean\s+Union\b|\bEU\b|\bNATO\b"
    r"|\bNorth\s+Atlantic\s+Treaty\s+Organi[sz]ation\b|\bLeague\s+of\s+Arab\s+States\b"
    r"|\b[Mm]ultinational\s+(?:force|forces|protection\s+force|operation)\b|\bAfrican-led\b"
    r"|\b[Ii]nternational\s+(?:security|military)\s+(?:presence|force)\b"
    r"|\bthe\s+[A-Z][a-z]+\s+forces\b"
)
# UN missions by their naming conventions (UNMISS, MINUSMA, MONUSCO, ONUB, BINUCA) or words
_UN = re.compile(
    r"(?<![\w-])(?:UN[A-Z]{2,}|MINU[A-Z]+|MONU[A-Z]+|ONU[A-Z]+|BINU[A-Z]+|BNUB)(?![\w-])"
    r"|\bthe\s+(?:Mission|Force|Operation|Office)\b"
    r"|\bUnited\s+Nations\s+(?:[A-Z][\w-]*\s+){0,6}?(?:Mission|Force|Operation|Office)\b"
)


@dataclass(frozen=True)
class Authorization:
    """An operative paragraph that gives a non-UN force "all necessary means/measures"."""

    paragraph: ParagraphRef
    addressee: Evidence
    measures: Evidence


def authorizations(facts: ResolutionFacts) -> list[Authorization]:
    """Every authorisation of Member States or a regional force to use force (see the rule)."""
    text = facts.text or ""
    found = []
    if "ecessary" not in text:  # a cheap test first
        return found
    for paragraph in facts.top_level():
        if not facts.under_chapter_vii(paragraph.label):
            continue
        for measures in _ALL_NECESSARY.finditer(text, paragraph.start, paragraph.end):
            verb = _AUTHORIZING.search(text, paragraph.start, measures.start())
            if verb is None:
                continue
            addressee = _first_addressee(facts, verb.end(), measures.start())
            if addressee is None or addressee[0] != "non-UN":
                continue
            if verb.group(0).lower().startswith("decides") and not _MAY.search(
                text, addressee[1].end, measures.start()
            ):
                continue  # "Decides that all States shall take ..." obliges, it does not authorise
            found.append(
                Authorization(
                    paragraph, addressee[1], facts.evidence(measures.start(), measures.end())
                )
            )
            break
    return found


def _first_addressee(facts: ResolutionFacts, start: int, end: int) -> tuple[str, Evidence] | None:
    """The first body named between the verb and the measures, and whether it is a UN one."""
    text = facts.text or ""
    candidates = []
    patterns = [("non-UN", _NON_UN), ("UN", _UN)]
    # the regional missions the resolution concerns, by acronym (AFISMA, AMISOM, ISAF, ...)
    patterns += [
        ("non-UN", re.compile(rf"(?<![\w-]){re.escape(m.acronym)}(?![\w-])"))
        for m in facts.missions
        if m.type == "regional"
    ]
    for kind, pattern in patterns:
        match = pattern.search(text, start, end)
        if match:
            candidates.append((match.start(), kind, facts.evidence(match.start(), match.end())))
    if not candidates:
        return None
    _, kind, evidence = min(candidates, key=lambda c: (c[0], c[1] == "non-UN"))
    return kind, evidence


@rule(
    rule_id="instrument.authorization_member_states.v1",
    conclusion="authorization_member_states",
    source="Charter Art. 42",
)
def authorization_member_states(facts: ResolutionFacts) -> list[Finding]:
    """Authorisation of Member States or regional forces to use force.

    Fires when an operative paragraph adopted under Chapter VII authorises ("Authorizes",
    "Decides to authorize", or "Decides that ... may") Member States, a regional organisation
    or arrangement, a multinational or national force, or a regional mission of the registry
    (AFISMA, AMISOM, ISAF, ...) to use or take "all necessary means" or "all necessary
    measures". The first body named between the verb and those words is the addressee; if
    it is a UN body (a UN mission, "the Mission", "the Force", the Secretary-General) the
    paragraph is a UN mandate, not an authorisation.

    Source: Charter Art. 42 (action by air, sea or land forces) with Arts 48 and 53(1)
    (action by Members and through regional arrangements); the practice since S/RES/678
    (1990) ("to use all necessary means"), S/RES/1973 (2011), S/RES/2085 (2012).

    Evidence: the addressee, "all necessary means/measures", the Chapter VII invocation.
    """
    found = authorizations(facts)
    if not found:
        return []
    spans = [e for a in found for e in (a.addressee, a.measures)]
    return [
        Finding(
            _id("authorization_member_states"),
            "authorization_member_states",
            unique([*facts.chapter_vii_evidence(), *spans]),
        )
    ]


@rule(
    rule_id="instrument.authorization_regional_force.v1",
    conclusion="authorization_member_states",
    source="Charter Ch. VIII, Art. 53",
    needs_text=False,
)
def authorization_regional_force(facts: ResolutionFacts) -> list[Finding]:
    """Authorisation of a regional force, read from the mission registry.

    Fires, per regional mission of the registry (type ``regional``: ECOMOG, ISAF, AMISOM,
    AFISMA, MISCA, ATMIS, ...) that the resolution authorises, renews or changes
    (``mission_resolutions.role`` ``authorize``, ``renew`` or ``change``). It needs no text,
    so it also applies to resolutions known only from votes and meetings.

    Source: Charter Ch. VIII, Art. 53(1) ("no enforcement action shall be taken under
    regional arrangements or by regional agencies without the authorization of the Security
    Council") and Art. 48; the registry's citation for each link.

    Evidence: where the text names the mission; none without text.
    """
    links = facts.mission_links(types=["regional"], roles={"authorize", "renew", "change"})
    return _per_mission(
        "authorization_regional_force", links, conclusion="authorization_member_states"
    )


# --- Sanctions ----------------------------------------------------------------------------------

_MEASURES = re.compile(
    r"\b(?:arms|oil|petroleum|diamonds?|charcoal|timber|trade)\s+embargo\b|\bembargo\b"
    r"|\bprevent\W+(?:\(\w\)\s*)?the\s+(?:direct\s+or\s+indirect\s+)?(?:import|export|sale|"
    r"supply|transfer)\w*|\bfreez(?:e|ing)\s+(?:without\s+delay\s+)?(?:all\s+|the\s+)?"
    r"(?:funds|financial|assets|economic\s+resources)|\bassets?\s+freeze\b|\btravel\s+ban\b"
    r"|\bprevent\s+the\s+entry\s+into\s+or\s+(?:the\s+)?transit\s+through\b"
    r"|\bimpos\w+\s+(?:\w+\s+){0,3}?sanctions\b|\bsanctions\s+(?:committee|regime|measures)\b"
    r"|\bCommittee\s+of\s+the\s+Security\s+Council\b|\bPanel\s+of\s+Experts\b"
    r"|\bMonitoring\s+(?:Group|Team)\b|\binterruption\s+of\s+(?:\w+\s+){0,2}?economic\s+relations"
    r"|\bsever\w*\s+(?:of\s+)?(?:all\s+)?(?:economic|trade|diplomatic)\s+relations\b"
    r"|\bdeny\s+permission\s+(?:for|to)\s+any\s+aircraft\b"
    r"|\bcease\s+(?:forthwith\s+)?(?:any|all|the)\s+(?:provision|sale|supply|shipment|transfer)s?\b"
    r"|\barms\s+and\s+related\s+mat[ée]riel\b",
    re.IGNORECASE,
)
_DECIDING = frozenset({"decides", "decide"})


@rule(rule_id="instrument.sanctions.v1", conclusion="sanctions", source="Charter Art. 41")
def sanctions(facts: ResolutionFacts) -> list[Finding]:
    """Sanctions: measures not involving the use of armed force, decided under Chapter VII.

    Fires when an operative paragraph adopted under Chapter VII opens with "Decides" and
    imposes, renews or organises such measures: an arms (or other) embargo, a ban on the
    import, export, sale or supply of goods, an assets freeze, a travel ban, a flight ban, the
    interruption of economic relations, or a sanctions committee of the Council, panel of
    experts or monitoring group. A paragraph that gives a UN mission tasks (one the coder
    coded, e.g. "to monitor the arms embargo") is a mandate, not a sanctions decision.

    Source: Charter Art. 41 ("complete or partial interruption of economic relations and of
    rail, sea, air, postal, telegraphic, radio, and other means of communication, and the
    severance of diplomatic relations"); Art. 25 (decisions binding on Members).

    Evidence: the Chapter VII invocation and the measure's words, one per paragraph.
    """
    mandating = {c.paragraph.split("(")[0] for c in facts.codes}
    spans = []
    for paragraph in facts.top_level():
        if paragraph.label in mandating or not facts.under_chapter_vii(paragraph.label):
            continue
        if opening_verb(facts.paragraph_text(paragraph)) not in _DECIDING:
            continue
        spans.append(first_match(_MEASURES, facts, paragraph.start, paragraph.end))
    found = unique(spans)
    if not found:
        return []
    return [Finding(_id("sanctions"), "sanctions", unique(facts.chapter_vii_evidence() + found))]


# --- Special political missions and peacebuilding ----------------------------------------------


@rule(
    rule_id="instrument.special_political_mission.v1",
    conclusion="special_political_mission",
    source="A/66/340",
    needs_text=False,
)
def special_political_mission(facts: ResolutionFacts) -> list[Finding]:
    """Special political mission: the resolution establishes, renews or changes an SPM.

    Fires, per mission of registry type ``spm`` (UNAMA, UNAMI, UNSMIL, UNSOM, the
    peacebuilding offices, ...) that the resolution establishes, renews or changes - from the
    registry, or a renewal read from an operative paragraph. It needs no text.

    Source: A/66/340 (2011), the Secretary-General's report "Overall policy matters
    pertaining to special political missions" (civilian missions with a political mandate,
    without a military component); Peter 2023, section 4: UNAMA and
    UNAMI "are both special political missions (SPMs). SPMs are Chapter VI collective
    instruments."

    Evidence: where the text names the mission; none without text.
    """
    return _per_mission("special_political_mission", facts.mission_links(types=["spm"]))


_PEACEBUILDING = re.compile(
    r"\bpeace-?\s*building\s+(?:support\s+)?office\b|\bpeace-?\s*building\s+commission\b"
    r"|\bPBC\b|\bintegrated\s+peace-?\s*building\b"
    r"|\bpeace-?\s*building\s+(?:mandate|strateg(?:y|ies)|priorities|plan|framework|fund)\b",
    re.IGNORECASE,
)
_PEACEBUILDING_NAME = re.compile(r"peace-?\s*building", re.IGNORECASE)
_ACKNOWLEDGING = frozenset(
    {"recalls", "notes", "takes", "reaffirms", "recognizes", "recognises", "acknowledges"}
)


@rule(
    rule_id="instrument.peacebuilding.v1",
    conclusion="peacebuilding",
    source="A/RES/60/180",
    needs_text=False,
)
def peacebuilding(facts: ResolutionFacts) -> list[Finding]:
    """Peacebuilding: a peacebuilding office, the Peacebuilding Commission, a peacebuilding mandate.

    Fires when (a) the resolution establishes, renews or changes a registry mission whose name
    makes it a peacebuilding office (UNOGBIS, UNIPSIL, BINUCA, UNIOGBIS, ...; needs no text),
    or (b) an operative paragraph that does more than recall or note acts on a peacebuilding
    office, the Peacebuilding Commission (PBC), an integrated peacebuilding mandate, or a
    peacebuilding strategy, priorities, plan, framework or fund.

    Source: A/RES/60/180 and S/RES/1645 (2005), establishing the Peacebuilding Commission;
    An Agenda for Peace A/47/277-S/24111 (1992), para. 21 ("post-conflict peace-building");
    Supplement to An Agenda for Peace A/50/60 (1995), cited by Peter 2023, section 2.

    Evidence: the peacebuilding words, or where the text names the office.
    """
    evidence: list[Evidence | None] = []
    offices = [
        m for m in facts.mission_links(types=["spm", "pko"]) if _PEACEBUILDING_NAME.search(m.name)
    ]
    for office in offices:
        evidence.extend(_link_evidence(office))
    text = facts.text or ""
    mentions = "uilding" in text or "PBC" in text  # a cheap test first
    for paragraph in facts.top_level() if mentions else ():
        if opening_verb(facts.paragraph_text(paragraph)) in _ACKNOWLEDGING:
            continue
        evidence.append(first_match(_PEACEBUILDING, facts, paragraph.start, paragraph.end))
    found = unique(evidence)
    if not found and not offices:
        return []
    return [Finding(_id("peacebuilding"), "peacebuilding", found)]


def _id(name: str) -> str:
    return f"instrument.{name}.v1"
