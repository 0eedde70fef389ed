"""The ``modality`` rules (#32): for each, a sentence whose modality it settles and a near-miss.

Each case is (rule, paragraph, its codes, near-miss, the near-miss's codes): the paragraph's
(task, modality) must change when the rule is left out, and the near-miss, the same task where
the rule's condition is absent, must get the modality given. The sentences are short forms of
the resolutions each rule's docstring quotes, given to an invented mission, UNTEST.
"""

from __future__ import annotations

import pytest

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY

MISSIONS = ["UNTEST"]
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


def coded(coder: RuleCoder, paragraph: str) -> set[tuple[str, str]]:
    """(task, modality) of one invented operative paragraph after one preambular paragraph."""
    text = f"The Security Council,\n\nRecalling its resolutions,\n\n1. {paragraph}\n"
    result = coder.predict(1, text)
    assert result.segmentation.ok
    for code in result.codes:
        assert text[code.start : code.end] == code.quote
    return {(c.task, c.modality) for c in result.codes}


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return RuleCoder().initialize(missions=MISSIONS)


@pytest.mark.parametrize(("name", "paragraph", "expected", "near", "near_expected"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_the_rule_decides_its_sentence(full, name, paragraph, expected, near, near_expected):
    assert coded(full, paragraph) == expected
    without = RuleCoder().initialize(missions=MISSIONS, without=[name])
    assert coded(without, paragraph) != expected


@pytest.mark.parametrize(("name", "paragraph", "expected", "near", "near_expected"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_the_near_miss_codes_as_the_rule_does_not_fit(
    full, name, paragraph, expected, near, near_expected
):
    assert coded(full, near) == near_expected


def test_every_modality_rule_has_a_case():
    assert {n for n, r in REGISTRY.items() if r.family == "modality"} == {c[0] for c in CASES}
