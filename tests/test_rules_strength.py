"""The ``strength`` rules (#32): each marker is read where its words are, and not in a near-miss.

Each case is (rule, paragraph, near-miss): the paragraph's codes carry the marker, and lose it
when the rule is left out (their tasks stay); the near-miss, the same task without the
marker's words, does not carry it. The words are those of the resolutions each marker's
docstring quotes, given to an invented mission, UNTEST.
"""

from __future__ import annotations

import pytest

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY

MISSIONS = ["UNTEST"]
CASES = [
    ("strength.all_necessary_means",
     "Authorizes UNTEST to use all necessary means to protect civilians;",
     "Authorizes UNTEST to use the necessary resources to protect civilians;"),
    ("strength.all_necessary_measures",
     "Authorizes UNTEST to take all necessary measures to protect civilians;",
     "Authorizes UNTEST to take measures to protect civilians;"),
    ("strength.necessary_action",
     "Authorizes UNTEST to take the necessary action to protect civilians;",
     "Authorizes UNTEST to take action to protect civilians;"),
    ("strength.robust", "Requests UNTEST to protect civilians through a robust posture;",
     "Requests UNTEST to protect civilians through a firm posture;"),
    ("strength.neutralize", "Requests UNTEST to neutralize armed groups and to protect civilians;",
     "Requests UNTEST to engage armed groups and to protect civilians;"),
    ("strength.targeted_offensive_operations",
     "Requests UNTEST to carry out targeted offensive operations to protect civilians;",
     "Requests UNTEST to carry out offensive operations to protect civilians;"),
    ("strength.proactive", "Requests UNTEST to protect civilians through proactive patrolling;",
     "Requests UNTEST to protect civilians through regular patrolling;"),
    ("strength.use_of_force",
     "Requests UNTEST to protect civilians, including through the use of force;",
     "Requests UNTEST to protect civilians, including through the use of patrols;"),
    ("strength.deter", "Requests UNTEST to deter attacks and to protect civilians;",
     "Requests UNTEST to detect attacks and to protect civilians;"),
]  # fmt: skip


def coded(coder: RuleCoder, paragraph: str) -> tuple[set[tuple[str, str]], set[str]]:
    """(task, modality) and the strength markers of one invented operative paragraph."""
    text = f"The Security Council,\n\nRecalling its resolutions,\n\n1. {paragraph}\n"
    result = coder.predict(1, text)
    assert result.segmentation.ok and result.codes
    return {(c.task, c.modality) for c in result.codes}, {
        s for c in result.codes for s in c.strength
    }


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return RuleCoder().initialize(missions=MISSIONS)


@pytest.mark.parametrize(("name", "paragraph", "near"), CASES, ids=[c[0] for c in CASES])
def test_the_marker_is_read_from_its_words(full, name, paragraph, near):
    marker = REGISTRY[name].fn.name
    tasks, strength = coded(full, paragraph)
    assert strength == {marker}
    without = RuleCoder().initialize(missions=MISSIONS, without=[name])
    assert coded(without, paragraph) == (tasks, set())


@pytest.mark.parametrize(("name", "paragraph", "near"), CASES, ids=[c[0] for c in CASES])
def test_the_near_miss_has_no_marker(full, name, paragraph, near):
    assert coded(full, near)[1] == set()


def test_every_strength_rule_has_a_case_and_markers_keep_their_order():
    assert {n for n, r in REGISTRY.items() if r.family == "strength"} == {c[0] for c in CASES}
    result = (
        RuleCoder()
        .initialize(missions=MISSIONS)
        .predict(
            1,
            "The Security Council,\n\nRecalling its resolutions,\n\n1. Authorizes UNTEST to deter "
            "attacks, to neutralize armed groups and to use all necessary means to protect "
            "civilians;\n",
        )
    )
    assert {c.strength for c in result.codes} == {("all necessary means", "neutralize", "deter")}
