"""The ``modality`` rules (#32): for each, a sentence whose modality it settles and a near-miss.

Each case is (rule, paragraph, its codes, near-miss, the near-miss's codes): the paragraph's
(task, modality) must change when the rule is left out, and the near-miss, the same task where
the rule's condition is absent, must get the modality given. The sentences are short forms of
the resolutions each rule's docstring quotes, given to an invented mission, UNTEST.
"""

from __future__ import annotations

import pytest
from tests.rule_cases import case_tests, rule_coder

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY

CEASEFIRE = {("Ceasefire", "Monitor")}

CASES = [
    ("modality.last_act",
     "Welcomes the contribution by UNTEST to the peace process, and calls upon UNTEST to "
     "strengthen State institutions;", {("StateAuthority", "Encouraged")},
     "Calls upon the parties to respect the ceasefire, and requests UNTEST to strengthen State "
     "institutions;", CEASEFIRE | {("StateAuthority", "Assist")}),
    ("modality.encouraged", "Encourages UNTEST to monitor the ceasefire;",
     {("Ceasefire", "Encouraged")}, "Requests UNTEST to monitor the ceasefire;", CEASEFIRE),
    ("modality.action_verbs", "Requests UNTEST to support the protection of civilians;",
     {("CivProtect", "Assist")}, "Requests UNTEST to ensure the protection of civilians;",
     {("CivProtect", "Security")}),
    ("modality.task_default", "Requests UNTEST to ensure the protection of civilians;",
     {("CivProtect", "Security")}, "Requests UNTEST to support the protection of civilians;",
     {("CivProtect", "Assist")}),
    ("modality.helps_others",
     "Demands that the parties return the police to barracks under UNTEST monitoring;",
     {("PoliceReform", "Monitor")},
     "Requests UNTEST to support the return of the police to barracks;",
     {("PoliceReform", "Assist")}),
]  # fmt: skip


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return rule_coder()


test_the_rule_decides_its_sentence, test_the_near_miss_codes_as_the_rule_does_not_fit = case_tests(
    CASES
)


def test_every_modality_rule_has_a_case():
    assert {n for n, r in REGISTRY.items() if r.family == "modality"} == {c[0] for c in CASES}
