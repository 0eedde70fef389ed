"""The doctrine rules on the real knowledge base: known cases, evidence, registry, errors."""

import json
import re

import pytest

from peaceops.doctrine import (
    INSTRUMENTS,
    MISSION_INSTRUMENTS,
    MISSION_YEAR_COLUMNS,
    PILLARS,
    RULES,
    RULESET_VERSION,
    RuleError,
    evaluate,
    explain_resolution,
    instruments_by_mission_year,
    load_facts,
    rule,
)
from peaceops.doctrine.rules import opening_verb
from peaceops.errors import NotFound, UsageError

# one resolution on which each rule fires; a new rule without a case here fails
# test_every_rule_is_exercised_by_a_known_case
KNOWN_FIRINGS = {
    "instrument.chapter_vi_peaceful_settlement.v1": 186,  # UNFICYP: "a mediator"
    "instrument.traditional_peacekeeping.v1": 2234,  # UNFICYP renewal, 2015
    "instrument.robust_peacekeeping.v1": 1996,  # UNMISS, 2011
    "instrument.stabilization_enforcement.v1": 2098,  # MONUSCO's Intervention Brigade
    "instrument.authorization_member_states.v1": 678,  # Iraq-Kuwait, 1990
    "instrument.authorization_regional_force.v1": 2085,  # AFISMA, 2012
    "instrument.sanctions.v1": 1267,  # Taliban, 1999
    "instrument.special_political_mission.v1": 1401,  # UNAMA, 2002
    "instrument.peacebuilding.v1": 1645,  # the Peacebuilding Commission, 2005
    "r2p.pillar_1.v1": 1973,
    "r2p.pillar_2.v1": 2085,  # AFISMA "to support the Malian authorities ... to protect"
    "r2p.pillar_2_5.v1": 1996,
    "r2p.pillar_3.v1": 1973,
}


@pytest.fixture(scope="module")
def facts(db):
    """The facts of every resolution, read once."""
    return load_facts(db)


@pytest.fixture(scope="module")
def findings(facts):
    """Every finding of every resolution."""
    return {number: evaluate(f) for number, f in facts.items()}


def _concluded(findings, number):
    return {f.conclusion for f in findings[number]}


def test_1973_is_an_authorisation_of_member_states_and_r2p_pillar_3(db):
    explained = explain_resolution(db, "S/RES/1973 (2011)")
    assert "authorization_member_states" in explained["instruments"]
    assert "pillar_3" in explained["r2p_pillars"]
    pillar_3 = next(r for r in explained["rules"] if r["id"] == "r2p.pillar_3.v1")
    quotes = " ".join(e["quote"] for e in pillar_3["evidence"])
    assert "Member States" in quotes
    assert "all necessary measures" in quotes
    assert "protect civilians" in quotes


def test_2098_is_stabilization_and_enforcement(findings):
    assert "stabilization_enforcement" in _concluded(findings, 2098)
    stabilization = next(f for f in findings[2098] if f.conclusion == "stabilization_enforcement")
    assert stabilization.mission == "MONUSCO"
    assert any("neutraliz" in e.quote.lower() for e in stabilization.evidence)


def test_every_unama_resolution_with_text_is_a_special_political_mission(facts, findings):
    unama = [
        number
        for number, f in facts.items()
        if f.has_text and any(m.acronym == "UNAMA" for m in f.missions)
    ]
    assert len(unama) >= 14  # 1401 (2002) to 2210 (2015)
    for number in unama:
        assert not facts[number].acts_under_chapter_vii, number
        spm = [f for f in findings[number] if f.conclusion == "special_political_mission"]
        assert any(f.mission == "UNAMA" for f in spm), number
        assert not _concluded(findings, number) & {
            "robust_peacekeeping",
            "stabilization_enforcement",
        }


def test_1996_unmiss_is_robust_peacekeeping_with_protection_of_civilians(findings, facts):
    robust = [f for f in findings[1996] if f.conclusion == "robust_peacekeeping"]
    assert [f.mission for f in robust] == ["UNMISS"]
    protection = {(c.start, c.end) for c in facts[1996].codes_for(["CivProtect"], ["Security"])}
    assert protection & {(e.start, e.end) for e in robust[0].evidence}
    assert "pillar_2_5" in _concluded(findings, 1996)
    assert "stabilization_enforcement" not in _concluded(findings, 1996)


def test_678_is_an_authorisation_of_member_states(findings):
    assert "authorization_member_states" in _concluded(findings, 678)


@pytest.mark.parametrize(
    ("number", "mission"), [(2234, "UNFICYP"), (2229, "UNDOF"), (186, "UNFICYP"), (350, "UNDOF")]
)
def test_traditional_peacekeeping_is_chapter_six_and_a_half(findings, number, mission):
    traditional = [f for f in findings[number] if f.conclusion == "traditional_peacekeeping"]
    assert [f.mission for f in traditional] == [mission]
    assert not _concluded(findings, number) & {"robust_peacekeeping", "stabilization_enforcement"}


def test_an_unregistered_renewal_is_linked_to_its_mission_from_the_text(facts):
    links = [m for m in facts[2234].missions if m.acronym == "UNFICYP"]
    assert [(m.role, m.source) for m in links] == [("renew", "text")]
    assert links[0].evidence.quote in {"UNFICYP", "United Nations Peacekeeping Force in Cyprus"}


@pytest.mark.parametrize("number", [1267, 1970])
def test_sanctions_resolutions_are_sanctions(findings, number):
    assert "sanctions" in _concluded(findings, number)
    assert not _concluded(findings, number) & MISSION_INSTRUMENTS


