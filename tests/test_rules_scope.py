"""The ``scope`` rules (#32): for each, a sentence whose task words it drops and a near-miss.

Each case is (rule, paragraph, its codes, near-miss, the near-miss's codes): the paragraph's
codes must change when the rule is left out, and the near-miss, the same task words where the
rule does not fit, must keep them. The sentences are short forms of the resolutions each rule's
docstring quotes, given to an invented mission, UNTEST.
"""

from __future__ import annotations

import pytest
from tests.rule_cases import case_tests, rule_coder

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY

CEASEFIRE = {("Ceasefire", "Monitor")}

CASES = [
    ("scope.mission_name",
     "Requests the United Nations Mission for the Referendum in Western Sahara (UNTEST) to "
     "monitor the ceasefire;", CEASEFIRE,
     "Requests UNTEST to monitor the ceasefire and to organize the referendum;",
     CEASEFIRE | {("ElectAssist", "Monitor")}),
    ("scope.condemned",
     "Strongly condemns the rape and other sexual abuse of girls, and requests UNTEST to "
     "monitor the ceasefire;", CEASEFIRE,
     "Requests UNTEST to monitor the ceasefire and to prevent rape and other sexual abuse of "
     "girls;", CEASEFIRE | {("SGBViolence", "Security")}),
    ("scope.praised",
     "Commends the active role of UNTEST to mediate between the parties, and requests UNTEST "
     "to monitor the ceasefire;", CEASEFIRE,
     "Requests UNTEST to mediate between the parties and to monitor the ceasefire;",
     CEASEFIRE | {("GoodOffices", "Assist"), ("PeaceProcess", "Assist")}),
    ("scope.handed_over",
     "Requests UNTEST to transfer to the United Nations country team appropriate tasks, "
     "including demining support;", set(),
     "Requests UNTEST to provide demining support;", {("Demining", "Assist")}),
    ("scope.stated",
     "Recognizes that a stable political environment is crucial for the ceasefire, and "
     "requests UNTEST to support the elections;", {("ElectAssist", "Assist")},
     "Recognizes that UNTEST shall monitor the ceasefire;", CEASEFIRE),
    ("scope.task_exclusions",
     "Requests UNTEST to protect civilians and to denounce attacks against them;", set(),
     "Requests UNTEST to protect civilians;", {("CivProtect", "Security")}),
    ("scope.excluded_words",
     "Requests UNTEST to deploy individual police officers to monitor the ceasefire;",
     CEASEFIRE,
     "Requests UNTEST to support the national police;", {("PoliceReform", "Assist")}),
    ("scope.agreement_name",
     "Requests UNTEST to support the parties to the Lusaka Ceasefire Agreement in the "
     "demobilization of combatants;", {("DisarmDemob", "Assist")},
     "Requests UNTEST to monitor the implementation of the Lusaka Ceasefire Agreement;",
     CEASEFIRE),
    ("scope.report_topic",
     "Requests UNTEST to monitor the ceasefire, based on a report by the Secretary-General on "
     "the demobilization of combatants;", CEASEFIRE,
     "Requests UNTEST to monitor the ceasefire and the demobilization of combatants;",
     CEASEFIRE | {("DisarmDemob", "Monitor")}),
    ("scope.asked_of_others",
     "Requests UNTEST to monitor the ceasefire, and demands that the parties guarantee the "
     "safety of humanitarian personnel;", CEASEFIRE,
     "Requests UNTEST to monitor the ceasefire and to guarantee the safety of humanitarian "
     "personnel;", CEASEFIRE | {("HumanRelief", "Monitor")}),
]  # fmt: skip


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return rule_coder()


test_the_rule_decides_its_sentence, test_the_near_miss_codes_as_the_rule_does_not_fit = case_tests(
    CASES
)


def test_every_scope_rule_has_a_case():
    assert {n for n, r in REGISTRY.items() if r.family == "scope"} == {c[0] for c in CASES}
