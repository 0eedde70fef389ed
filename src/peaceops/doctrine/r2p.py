"""R2P pillar rules: which pillar of the responsibility to protect a resolution acts under.

The 2005 World Summit (A/RES/60/1, paras 138-139) set out the responsibility to protect
populations from genocide, war crimes, ethnic cleansing and crimes against humanity; the
Secretary-General's report "Implementing the responsibility to protect" (A/63/677, 2009) cast
it in three pillars: the state's own responsibility (1), international assistance and
capacity-building (2), and a timely and decisive collective response (3). The paper adds a
fourth reading (Peter 2023, section 3): protection of civilians by UN peacekeepers under
Chapter VII, with the host's consent, is "Pillar Two and a Half".

Data flow: as for :mod:`peaceops.doctrine.instruments`, each rule reads one
:class:`~peaceops.doctrine.rules.ResolutionFacts` and returns findings with evidence spans.
Pillar 3 reuses the authorisation reading of the instrument rules
(:func:`~peaceops.doctrine.instruments.authorizations`). A resolution may act under several
pillars. ``docs/doctrine.md`` states the rules in prose, with their limits.
"""

from __future__ import annotations

import re

from peaceops.doctrine.instruments import authorizations
from peaceops.doctrine.rules import (
    Evidence,
    Finding,
    ResolutionFacts,
    code_evidence,
    rule,
    unique,
)

#: pillars in the order explanations list them
PILLARS = ("pillar_1", "pillar_2", "pillar_2_5", "pillar_3")

_OBJECT = r"(?:[\w'’-]+\s+){0,3}?(?:populations?|civilians|civilian\s+population|people)\b"
# "the responsibility of the Libyan authorities to protect the Libyan population", "primary
# responsibility to protect civilians", "primary responsibility for the protection of civilians"
_RESPONSIBILITY = re.compile(
    r"\bresponsibilit(?:y|ies)\s+(?P<between>(?:[\w'’-]+\s+){0,8}?)"
    r"(?:to\s+(?:protect|ensure\s+the\s+(?:protection|security))|for\s+(?:the\s+)?"
    r"(?:protect(?:ing|ion)|security)(?:\s+of)?)\s+" + _OBJECT,
    re.IGNORECASE,
)
# the bearer must be the state: "States", "the Government", "the Libyan authorities", "its"
# or the World Summit's paragraphs themselves ("paragraphs 138 and 139 of the 2005 World Summit
# Outcome Document regarding the responsibility to protect populations", S/RES/1674 (2006))
_STATE = re.compile(
    r"\b(?:States?|Governments?|authorities|national|host|sovereign|its\s+own|each\s+individual|"
    r"World\s+Summit|138)\b",
)
_NOT_STATE = re.compile(
    r"\b(?:international\s+community|Council|United\s+Nations|Mission|peacekeep\w*|"
    r"parties|mandate)\b",
    re.IGNORECASE,
)
_BEARER_REACH = 120


@rule(rule_id="r2p.pillar_1.v1", conclusion="pillar_1", source="A/RES/60/1, para. 138")
def pillar_1(facts: ResolutionFacts) -> list[Finding]:
    """Pillar 1: the state's primary responsibility to protect its population.

    Fires when the resolution (preamble or operative part) states that a state - "States",
    "the Government", "the ... authorities", the host - bears the (primary) responsibility to
    protect, or for the protection of, its population, its people or civilians. The bearer is
    read in the clause before the words or between "responsibility" and "to protect"; the
    responsibility of the international community, the Council, a mission or the "parties to
    armed conflict" (an IHL formula) is not pillar 1.

    Source: A/RES/60/1, para. 138 ("Each individual State has the responsibility to protect
    its populations from genocide, war crimes, ethnic cleansing and crimes against
    humanity"); A/63/677 (2009), paras 13-27 (pillar one).

    Evidence: each statement of the responsibility.
    """
    text = facts.text or ""
    if "esponsibilit" not in text:  # a cheap test first: most resolutions never say it
        return []
    start = facts.paragraphs[0].start if facts.paragraphs else 0
    evidence = []
    for match in _RESPONSIBILITY.finditer(text, start):
        clause_start = max(
            text.rfind(";", 0, match.start()) + 1,
            text.rfind(".", 0, match.start()) + 1,
            match.start() - _BEARER_REACH,
        )
        bearer = text[clause_start : match.start()] + match.group("between")
        if _NOT_STATE.search(bearer) or not _STATE.search(bearer):
            continue
        evidence.append(facts.evidence(match.start(), match.end()))
    return [Finding("r2p.pillar_1.v1", "pillar_1", unique(evidence))] if evidence else []