def test_1265_thematic_protection_of_civilians_is_no_mission_instrument(findings):
    assert not _concluded(findings, 1265) & MISSION_INSTRUMENTS


def test_consented_authorisation_is_not_pillar_3(findings):
    # AFISMA was requested by the transitional authorities of Mali: force with consent
    assert "authorization_member_states" in _concluded(findings, 2085)
    assert "pillar_3" not in _concluded(findings, 2085)


def test_every_finding_quotes_its_text_exactly(facts, findings):
    checked = 0
    for number, found in findings.items():
        text = facts[number].text
        for finding in found:
            for evidence in finding.evidence:
                assert text is not None, (number, finding.rule_id)
                assert text[evidence.start : evidence.end] == evidence.quote, (
                    number,
                    finding.rule_id,
                )
                checked += 1
    assert checked > 1000


def test_resolution_without_text_gets_the_registry_rules_and_says_what_was_not_applied(db):
    explained = explain_resolution(db, 2274)  # UNAMA, 2016: known from votes only
    assert explained["instruments"] == ["special_political_mission"]
    spm = next(r for r in explained["rules"] if r["conclusion"] == "special_political_mission")
    assert spm["evidence"] == []
    not_applied = {r["id"] for r in explained["not_applied"]}
    assert not_applied == {r.id for r in RULES.values() if r.needs_text}
    assert "instrument.special_political_mission.v1" not in not_applied


def test_explanation_has_the_issue_shape(db):
    explained = explain_resolution(db, 2098)
    assert set(explained) == {
        "resolution",
        "ruleset",
        "instruments",
        "r2p_pillars",
        "rules",
        "not_applied",
    }
    assert explained["resolution"] == 2098
    assert explained["ruleset"] == RULESET_VERSION
    assert explained["not_applied"] == []
    assert all(set(r) == {"id", "conclusion", "evidence"} for r in explained["rules"])
    spans = [e for r in explained["rules"] for e in r["evidence"]]
    assert spans and all(set(e) == {"start", "end", "quote"} for e in spans)
    assert explained["instruments"] == [i for i in INSTRUMENTS if i in explained["instruments"]]
    assert set(explained["r2p_pillars"]) <= set(PILLARS)
    json.dumps(explained)


def test_unknown_resolution_raises_not_found_with_suggestions(db):
    with pytest.raises(NotFound, match="S/RES/9999") as raised:
        explain_resolution(db, 9999)
    assert raised.value.suggestions
    assert all(re.fullmatch(r"\d+ \(\d{4}\)", s) for s in raised.value.suggestions)


def test_malformed_reference_is_a_value_error(db):
    with pytest.raises(UsageError, match="not a resolution number"):
        explain_resolution(db, "resolution two thousand")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_an_id_family_and_cited_source(rule_id):
    registered = RULES[rule_id]
    assert re.fullmatch(r"(instrument|r2p)\.[a-z0-9_]+\.v\d+", registered.id)
    assert registered.family == rule_id.split(".")[0]
    assert "Source:" in registered.doc
    assert registered.source in registered.doc
    assert registered.conclusion in (*INSTRUMENTS, *PILLARS)


def test_every_rule_is_exercised_by_a_known_case(findings):
    assert set(KNOWN_FIRINGS) == set(RULES)
    for rule_id, number in KNOWN_FIRINGS.items():
        assert rule_id in {f.rule_id for f in findings[number]}, (rule_id, number)


def test_registering_a_rule_twice_or_without_a_source_fails():
    def uncited(facts):
        """A rule that cites nothing."""
        return []

    with pytest.raises(RuleError, match="registered twice"):
        rule(rule_id="r2p.pillar_1.v1", conclusion="pillar_1", source="nothing")(uncited)
    with pytest.raises(RuleError, match="must cite"):
        rule(rule_id="r2p.uncited.v1", conclusion="pillar_1", source="A/RES/60/1")(uncited)
    with pytest.raises(RuleError, match="must look like"):
        rule(rule_id="Pillar One", conclusion="pillar_1", source="x")(uncited)
    assert "r2p.uncited.v1" not in RULES


@pytest.mark.parametrize(
    ("paragraph", "verb"),
    [
        ("4. Authorizes Member States", "authorizes"),
        ("12. Acting under Chapter VII of the Charter, decides that", "decides"),
        ("4. Further decides that all States", "decides"),
        ("(b) To support the Malian authorities", "to"),
    ],
)
def test_opening_verb(paragraph, verb):
    assert opening_verb(paragraph) == verb


def test_instruments_by_mission_year(db):
    years = instruments_by_mission_year(db)
    assert list(years.columns) == MISSION_YEAR_COLUMNS
    assert not years.duplicated(["mission", "year"]).any()
    unama = years[years["mission"] == "UNAMA"]
    assert all("special_political_mission" in i for i in unama["instruments"])
    monusco = years[(years["mission"] == "MONUSCO") & (years["year"] == 2013)].iloc[0]
    assert monusco["resolution"] == 2098
    assert "stabilization_enforcement" in monusco["instruments"]
    # S/RES/2132 (2013) only raised UNMISS's troop ceiling: the 2109 mandate stays in force
    unmiss = years[(years["mission"] == "UNMISS") & (years["year"] == 2013)].iloc[0]
    assert (unmiss["resolution"], unmiss["source_resolution"]) == (2132, 2109)
    assert "robust_peacekeeping" in unmiss["instruments"]
