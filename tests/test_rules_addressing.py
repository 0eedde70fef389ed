"""The ``designator`` and ``address`` rules (#32): for each, a sentence it decides and a near-miss.

Each case is (rule, paragraph, its codes, near-miss, the near-miss's codes[, preamble]): the
paragraph's codes must change when the rule is left out (the rule decides them), and the
near-miss, a paragraph of the same words that the rule does not fit, must code as given. The
sentences are short forms of the resolutions each rule's docstring quotes, given to an invented
mission, UNTEST.
"""

from __future__ import annotations

import pytest
from tests.rule_cases import PREAMBLE, coded, rule_coder

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY

CEASEFIRE = {("Ceasefire", "Monitor")}
SEIZED = "Decides to remain seized of the matter."
UN_AUTHORITY = "Welcoming the work of the United Nations Transitional Authority in Cambodia,"
COOPERATE_IN_BROADCASTING = (
    "Calls upon the parties to cooperate with the Authority in broadcasting information on "
    "the elections;"
)

CASES = [
    ("designator.acronym", "Requests UNTEST to monitor the ceasefire;", CEASEFIRE,
     "Requests UNTESTS to monitor the ceasefire;", set()),
    ("designator.generic", "Requests the Mission to monitor the ceasefire;", CEASEFIRE,
     "Requests the Commission to monitor the ceasefire;", set()),
    ("designator.authority", COOPERATE_IN_BROADCASTING,
     {("PublicInfo", "Assist"), ("VoterEducation", "Assist")},
     COOPERATE_IN_BROADCASTING, set(), UN_AUTHORITY,
     "Welcoming the work of the Coalition Provisional Authority,"),
    ("address.restated_call", "Reaffirms its call upon UNTEST to monitor the ceasefire;", set(),
     "Calls upon UNTEST to monitor the ceasefire;", {("Ceasefire", "Encouraged")}),
    ("address.mission_then_act", "Notes that UNTEST will monitor the ceasefire;", CEASEFIRE,
     "Welcomes the report of UNTEST to the Council on the ceasefire;", set()),
    ("address.council_verb",
     "Authorizes UNTEST, acting under its existing mandate and within the limits of its "
     "capabilities, to monitor the ceasefire;", CEASEFIRE,
     "Welcomes UNTEST, acting under its existing mandate and within the limits of its "
     "capabilities, to monitor the ceasefire;", set()),
    ("address.mandate_of",
     "Decides to extend the mandate of UNTEST until 31 March 1995, including to monitor the "
     "ceasefire;", CEASEFIRE,
     "Requests the Secretary-General to report on the implementation of the mandate of UNTEST, "
     "including to monitor the ceasefire;", set()),
    ("address.done_by",
     "Stresses the importance of the monitoring of the ceasefire carried out by UNTEST;",
     CEASEFIRE,
     "Stresses the importance of the monitoring of the ceasefire already carried out by UNTEST;",
     set()),
    ("address.established",
     "Decides to establish until 30 November 1998 a United Nations Civilian Police Mission in "
     "Haiti in order to assist the Government of Haiti by supporting the professionalization "
     "of the Haitian National Police;", {("PoliceReform", "Assist")},
     "Welcomes a United Nations Civilian Police Mission in Haiti and the professionalization "
     "of the Haitian National Police;", set()),
    ("address.functions_listed",
     "Welcomes the appointment by the Secretary-General, within UNTEST, of his Special "
     "Representative: To assist in the promotion of national reconciliation;",
     {("Reconcil", "Assist")},
     "Welcomes the appointment by the Secretary-General, within UNTEST, of his Special "
     "Representative and the promotion of national reconciliation;", set()),
    ("address.alongside",
     "Urges the Government to hold free and fair elections with the assistance of UNTEST;",
     {("ElectAssist", "Assist")},
     "Urges the Government to hold free and fair elections with the assistance of donors;",
     set()),
    ("address.watched",
     "Demands that the parties return the police to barracks under UNTEST monitoring;",
     {("PoliceReform", "Monitor")},
     "Demands that the parties return the police to barracks;", set()),
    ("address.their_own_verb",
     "Urges all parties to cooperate fully with UNTEST, to carry out the demobilization of "
     "their forces;", set(),
     "Urges all parties to cooperate fully with UNTEST in the demobilization of their forces;",
     {("DisarmDemob", "Assist")}),
    ("address.cooperation",
     "Urges all parties to cooperate fully with UNTEST in the demobilization of their forces "
     "and to respect the ceasefire;", {("DisarmDemob", "Assist")},
     "Urges all parties to cooperate fully with UNTEST and respect the ceasefire;", set()),
    ("address.preamble_urging", SEIZED, {("Ceasefire", "Encouraged")}, SEIZED, set(),
     "Welcoming the ceasefire, and urging UNTEST to take measures as necessary to ensure "
     "security in the area,",
     "Welcoming the ceasefire, and urging the parties to take measures as necessary to ensure "
     "security in the area,"),
]  # fmt: skip


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return rule_coder()


def _preambles(case: tuple) -> tuple[str, str]:
    extra = case[5:]
    if not extra:
        return PREAMBLE, PREAMBLE
    return extra[0], extra[1] if len(extra) > 1 else extra[0]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_rule_decides_its_sentence(full, case):
    name, paragraph, expected = case[:3]
    preamble, _ = _preambles(case)
    assert coded(full, paragraph, preamble) == expected
    assert coded(rule_coder(without=(name,)), paragraph, preamble) != expected


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_near_miss_codes_as_the_rule_does_not_fit(full, case):
    near, expected = case[3:5]
    _, preamble = _preambles(case)
    assert coded(full, near, preamble) == expected


def test_every_designator_and_address_rule_has_a_case():
    family = {n for n, r in REGISTRY.items() if r.family in ("designator", "address")}
    assert family == {c[0] for c in CASES}