_ASSISTING = re.compile(
    r"\b(?:assist|support|help|strengthen|build|enhanc|reinforc)\w*\s+(?:[\w'’-]+\s+){0,6}?"
    r"(?:Government|authorities|State|national\s+(?:authorities|institutions|police|forces)|"
    r"security\s+forces|police)\b[^;]{0,160}?\bprotect(?:ing|ion|s)?\b[^;]{0,40}?"
    r"\b(?:civilians|populations?|people)\b"
    r"|\bcapacit(?:y|ies)\s+(?:[\w'’-]+\s+){0,8}?to\s+protect\s+" + _OBJECT,
    re.IGNORECASE,
)


@rule(rule_id="r2p.pillar_2.v1", conclusion="pillar_2", source="A/63/677")
def pillar_2(facts: ResolutionFacts) -> list[Finding]:
    """Pillar 2: international assistance and capacity-building for the state's protection.

    Fires when an operative paragraph asks others to assist, support, help or build the
    capacity of the Government, the authorities or national forces to protect civilians or
    the population, or when the coder found a ``CivProtect`` task in the Assist modality (a
    mission supports others, usually national authorities, in protecting civilians).

    Source: A/63/677 (2009), paras 28-48 (pillar two: "international assistance and
    capacity-building"); A/RES/60/1, para. 138 ("The international community should, as
    appropriate, encourage and help States to exercise this responsibility") and para. 139
    ("helping States build capacity to protect their populations"). Peter 2023, section 3:
    "most outside interventions relating to human protection operate under the second pillar:
    assisting - not overruling - the host state".

    Evidence: the assistance words and the codes.
    """
    text = facts.text or ""
    spans: list[Evidence] = []
    for paragraph in facts.top_level():
        if text.find("rotect", paragraph.start, paragraph.end) < 0:
            continue
        match = _ASSISTING.search(text, paragraph.start, paragraph.end)
        if match:
            spans.append(facts.evidence(match.start(), match.end()))
    spans.extend(code_evidence(facts.codes_for(["CivProtect"], ["Assist"])))
    return [Finding("r2p.pillar_2.v1", "pillar_2", unique(spans))] if spans else []


@rule(rule_id="r2p.pillar_2_5.v1", conclusion="pillar_2_5", source="Peter 2023")
def pillar_2_5(facts: ResolutionFacts) -> list[Finding]:
    """Pillar two and a half: protection of civilians by UN peacekeepers under Chapter VII.

    Fires, per UN peacekeeping operation (registry type ``pko``) that the resolution
    establishes, renews or changes, when the coder found a ``CivProtect`` task in the
    Security modality (the mission itself protects civilians) in a paragraph adopted under
    Chapter VII. Host consent is not read from the text: it is the first principle of UN
    peacekeeping (Capstone Doctrine 2008), which the registry's type ``pko`` stands for.

    Source: Peter 2023, section 3: "similarly to Hammarskjöld's description of UN peacekeeping
    as belonging to 'Chapter Six and a Half' of the Charter of the United Nations, UN
    peacekeeping POC can be conceived as belonging to the non-existent 'Pillar Two and a Half'
    of R2P. While most peacekeeping activities are conducted in support of the host
    government, the Chapter VII mandate allows peacekeepers to employ force when the host
    government endangers its population." The paper's example is UNMISS after S/RES/2132
    (2013).

    Evidence: the Chapter VII invocation, the protection codes, the mission's name.
    """
    protect = [
        c
        for c in facts.codes_for(["CivProtect"], ["Security"])
        if facts.under_chapter_vii(c.paragraph)
    ]
    if not protect:
        return []
    base = facts.chapter_vii_evidence() + code_evidence(protect)
    return [
        Finding(
            "r2p.pillar_2_5.v1",
            "pillar_2_5",
            unique(base + ((m.evidence,) if m.evidence else ())),
            m.acronym,
        )
        for m in facts.mission_links(types=["pko"])
    ]


_PROTECTING = re.compile(r"\bprotect\w*\s+" + _OBJECT, re.IGNORECASE)
# the host's consent: a request, invitation, consent or agreement of its Government, its
# Government or authorities requesting, approving, accepting or inviting the deployment (S/RES/
# 1778 (2007): "the letter from the authorities of Chad ... approving the deployment"), or force
# authorised in support of, or in cooperation with, the authorities
_CONSENT = re.compile(
    r"\b(?:request|invitation|consent|agreement)\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?"
    r"(?:Government|authorities|President)\b"
    r"|\b(?:Governments?|authorities)\b[^;]{0,200}?\b(?:request|approv|agree|consent|accept|"
    r"invit)\w*\s+(?:to\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(?:authori[sz]ation|deployment|"
    r"presence|assistance|support|forces?|operations?|mission)\b"
    r"|\b(?:in\s+support\s+of|support(?:ing)?|assist(?:ing)?|in\s+(?:close\s+)?"
    r"(?:cooperation|coordination)\s+with)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:Government|authorities)\b",
    re.IGNORECASE,
)


@rule(rule_id="r2p.pillar_3.v1", conclusion="pillar_3", source="A/RES/60/1, para. 139")
def pillar_3(facts: ResolutionFacts) -> list[Finding]:
    """Pillar 3: timely and decisive collective response - force to protect, without consent.

    Fires when the resolution authorises Member States or a regional force to use "all
    necessary means/measures" (the reading of ``instrument.authorization_member_states.v1``)
    in an operative paragraph whose purpose includes protecting civilians, the population or
    people, and neither that paragraph nor the preamble records the host's consent: a
    request, invitation, consent or agreement of its Government or authorities, or force
    authorised in support of, or in cooperation with, them.

    Source: A/RES/60/1, para. 139 ("we are prepared to take collective action, in a timely and
    decisive manner, through the Security Council, in accordance with the Charter, including
    Chapter VII ... should peaceful means be inadequate and national authorities are
    manifestly failing to protect their populations"); A/63/677 (2009), paras 49-66 (pillar
    three). Peter 2023, section 3: "The only third pillar R2P action - authorization by the
    UNSC without the consent of the host government - occurred in 2011" (S/RES/1973 (2011)).

    Evidence: the addressee, "all necessary measures", the protective purpose.
    """
    text = facts.text or ""
    found_all = authorizations(facts)
    if not found_all or any(_CONSENT.search(text, p.start, p.end) for p in facts.preamble()):
        return []
    spans: list[Evidence] = []
    for found in found_all:
        paragraph = found.paragraph
        purpose = _PROTECTING.search(text, paragraph.start, paragraph.end)
        if purpose is None or _CONSENT.search(text, paragraph.start, paragraph.end):
            continue
        spans += [found.addressee, found.measures]
        spans.append(facts.evidence(purpose.start(), purpose.end()))
    if not spans:
        return []
    return [
        Finding("r2p.pillar_3.v1", "pillar_3", unique(facts.chapter_vii_evidence() + tuple(spans)))
    ]
